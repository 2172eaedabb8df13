package adapter

import "net/http"

// ResponseHeader is the response header of a framework that is not built on
// net/http, as fasthttp's *ResponseHeader (the fiber adapters') offers it.
type ResponseHeader interface {
	Del(key string)
	Add(key, value string)
}

// ReplaceHeader puts every header of hdr on h, replacing the values h
// already had for it (as core.WriteProblem does on an http.ResponseWriter):
// how the fiber adapters' DefaultErrorHandler writes Problem.Header.
func ReplaceHeader(h ResponseHeader, hdr http.Header) {
	for k, vs := range hdr {
		h.Del(k)
		for _, v := range vs {
			h.Add(k, v)
		}
	}
}

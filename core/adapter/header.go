package adapter

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

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

// AddAnswer is core.Answer.WriteTo for a framework not built on net/http:
// it adds the values of ans.Header to h and reports whether ans stops the
// request (ans.Stops), in which case the adapter sets the status ans.Status
// and returns without calling the next handler (behaviour.md §7.1). An
// Answer without headers adds nothing.
func AddAnswer(h ResponseHeader, ans core.Answer) bool {
	for k, vs := range ans.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	return ans.Stops()
}

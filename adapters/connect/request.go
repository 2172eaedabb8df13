package clerkconnect

import "net/http"

// headerRequest is the core.Request (and adapter.PathRequest) view of a Connect
// call: its HTTP headers, no cookies, and the procedure as the path.
type headerRequest struct {
	h         http.Header
	procedure string
}

func (r headerRequest) Header(name string) string {
	if name == "Authorization" { // already canonical: skip Get's canonicalisation
		if v := r.h[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	return r.h.Get(name)
}

func (headerRequest) Cookie(string) (string, bool) { return "", false }

func (r headerRequest) Path() string { return r.procedure }

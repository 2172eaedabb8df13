package core

import (
	"net/http"
	"strings"

	"github.com/clerkguard/clerkguard/core/internal/shared"
)

// urlRequest and methodRequest are the optional extensions of Request the
// browser rules look for (package core/adapter documents them as
// URLRequest and MethodRequest).
type urlRequest interface {
	Scheme() string
	Host() string
	RequestURI() string
}

type methodRequest interface{ Method() string }

func (h httpRequest) Scheme() string {
	if h.r.TLS != nil {
		return "https"
	}
	return "http"
}

func (h httpRequest) Host() string { return h.r.Host }

func (h httpRequest) RequestURI() string {
	if h.r.URL == nil {
		return "/"
	}
	return h.r.URL.RequestURI()
}

// requestOrigin returns scheme://host of req (behaviour.md §10.3): the
// forwarded headers' first values when trusted and present
// (CloudFront-Forwarded-Proto before X-Forwarded-Proto, as Clerk's
// authenticateContext.ts), else the request's own. ok is false when req is no URLRequest or the host is not a
// plain host[:port].
func (a *Authorizer) requestOrigin(req Request) (scheme, host string, ok bool) {
	ur, isURL := req.(urlRequest)
	if !isURL {
		return "", "", false
	}
	scheme, host = ur.Scheme(), ur.Host()
	if a.cfg.browser.trustForwarded {
		// CloudFront's own header first, as authenticateContext.ts reads it.
		if v := firstValue(req.Header("CloudFront-Forwarded-Proto")); v != "" {
			scheme = strings.ToLower(v)
		} else if v := firstValue(req.Header("X-Forwarded-Proto")); v != "" {
			scheme = strings.ToLower(v)
		}
		if v := firstValue(req.Header("X-Forwarded-Host")); v != "" {
			host = v
		}
	}
	if scheme != "http" && scheme != "https" || !validHost(host) {
		return "", "", false
	}
	return scheme, host, true
}

func firstValue(v string) string { return shared.FirstValue(v) }

// validHost is shared.ValidHost: a host that cannot turn a URL built from it
// into another site's.
func validHost(h string) bool { return shared.ValidHost(h) }

// Answer is what an adapter's middleware or guard must do on top of its
// usual work for browser sessions (behaviour.md §7.1, §10): the same value for
// every framework, so that all of them answer with the same bytes.
//
// When Status is not zero the adapter answers the request itself: it sets
// every header of Header (each value of a name, in order: several
// Set-Cookie) and writes Status with an empty body, and the request goes no
// further. When Status is zero and Header is not nil the request continues,
// and the adapter adds Header's values to the response before the next
// handler runs (Set-Cookie of a refreshed or resolved session). The zero
// Answer asks for nothing.
type Answer struct {
	// Status is the status to answer with (307), or 0 to continue.
	Status int
	// Header holds the headers to set on the answer, or to add to the
	// response when the request continues.
	Header http.Header
}

// Stops reports whether the adapter must answer the request itself.
func (a Answer) Stops() bool { return a.Status != 0 }

// WriteTo applies the answer to w: it adds Header's values to w.Header()
// and, when the answer stops the request, writes Status. It reports whether
// the request stops. net/http adapters call it.
func (a Answer) WriteTo(w http.ResponseWriter) bool {
	if a.Header != nil {
		h := w.Header()
		for k, vs := range a.Header {
			h[k] = append(h[k], vs...)
		}
	}
	if a.Status != 0 {
		w.WriteHeader(a.Status)
		return true
	}
	return false
}

// Each calls add for every value of every header of the answer (several for
// Set-Cookie, in order), for adapters whose framework does not take an
// http.Header: fasthttp's ResponseHeader.Add, for instance.
func (a Answer) Each(add func(name, value string)) {
	for k, vs := range a.Header {
		for _, v := range vs {
			add(k, v)
		}
	}
}

// OriginForm returns the path and query of a request target as sent on the
// request line (adapter.OriginForm, for adapter authors).
func OriginForm(target string) string {
	if strings.HasPrefix(target, "/") {
		return target
	}
	if _, rest, ok := strings.Cut(target, "://"); ok {
		if i := strings.IndexAny(rest, "/?"); i >= 0 {
			if rest[i] == '?' {
				return "/" + rest[i:]
			}
			return rest[i:]
		}
	}
	return "/"
}

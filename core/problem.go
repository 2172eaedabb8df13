package core

import (
	"encoding/json"
	"net/http"
)

// Problem is a fully rendered error response (behaviour.md §7.3): status, headers and
// body. Every adapter writes a Problem as it is, so gin, echo, fiber and chi
// answer with the same bytes.
type Problem struct {
	// Status is the HTTP status code (401, 403, 500 or 503).
	Status int
	// Reason is the reason code carried in the body.
	Reason Reason
	// Header holds the response headers to set (Content-Type included).
	Header http.Header
	// Body is the JSON body.
	Body []byte
}

// problemBody fixes the JSON field order of every error body.
type problemBody struct {
	Error   string `json:"error"`
	Reason  Reason `json:"reason"`
	Message string `json:"message"`
	// ClerkError is Clerk's reverification hint (behaviour.md §7.3), set
	// for reason reverification-error only.
	ClerkError *reverificationHint `json:"clerk_error,omitempty"`
}

// ProblemFor renders err as the response behaviour.md §7.3 prescribes. err should be
// an *Error (as returned by Authenticate or a Guard); any other error
// renders as a 503 with reason unexpected-error. The body contains only the
// reason and its fixed message, never the token or an underlying error text.
func ProblemFor(err error) Problem {
	reason := ReasonOf(err)
	if reason == "" {
		reason = ReasonUnexpectedError
	}
	status := reason.Status()
	h := make(http.Header, 6)
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	var kind string
	switch status {
	case http.StatusUnauthorized:
		kind = "unauthorized"
		challenge := "Bearer"
		if reason != ReasonSessionTokenMissing {
			challenge = `Bearer error="invalid_token"`
		}
		if meta := resourceMetadataOf(err); meta != "" {
			// RFC 9728 §5.1: where OAuth clients find the resource's metadata
			// (Guard.WithResourceMetadata).
			if reason == ReasonSessionTokenMissing {
				challenge += ` resource_metadata="` + meta + `"`
			} else {
				challenge += `, resource_metadata="` + meta + `"`
			}
		}
		h.Set("WWW-Authenticate", challenge)
		h.Set("X-Clerk-Auth-Status", "signed-out")
		h.Set("X-Clerk-Auth-Reason", string(reason))
	case http.StatusForbidden:
		// Signed in but not allowed: the reason travels in a header too, so
		// every rejection can be told apart without parsing the body
		// (behaviour.md §7.3).
		kind = "forbidden"
		h.Set("X-Clerk-Auth-Status", "signed-in")
		h.Set("X-Clerk-Auth-Reason", string(reason))
	case http.StatusServiceUnavailable:
		kind = "unavailable"
		h.Set("Retry-After", "5")
		h.Set("X-Clerk-Auth-Reason", string(reason))
	default:
		kind = "internal_error"
	}
	pb := problemBody{Error: kind, Reason: reason, Message: reason.Message()}
	if reason == ReasonReverificationError {
		pb.ClerkError = reverificationHintOf(err)
	}
	body, mErr := json.Marshal(pb)
	if mErr != nil { // cannot happen: every field is a string, an int or a struct of them
		body = []byte(`{"error":"internal_error","reason":"unexpected-error","message":"error rendering failed"}`)
	}
	return Problem{Status: status, Reason: reason, Header: h, Body: body}
}

// WriteProblem writes p to w: headers, status, then body.
func WriteProblem(w http.ResponseWriter, p Problem) {
	dst := w.Header()
	for k, v := range p.Header {
		dst[k] = append([]string(nil), v...)
	}
	w.WriteHeader(p.Status)
	_, _ = w.Write(p.Body)
}

// WriteError renders err with ProblemFor and writes it to w, for handlers
// that reject outside the guards (for example after checking claims in
// code); the adapters' default error handlers write the same bytes.
func WriteError(w http.ResponseWriter, err error) { WriteProblem(w, ProblemFor(err)) }

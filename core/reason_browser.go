package core

import "net/http"

// Reasons of the browser-session rules (behaviour.md §8, §10), with Clerk's
// names (AuthErrorReason in clerk/javascript's authStatus.ts). A request
// signed out with one of them gets a handshake instead when the middleware
// runs with WithHandshake and the request is a page load (behaviour.md §10.4).
const (
	// ReasonSessionTokenWithoutClientUAT: a __session cookie but no
	// __client_uat, or __client_uat=0 (the browser signed out).
	ReasonSessionTokenWithoutClientUAT Reason = "session-token-but-no-client-uat"
	// ReasonClientUATWithoutSessionToken: __client_uat says signed in but
	// no __session cookie was sent (it expired in the browser).
	ReasonClientUATWithoutSessionToken Reason = "client-uat-but-no-session-token"
	// ReasonSessionTokenIATBeforeClientUAT: the session token is older than
	// the browser's last client change (a sign-in or sign-out since).
	ReasonSessionTokenIATBeforeClientUAT Reason = "session-token-iat-before-client-uat"
	// ReasonDevBrowserMissing: a development instance's request without the
	// dev-browser token (__clerk_db_jwt).
	ReasonDevBrowserMissing Reason = "dev-browser-missing"
	// ReasonDevBrowserSync: a development instance's request carrying a
	// dev-browser token in its URL, to be synced by a handshake.
	ReasonDevBrowserSync Reason = "dev-browser-sync"
)

// browserErrors are the shared, immutable errors of the browser rules' own
// reasons, so that signing a request out (or handing it a handshake)
// allocates no error.
var browserErrors = map[Reason]*Error{}

// browserError returns the error of reason r: shared for the reasons above,
// a new one for any other.
func browserError(r Reason) error {
	if e, ok := browserErrors[r]; ok {
		return e
	}
	return &Error{Reason: r, Detail: "browser session rule " + string(r)}
}

func init() {
	for r, msg := range map[Reason]string{
		ReasonSessionTokenWithoutClientUAT:   "The browser is signed out (no client_uat cookie).",
		ReasonClientUATWithoutSessionToken:   "The browser is signed in but sent no session token.",
		ReasonSessionTokenIATBeforeClientUAT: "The session token is older than the browser's last sign-in or sign-out.",
		ReasonDevBrowserMissing:              "The development browser token is missing.",
		ReasonDevBrowserSync:                 "The development browser token must be synced.",
	} {
		reasons[r] = reasonInfo{http.StatusUnauthorized, msg}
		browserErrors[r] = &Error{Reason: r, Detail: "browser session rule " + string(r) + " (behaviour.md §10)"}
	}
}

package core

import "time"

// Outcome describes one authentication, for metrics (see WithObserver).
type Outcome struct {
	// TokenType is the detected token type ("" when no token was sent).
	TokenType TokenType
	// Source says where the token was read from: "header", "cookie", the
	// Name of a TokenSource ("header:X-Clerk-Token", "query:token"), or ""
	// when none was found or the token was given to VerifyToken.
	Source string
	// Reason is "" when the request is signed in, else why it is not.
	Reason Reason
	// Err is the authentication error, nil when signed in.
	Err error
	// CacheHit reports that the token was found in the verified-token cache
	// and its signature was not verified again, or, for an opaque machine
	// token, that the answer came from a cache without a Backend API call
	// (a success, a 404 remembered for behaviour.md §6.5, or a known-good
	// token's last good verdict, behaviour.md §6.7).
	CacheHit bool
	// Latency is the time spent in Authenticate.
	Latency time.Duration
}

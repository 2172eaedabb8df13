package core

import (
	"context"
	"errors"
	"time"
)

// WithOnVerified registers fn, run once per freshly verified JWT: after its
// signature and claims passed (behaviour.md §3) and before the token enters the
// verified-token cache. Requests that find the token in the cache do not run
// it again, so fn costs nothing per cached request. Opaque machine tokens,
// verified through the Backend API, never run it.
//
// fn runs on the request path, bounded by the request's context. When it
// returns nil the request is signed in and the token is cached. When it
// returns an error the request is signed out with that error if it is an
// *Error, else with ReasonUnexpectedError (HTTP 503) wrapping it; the token
// is not cached, so the next request with it runs fn again. A permanent
// condition (the user the token names does not exist any more) is not an
// outage: report it with PermanentFailure, which signs the request out with
// ReasonIdentityNotFound (HTTP 401, behaviour.md §11.5). Use it to
// provision local state for a user (usersync's just-in-time provisioning).
// A nil fn is an error.
func WithOnVerified(fn func(ctx context.Context, c *Claims) error) Option {
	return func(c *config) error {
		if fn == nil {
			return configError("OnVerified function must not be nil")
		}
		c.onVerified = fn
		return nil
	}
}

// ErrIdentityNotFound matches (errors.Is) the error of a request whose
// WithOnVerified hook reported a permanent failure (PermanentFailure).
var ErrIdentityNotFound = &Error{Reason: ReasonIdentityNotFound}

// PermanentFailure marks err, returned by a WithOnVerified hook, as a
// permanent condition rather than an outage: the user or organization the
// verified token names does not exist or was deleted. The request is signed
// out with ReasonIdentityNotFound (HTTP 401, behaviour.md §11.5) instead of
// ReasonUnexpectedError (503), so clients stop retrying; err stays
// reachable with errors.Is and errors.As. The hook should remember the
// condition for a while (usersync's Provisioner does, bounded) so repeated
// requests cost no upstream call. PermanentFailure(nil) is nil.
func PermanentFailure(err error) error {
	if err == nil {
		return nil
	}
	return newError(ReasonIdentityNotFound, "OnVerified hook: permanent failure", err)
}

// afterVerified runs the OnVerified function on claims that just passed
// every check, and caches the token only when it succeeded.
func (a *Authorizer) afterVerified(ctx context.Context, token string, c *Claims, tt TokenType, now time.Time, st keyStamp) (*Claims, bool, TokenType, error) {
	if err := a.cfg.onVerified(ctx, c); err != nil {
		var e *Error
		if errors.As(err, &e) {
			cp := *e // never write into the caller's error (it may be a sentinel)
			e = &cp
		} else {
			e = newError(ReasonUnexpectedError, "OnVerified hook failed", err)
		}
		e.subject = c.Subject
		return nil, false, tt, e
	}
	a.cache.putVerified(token, c, now, st)
	return c, false, tt, nil
}

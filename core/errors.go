package core

import (
	"errors"
	"fmt"
	"strings"
)

// Error is the error returned for every authentication failure and every
// guard refusal. Reason is stable and machine-readable; Detail is for logs and
// never contains the token; Err is the underlying cause, if any.
//
// Match a specific reason with errors.Is against the exported sentinels
// (errors.Is(err, core.ErrTokenExpired)) or extract the value with errors.As.
type Error struct {
	// Reason is the behaviour.md §8 reason code.
	Reason Reason
	// Detail is a short explanation for logs and debugging (for example the
	// azp that was not authorized). It never contains the token and is never
	// written into an HTTP response.
	Detail string
	// Err is the wrapped cause, if any.
	Err error

	subject        string          // the verified sub, when known (for logs)
	reverification *Reverification // the unmet requirement of a reverification-error
	meta           string          // resource metadata URL for the 401 challenge (Guard.WithResourceMetadata)
}

// Error implements error.
func (e *Error) Error() string {
	msg := "clerkguard: " + string(e.Reason)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Reason, so that
// errors.Is(err, core.ErrTokenExpired) matches any expired-token error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Reason == e.Reason
}

// Status is the HTTP status for this error (see Reason.Status).
func (e *Error) Status() int { return e.Reason.Status() }

func newError(r Reason, detail string, cause error) *Error {
	return &Error{Reason: r, Detail: detail, Err: cause}
}

func errorf(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...)}
}

// Sentinels for errors.Is, one per reason. They are compared by Reason only.
var (
	ErrSessionTokenMissing           = &Error{Reason: ReasonSessionTokenMissing}
	ErrTokenInvalid                  = &Error{Reason: ReasonTokenInvalid}
	ErrTokenInvalidAlgorithm         = &Error{Reason: ReasonTokenInvalidAlgorithm}
	ErrTokenInvalidSignature         = &Error{Reason: ReasonTokenInvalidSignature}
	ErrTokenInvalidAuthorizedParties = &Error{Reason: ReasonTokenInvalidAuthorizedParties}
	ErrTokenInvalidIssuer            = &Error{Reason: ReasonTokenInvalidIssuer}
	ErrTokenExpired                  = &Error{Reason: ReasonTokenExpired}
	ErrTokenNotActiveYet             = &Error{Reason: ReasonTokenNotActiveYet}
	ErrTokenIatInTheFuture           = &Error{Reason: ReasonTokenIatInTheFuture}
	ErrTokenVerificationFailed       = &Error{Reason: ReasonTokenVerificationFailed}
	ErrTokenInvalidAudience          = &Error{Reason: ReasonTokenInvalidAudience}
	ErrTokenTypeMismatch             = &Error{Reason: ReasonTokenTypeMismatch}
	ErrSessionPending                = &Error{Reason: ReasonSessionPending}
	ErrJWKRemoteFailedToLoad         = &Error{Reason: ReasonJWKRemoteFailedToLoad}
	ErrJWKKidMismatch                = &Error{Reason: ReasonJWKKidMismatch}
	ErrJWKFailedToResolve            = &Error{Reason: ReasonJWKFailedToResolve}
	ErrSecretKeyInvalid              = &Error{Reason: ReasonSecretKeyInvalid}
	ErrUnexpected                    = &Error{Reason: ReasonUnexpectedError}

	ErrMissingPermission = &Error{Reason: ReasonMissingPermission}
	ErrMissingRole       = &Error{Reason: ReasonMissingRole}
	ErrMissingFeature    = &Error{Reason: ReasonMissingFeature}
	ErrMissingPlan       = &Error{Reason: ReasonMissingPlan}
	ErrMissingScope      = &Error{Reason: ReasonMissingScope}
	ErrForbidden         = &Error{Reason: ReasonForbidden}
	ErrReverification    = &Error{Reason: ReasonReverificationError}

	ErrMiddlewareMissing = &Error{Reason: ReasonMiddlewareMissing}
)

// ErrConfig is wrapped by every configuration error returned from New and
// NewFromEnv.
var ErrConfig = errors.New("clerkguard: invalid configuration")

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
}

// ReasonOf returns the reason carried by err, or ReasonUnexpectedError when
// err is not (and does not wrap) an *Error. It returns "" for a nil error.
func ReasonOf(err error) Reason {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok { // the usual case, without errors.As's allocation
		return e.Reason
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ReasonUnexpectedError
}

// withResourceMetadata returns err (a 401 refusal) carrying the resource
// metadata URL its challenge names (Guard.WithResourceMetadata): a copy, so
// that the shared sentinels and cached errors stay as they are.
func withResourceMetadata(err error, url string) error {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Reason: ReasonUnexpectedError, Err: err}
	}
	cp := *e
	cp.meta = url
	return &cp
}

// resourceMetadataOf returns the resource metadata URL err carries, or "".
func resourceMetadataOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.meta
	}
	return ""
}

// validChallengeURL reports whether u can stand in a WWW-Authenticate
// quoted string as an absolute http(s) URL.
func validChallengeURL(u string) bool {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return false
	}
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c == '"' || c == '\\' || c >= 0x7f {
			return false
		}
	}
	rest := u[strings.Index(u, "//")+2:]
	return rest != "" && rest[0] != '/'
}

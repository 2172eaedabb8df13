package adapter

import (
	"fmt"
	"reflect"

	"github.com/clerkguard/clerkguard/core"
)

// For adapter authors: the option plumbing every adapter shares, typed by
// the adapter's error handler H and request type R (*http.Request,
// *gin.Context, fiber.Ctx, …). An adapter declares aliases
//
//	type MiddlewareOption = adapter.MiddlewareOption[ErrorHandler, *gin.Context]
//	type GuardOption = adapter.GuardOption[ErrorHandler]
//	type Option = adapter.Option[ErrorHandler, *gin.Context]
//
// so that an option meaning nothing on a guard (WithSkipper) does not
// compile there, while WithErrorHandler works on both.

// MiddlewareConfig is what the middleware options of an adapter set.
type MiddlewareConfig[H, R any] struct {
	// ErrorHandler, when set, is the default error handler of the guards
	// after the middleware.
	ErrorHandler H
	// Skipper, when set, makes the middleware skip authentication for the
	// requests it returns true for.
	Skipper func(R) bool
	// Handshake makes the middleware run Clerk's browser-session flow
	// (core.Authorizer.AuthenticateBrowser, behaviour.md §10); the adapter
	// then applies State.Answer.
	Handshake bool

	// Sources are the token sources the middleware's routes opt in to
	// (QueryTokenOption, behaviour.md §1.6): pass them to
	// core.Authorizer.AuthenticateRoute. Nil unless set.
	Sources []core.TokenSource

	hasHandler bool          // ErrorHandlerOption set a non-nil ErrorHandler
	shared     *sharedStates // NewState's shared States; nil: none
}

// GuardConfig is what the guard options of an adapter set.
type GuardConfig[H any] struct {
	// ErrorHandler, when set, renders this guard's rejections.
	ErrorHandler H
	// PassPreflight makes the guard let CORS preflights through
	// (GuardConfig.Evaluate, IsPreflight).
	PassPreflight bool
	// RedirectToSignIn makes the guard send signed-out page loads to the
	// sign-in page (GuardConfig.SignInRedirect) instead of answering 401.
	RedirectToSignIn bool
	// SignInURL is the sign-in page of RedirectToSignIn; "" means the
	// Authorizer's (core.WithSignInURL).
	SignInURL string
	// ResourceMetadata, when set, is the protected-resource metadata URL the
	// guard's 401 answers name (core.Guard.WithResourceMetadata).
	ResourceMetadata string

	hasHandler bool // ErrorHandlerOption set a non-nil ErrorHandler
}

// MiddlewareOption configures an adapter's Middleware.
type MiddlewareOption[H, R any] interface {
	applyMiddleware(*MiddlewareConfig[H, R])
}

// GuardOption configures an adapter's guards.
type GuardOption[H any] interface {
	applyGuard(*GuardConfig[H])
}

// AdapterOption configures an adapter's Middleware and guards alike.
type Option[H, R any] interface {
	MiddlewareOption[H, R]
	GuardOption[H]
}

type errorHandlerOption[H, R any] struct{ h H }

//lint:ignore U1000 used through the option interfaces (staticcheck misses generic methods)
func (o errorHandlerOption[H, R]) applyMiddleware(c *MiddlewareConfig[H, R]) {
	c.ErrorHandler, c.hasHandler = o.h, !isNil(o.h)
}

//lint:ignore U1000 used through the option interfaces (staticcheck misses generic methods)
func (o errorHandlerOption[H, R]) applyGuard(c *GuardConfig[H]) {
	c.ErrorHandler, c.hasHandler = o.h, !isNil(o.h)
}

type skipperOption[H, R any] func(R) bool

//lint:ignore U1000 used through the option interfaces (staticcheck misses generic methods)
func (o skipperOption[H, R]) applyMiddleware(c *MiddlewareConfig[H, R]) { c.Skipper = o }

type passPreflightOption[H any] struct{}

//lint:ignore U1000 used through the option interfaces (staticcheck misses generic methods)
func (passPreflightOption[H]) applyGuard(c *GuardConfig[H]) { c.PassPreflight = true }

type resourceMetadataOption[H any] string

//lint:ignore U1000 used through the option interfaces (staticcheck misses generic methods)
func (o resourceMetadataOption[H]) applyGuard(c *GuardConfig[H]) { c.ResourceMetadata = string(o) }

// ResourceMetadataOption returns the option behind an adapter's
// WithResourceMetadata: a guard option only, making the guard's 401 answers
// point OAuth clients at the protected-resource metadata at url (RFC 9728
// §5.1, core.Guard.WithResourceMetadata). It panics when url is not an
// absolute http(s) URL that a challenge can quote (a programming error,
// caught when the guard is built).
func ResourceMetadataOption[H any](url string) GuardOption[H] {
	if core.RequireAuth().WithResourceMetadata(url).ResourceMetadata() == "" {
		panic(fmt.Sprintf("clerkguard: WithResourceMetadata needs an absolute http(s) URL without quotes, got %q", url))
	}
	return resourceMetadataOption[H](url)
}

// PassPreflightOption returns the option behind an adapter's
// WithPassPreflight: a guard option only (Guard.PassPreflight).
func PassPreflightOption[H any]() GuardOption[H] { return passPreflightOption[H]{} }

// ErrorHandlerOption returns the option behind an adapter's WithErrorHandler:
// usable on Middleware and on every guard.
func ErrorHandlerOption[H, R any](h H) Option[H, R] { return errorHandlerOption[H, R]{h} }

// SkipperOption returns the option behind an adapter's WithSkipper: a
// middleware option only.
func SkipperOption[H, R any](skip func(R) bool) MiddlewareOption[H, R] {
	return skipperOption[H, R](skip)
}

// NewMiddlewareConfig applies opts in order (nil options are ignored).
func NewMiddlewareConfig[H, R any](opts []MiddlewareOption[H, R]) MiddlewareConfig[H, R] {
	var c MiddlewareConfig[H, R]
	for _, o := range opts {
		if o != nil {
			o.applyMiddleware(&c)
		}
	}
	c.shared = newSharedStates()
	return c
}

// NewGuardConfig applies opts in order (nil options are ignored).
func NewGuardConfig[H any](opts []GuardOption[H]) GuardConfig[H] {
	var c GuardConfig[H]
	for _, o := range opts {
		if o != nil {
			o.applyGuard(&c)
		}
	}
	return c
}

// DefaultHandler is what the middleware stores in each request's State
// (NewState) for the guards after it: its ErrorHandler, or nil when none was
// set (or it was set to nil).
func (c MiddlewareConfig[H, R]) DefaultHandler() any {
	if c.hasHandler {
		return c.ErrorHandler
	}
	return nil
}

// Handler returns the handler of this guard's rejections: the guard's own
// ErrorHandler when set, else the middleware's default stored in s
// (DefaultHandler), else def (the adapter's DefaultErrorHandler). s may be
// nil: the middleware did not run.
func (c GuardConfig[H]) Handler(s *State, def H) H {
	if c.hasHandler {
		return c.ErrorHandler
	}
	if h, ok := s.ErrorHandler().(H); ok {
		return h
	}
	return def
}

// isNil reports whether h, an error handler (a func or an interface value),
// is nil. It runs once per option, never per request.
func isNil(h any) bool {
	if h == nil {
		return true
	}
	switch v := reflect.ValueOf(h); v.Kind() {
	case reflect.Func, reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Chan:
		return v.IsNil()
	}
	return false
}

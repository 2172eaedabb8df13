package core

// For adapter authors: the option plumbing every adapter shares, typed by
// the adapter's error handler H and request type R (*http.Request,
// *gin.Context, fiber.Ctx, …). An adapter declares aliases
//
//	type MiddlewareOption = core.MiddlewareOption[ErrorHandler, *gin.Context]
//	type GuardOption = core.GuardOption[ErrorHandler]
//	type Option = core.AdapterOption[ErrorHandler, *gin.Context]
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
	// (Authorizer.AuthenticateBrowser) and apply its Answer.
	Handshake bool
}

// GuardConfig is what the guard options of an adapter set.
type GuardConfig[H any] struct {
	// ErrorHandler, when set, renders this guard's rejections.
	ErrorHandler H
	// PassPreflight makes the guard let CORS preflights through
	// (Guard.PassPreflight).
	PassPreflight bool
	// RedirectToSignIn makes the guard send signed-out page loads to the
	// sign-in page (SignInRedirect) instead of answering 401.
	RedirectToSignIn bool
	// SignInURL is the sign-in page of RedirectToSignIn; "" means the
	// Authorizer's (WithSignInURL).
	SignInURL string
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
type AdapterOption[H, R any] interface {
	MiddlewareOption[H, R]
	GuardOption[H]
}

type errorHandlerOption[H, R any] struct{ h H }

func (o errorHandlerOption[H, R]) applyMiddleware(c *MiddlewareConfig[H, R]) { c.ErrorHandler = o.h }
func (o errorHandlerOption[H, R]) applyGuard(c *GuardConfig[H])              { c.ErrorHandler = o.h }

type skipperOption[H, R any] func(R) bool

func (o skipperOption[H, R]) applyMiddleware(c *MiddlewareConfig[H, R]) { c.Skipper = o }

type passPreflightOption[H any] struct{}

func (passPreflightOption[H]) applyGuard(c *GuardConfig[H]) { c.PassPreflight = true }

// PassPreflightOption returns the option behind an adapter's
// WithPassPreflight: a guard option only (Guard.PassPreflight).
func PassPreflightOption[H any]() GuardOption[H] { return passPreflightOption[H]{} }

// ErrorHandlerOption returns the option behind an adapter's WithErrorHandler:
// usable on Middleware and on every guard.
func ErrorHandlerOption[H, R any](h H) AdapterOption[H, R] { return errorHandlerOption[H, R]{h} }

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

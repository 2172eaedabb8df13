package conformance

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

// Mount lists what a harness needs to build each route's handler chain, in
// the adapter's own types: H is what both its Middleware and its guards
// return (gin.HandlerFunc, echo.MiddlewareFunc, fiber.Handler,
// func(http.Handler) http.Handler: one type in every HTTP adapter), MO and
// GO its middleware and guard option types. Fill it once, e.g.
//
//	var mount = conformance.Mount[gin.HandlerFunc, clerkgin.MiddlewareOption, clerkgin.GuardOption]{
//		Middleware: clerkgin.Middleware, WithQueryToken: clerkgin.WithQueryToken,
//		WithHandshake: clerkgin.WithHandshake, Guards: guards, Options: options}
//
// and mount each route with Chain in front of the terminal handler, at
// Route.HTTPMethod and Route.Path: every route then gets exactly the
// middleware and guard options the suite asks for, with no per-route logic
// in the harness.
type Mount[H, MO, GO any] struct {
	// Middleware is the adapter's Middleware.
	Middleware func(a *core.Authorizer, opts ...MO) H
	// WithQueryToken is the adapter's WithQueryToken (Route.QueryToken).
	WithQueryToken func(param string) MO
	// WithHandshake is the adapter's WithHandshake (App.Handshake).
	WithHandshake func() MO
	// Guards are the adapter's guard functions (Guards.For).
	Guards Guards[H, GO]
	// Options are the adapter's option constructors (Options.For).
	Options Options[MO, GO]
}

// Chain returns the handlers to mount in front of r's terminal handler, in
// order: the adapter's Middleware for app.Authorizer with r's options
// (Options.For, QueryTokenOptions, HandshakeOptions), unless r.NoMiddleware;
// then r's guard with its options (Guards.For), when r has one. It panics
// when a function it needs is nil: the harness forgot to list it.
func (m Mount[H, MO, GO]) Chain(app *App, r Route) []H {
	mwOpts, gOpts := m.Options.For(r)
	var chain []H
	if !r.NoMiddleware {
		if r.QueryToken != "" {
			mwOpts = append(mwOpts, QueryTokenOptions(r, need(m.WithQueryToken, "Mount.WithQueryToken"))...)
		}
		if app.Handshake {
			mwOpts = append(mwOpts, HandshakeOptions(app, need(m.WithHandshake, "Mount.WithHandshake"))...)
		}
		chain = append(chain, need(m.Middleware, "Mount.Middleware")(app.Authorizer, mwOpts...))
	}
	if g, ok := m.Guards.For(r, gOpts...); ok {
		chain = append(chain, g)
	}
	return chain
}

// HTTPMethod is the method to mount r at: r.Method, GET when unset.
func (r Route) HTTPMethod() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

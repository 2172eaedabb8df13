package adapter

import (
	"context"
	"log/slog"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/internal/ctxkey"
)

// State is what an adapter's middleware keeps for one request: the
// authentication Result, the logger of the Authorizer that produced it
// (through which Evaluate logs 403 decisions) and the middleware's default
// error handler for the guards after it.
//
// A State is also the context.Context of the request: its parent plus the
// Result (core.ResultFromContext, core.ClaimsFromContext) and the State
// itself (StateFromContext), so storing all of it on a request costs one
// allocation, or none beyond what an adapter already allocates per request
// when it keeps the State there (MiddlewareConfig.Authenticate).
type State struct {
	parent  context.Context
	res     core.Result
	logger  *slog.Logger
	guard   func(context.Context, core.GuardEvent) // the Authorizer's GuardObserver (events.go)
	handler any

	// Browser sessions (browser.go): the Authorizer, for sign-in
	// redirects, and the middleware's Answer.
	auth *core.Authorizer
	ans  core.Answer
}

// stateKey is the context key of the *State itself.
type stateKey struct{}

// NewState authenticates req with a and returns the request's State, whose
// parent context is ctx and whose default error handler is handler (nil
// when there is none; MiddlewareConfig.NewState passes the middleware's).
// It never rejects: the Result says why the request is signed out. a must
// not be nil.
func NewState(ctx context.Context, a *core.Authorizer, req core.Request, handler any) *State {
	return NewRouteState(ctx, a, req, nil, handler)
}

// NewRouteState is NewState for a route that opts in to further token
// sources (core.Authorizer.AuthenticateRoute, behaviour.md §1.6): route is
// tried after the Authorization header and before the cookie.
func NewRouteState(ctx context.Context, a *core.Authorizer, req core.Request, route []core.TokenSource, handler any) *State {
	s := &State{handler: handler}
	s.authenticate(ctx, a, req, route)
	return s
}

// NewState is the State of request r for a middleware configured with c:
// skipped (signed out, session-token-missing) when c.Skipper says so, else
// authenticated from req, the core.Request view of r (NewState); with c's
// default error handler (DefaultHandler). a must not be nil.
//
// A signed-in request whose parent context is context.Background() (fiber's
// default) carries nothing of its own: it shares the State of the last
// request with the same cached Claims through c (see sharedStates), so the
// steady state of a signed-in user allocates nothing.
func (c MiddlewareConfig[H, R]) NewState(ctx context.Context, a *core.Authorizer, r R, req core.Request) *State {
	ctx = orBackground(ctx)
	if (c.Skipper != nil && c.Skipper(r)) || c.Handshake {
		// A browser flow's State carries its own Answer: never shared.
		s := new(State)
		c.Authenticate(ctx, a, r, req, s)
		return s
	}
	claims, err := authenticate(ctx, a, req, c.Sources)
	if err == nil && claims != nil && c.shared != nil && ctx == context.Background() {
		return c.shared.state(claims, a, c.DefaultHandler())
	}
	return &State{parent: ctx, res: core.Result{Claims: claims, Err: err}, logger: a.Logger(), guard: a.GuardObserver(),
		handler: c.DefaultHandler(), auth: a}
}

// Authenticate is NewState into s, never shared, for an adapter that keeps
// the State in per-request memory it already allocates (NewRequest).
func (c MiddlewareConfig[H, R]) Authenticate(ctx context.Context, a *core.Authorizer, r R, req core.Request, s *State) {
	s.handler = c.DefaultHandler()
	if c.Skipper != nil && c.Skipper(r) {
		s.skip(ctx)
		return
	}
	if c.Handshake {
		s.authenticateBrowser(ctx, a, req, c.Sources)
		return
	}
	s.authenticate(ctx, a, req, c.Sources)
}

// authenticateBrowser is authenticate with the browser-session flow
// (core.Authorizer.AuthenticateBrowserRoute, behaviour.md §10): s keeps the
// Answer.
func (s *State) authenticateBrowser(ctx context.Context, a *core.Authorizer, req core.Request, route []core.TokenSource) {
	ctx = orBackground(ctx)
	c, ans, err := a.AuthenticateBrowserRoute(ctx, req, route)
	s.parent, s.res, s.logger, s.guard, s.auth, s.ans = ctx, core.Result{Claims: c, Err: err}, a.Logger(), a.GuardObserver(), a, ans
}

// authenticate authenticates req with a into s, reading route's sources
// too: ctx becomes its parent context; the error handler is kept.
func (s *State) authenticate(ctx context.Context, a *core.Authorizer, req core.Request, route []core.TokenSource) {
	c, err := authenticate(ctx, a, req, route)
	s.parent, s.res, s.logger, s.guard, s.auth = orBackground(ctx), core.Result{Claims: c, Err: err}, a.Logger(), a.GuardObserver(), a
}

// skip makes s the State of a request the middleware's Skipper skipped:
// signed out with reason session-token-missing, so that a guard answers 401
// exactly as for a request without a token, never 500 and never a pass.
func (s *State) skip(ctx context.Context) {
	s.parent, s.res, s.logger, s.guard = orBackground(ctx), core.Result{Err: core.ErrSessionTokenMissing}, nil, nil
}

// Result returns the authentication outcome; nil for a nil State.
func (s *State) Result() *core.Result {
	if s == nil {
		return nil
	}
	return &s.res
}

// ErrorHandler returns the handler given to NewState or SetErrorHandler.
func (s *State) ErrorHandler() any {
	if s == nil {
		return nil
	}
	return s.handler
}

// authenticate is a.Authenticate, or a.AuthenticateRoute for a route with
// sources of its own.
func authenticate(ctx context.Context, a *core.Authorizer, req core.Request, route []core.TokenSource) (*core.Claims, error) {
	if len(route) == 0 {
		return a.Authenticate(ctx, req)
	}
	return a.AuthenticateRoute(ctx, req, route)
}

func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// Deadline implements context.Context (the parent's).
func (s *State) Deadline() (time.Time, bool) { return s.parent.Deadline() }

// Done implements context.Context (the parent's).
func (s *State) Done() <-chan struct{} { return s.parent.Done() }

// Err implements context.Context (the parent's).
func (s *State) Err() error { return s.parent.Err() }

// Value implements context.Context: the Result under core's key, the State
// under this package's, anything else from the parent.
func (s *State) Value(key any) any {
	switch key.(type) {
	case ctxkey.Result:
		return &s.res
	case stateKey:
		return s
	}
	return s.parent.Value(key)
}

// String describes the context without its content (fmt, panics).
func (s *State) String() string { return "clerkguard adapter state" }

// StateFromContext returns the State on ctx: the one a middleware stored
// (a *State is a context, or a context derived from one), else, when ctx
// carries only a Result (core.ContextWithClaims in a handler test), a State
// holding a copy of it without a logger; false when neither is on ctx (the
// middleware did not run).
func StateFromContext(ctx context.Context) (*State, bool) {
	if s, ok := ctx.(*State); ok && s != nil { // the middleware's own context
		return s, true
	}
	if ctx == nil {
		return nil, false
	}
	if s, ok := ctx.Value(stateKey{}).(*State); ok && s != nil {
		return s, true
	}
	if res, ok := core.ResultFromContext(ctx); ok {
		return &State{parent: ctx, res: *res}, true
	}
	return nil, false
}

package adapter

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

// Evaluate is a guard's whole decision for one request, called once per
// guarded request: g.Evaluate of the State's Result (core decides, for
// every adapter alike), plus what only the request knows:
//   - s == nil (the middleware did not run): ReasonMiddlewareMissing (500),
//     logged at error level through slog.Default() with the guard and the
//     path (no Authorizer is known then): a wiring mistake never lets a
//     request through;
//   - each 403 decision is logged at info level (message "clerkguard:
//     request forbidden"; reason, guard, path when req implements
//     PathRequest, user ID; never the token) through the logger of the
//     Authorizer that authenticated the request, with ctx; a State holding
//     a Result built by hand has no logger and logs nothing
//     (behaviour.md §7.3).
//
// req may be nil.
func Evaluate(ctx context.Context, g core.Guard, s *State, req core.Request) error {
	if s == nil {
		attrs := []slog.Attr{slog.String("guard", g.Name())}
		if pr, ok := req.(PathRequest); ok {
			attrs = append(attrs, slog.String("path", pr.Path()))
		}
		slog.Default().LogAttrs(ctx, slog.LevelError,
			"clerkguard: guard used without the authentication middleware in front of it; answering 500", attrs...)
		return g.Evaluate(nil)
	}
	err := g.Evaluate(&s.res)
	s.observeGuard(ctx, g, err)
	if err != nil && s.logger != nil && core.ReasonOf(err).Status() == http.StatusForbidden {
		logForbidden(ctx, s.logger, g, &s.res, req, core.ReasonOf(err))
	}
	return err
}

// Evaluate is Evaluate for a guard configured with c: with PassPreflight
// set, a CORS preflight (req implements MethodRequest and IsPreflight) goes
// through once the middleware has run (s != nil): a preflight never carries
// credentials, and a missing middleware is still a wiring mistake. With
// ResourceMetadata set, g's 401 answers name it
// (core.Guard.WithResourceMetadata).
func (c GuardConfig[H]) Evaluate(ctx context.Context, g core.Guard, s *State, req core.Request) error {
	if c.PassPreflight && s != nil && isPreflightRequest(req) {
		return nil
	}
	if c.ResourceMetadata != "" {
		g = g.WithResourceMetadata(c.ResourceMetadata)
	}
	return Evaluate(ctx, g, s, req)
}

// logForbidden logs a 403 decision (behaviour.md §7.3: the token never
// appears in a log line).
func logForbidden(ctx context.Context, l *slog.Logger, g core.Guard, res *core.Result, req core.Request, reason core.Reason) {
	if !l.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := make([]slog.Attr, 0, 4)
	attrs = append(attrs, slog.String("reason", string(reason)), slog.String("guard", g.Name()))
	if pr, ok := req.(PathRequest); ok {
		attrs = append(attrs, slog.String("path", pr.Path()))
	}
	attrs = append(attrs, slog.String("user_id", res.Claims.Subject))
	l.LogAttrs(ctx, slog.LevelInfo, "clerkguard: request forbidden", attrs...)
}

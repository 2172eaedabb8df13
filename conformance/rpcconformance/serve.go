package rpcconformance

import (
	"context"

	"github.com/clerkguard/clerkguard/core"
)

// Accessors are the adapter's functions a handler of the suite calls, for
// App.Unary and App.Stream: its Check (clerkgrpc.Check, clerkconnect.Check)
// and its ClaimsFrom.
type Accessors struct {
	Check      func(ctx context.Context, g core.Guard) error
	ClaimsFrom func(ctx context.Context) (*core.Claims, bool)
}

// Unary is the body of p's unary handler, ctx being the context the adapter
// gave it: the adapter's Check with *p.Check when set (a refusal is the
// handler's error, returned as it is), then Handle with what ClaimsFrom
// returns. It returns the body of the response message.
func (a *App) Unary(ctx context.Context, p Procedure, ad Accessors) ([]byte, error) {
	if err := a.check(ctx, p, ad); err != nil {
		return nil, err
	}
	c, ok := ad.ClaimsFrom(ctx)
	return a.Handle(ctx, c, ok), nil
}

// Stream is the body of p's server-streaming handler, ctx being the
// stream's context: Check as in Unary, then send(Handle's body), then
// send(Summarize's body) from ClaimsFrom read again after the first send.
func (a *App) Stream(ctx context.Context, p Procedure, ad Accessors, send func(body []byte) error) error {
	if err := a.check(ctx, p, ad); err != nil {
		return err
	}
	c, ok := ad.ClaimsFrom(ctx)
	if err := send(a.Handle(ctx, c, ok)); err != nil {
		return err
	}
	c, ok = ad.ClaimsFrom(ctx)
	return send(a.Summarize(ctx, c, ok))
}

func (a *App) check(ctx context.Context, p Procedure, ad Accessors) error {
	if p.Check == nil {
		return nil
	}
	return ad.Check(ctx, *p.Check)
}

package conformance

// Options lists the adapter's option constructors the suite needs, in the
// adapter's own types: MO is its middleware option type, GO its guard
// option type. Fill it once, e.g.
//
//	var options = conformance.Options[clerkgin.MiddlewareOption, clerkgin.GuardOption]{
//		Hook: func(h conformance.ErrorHook) (clerkgin.MiddlewareOption, clerkgin.GuardOption) {
//			o := hook(h) // clerkgin.WithErrorHandler(…) for HookSilent or HookCustom
//			return o, o
//		},
//		SkipAll: func() clerkgin.MiddlewareOption {
//			return clerkgin.WithSkipper(func(*gin.Context) bool { return true })
//		},
//	}
//
// and mount every route with the options For returns, so that the suite
// checks error hooks on guards and on the middleware, and the skipper,
// through the adapter's own options.
type Options[MO, GO any] struct {
	// Hook returns the adapter's WithErrorHandler installing the handler h
	// stands for (HookSilent or HookCustom, never HookDefault), as a
	// middleware option and as a guard option.
	Hook func(h ErrorHook) (MO, GO)
	// SkipAll returns the adapter's WithSkipper with a skipper that skips
	// every request.
	SkipAll func() MO
}

// For returns the options of r's middleware (r.MiddlewareHook, r.Skipped)
// and of its guard (r.Hook). It panics when a constructor it needs is nil:
// the harness forgot to list it.
func (o Options[MO, GO]) For(r Route) (middleware []MO, guard []GO) {
	if r.MiddlewareHook != HookDefault {
		m, _ := need(o.Hook, "Options.Hook")(r.MiddlewareHook)
		middleware = append(middleware, m)
	}
	if r.Skipped {
		middleware = append(middleware, need(o.SkipAll, "Options.SkipAll")())
	}
	if r.Hook != HookDefault {
		_, g := need(o.Hook, "Options.Hook")(r.Hook)
		guard = append(guard, g)
	}
	return middleware, guard
}

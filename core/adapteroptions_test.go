package core_test

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

type testHandler func(string) string

// The adapter option plumbing: options apply in order, nil ones are
// ignored, WithErrorHandler's option fits both the middleware and the
// guards, and WithSkipper's does not fit a guard (so it cannot compile
// there in an adapter).
func TestAdapterOptions(t *testing.T) {
	first := testHandler(func(string) string { return "first" })
	last := testHandler(func(string) string { return "last" })
	skip := core.SkipperOption[testHandler](func(r int) bool { return r == 7 })
	mw := core.NewMiddlewareConfig([]core.MiddlewareOption[testHandler, int]{
		core.ErrorHandlerOption[testHandler, int](first), nil, skip, core.ErrorHandlerOption[testHandler, int](last)})
	if mw.ErrorHandler == nil || mw.ErrorHandler("") != "last" || mw.Skipper == nil || !mw.Skipper(7) || mw.Skipper(8) {
		t.Fatalf("middleware config: options not applied in order")
	}
	g := core.NewGuardConfig([]core.GuardOption[testHandler]{nil, core.ErrorHandlerOption[testHandler, int](first)})
	if g.ErrorHandler == nil || g.ErrorHandler("") != "first" {
		t.Fatalf("guard config: the error handler option was not applied")
	}
	if empty := core.NewGuardConfig[testHandler](nil); empty.ErrorHandler != nil {
		t.Fatalf("guard config without options has an error handler")
	}
	if _, ok := any(skip).(core.GuardOption[testHandler]); ok {
		t.Fatal("the skipper option is a GuardOption: WithSkipper would compile on a guard")
	}
}

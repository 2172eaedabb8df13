package adapter_test

import (
	"testing"

	"github.com/clerkguard/clerkguard/core/adapter"
)

type testHandler func(string) string

// The adapter option plumbing: options apply in order, nil ones are
// ignored, WithErrorHandler's option fits both the middleware and the
// guards, and WithSkipper's does not fit a guard (so it cannot compile
// there in an adapter).
func TestAdapterOptions(t *testing.T) {
	first := testHandler(func(string) string { return "first" })
	last := testHandler(func(string) string { return "last" })
	skip := adapter.SkipperOption[testHandler](func(r int) bool { return r == 7 })
	mw := adapter.NewMiddlewareConfig([]adapter.MiddlewareOption[testHandler, int]{
		adapter.ErrorHandlerOption[testHandler, int](first), nil, skip, adapter.ErrorHandlerOption[testHandler, int](last)})
	if mw.ErrorHandler == nil || mw.ErrorHandler("") != "last" || mw.Skipper == nil || !mw.Skipper(7) || mw.Skipper(8) {
		t.Fatalf("middleware config: options not applied in order")
	}
	g := adapter.NewGuardConfig([]adapter.GuardOption[testHandler]{nil, adapter.ErrorHandlerOption[testHandler, int](first)})
	if g.ErrorHandler == nil || g.ErrorHandler("") != "first" {
		t.Fatalf("guard config: the error handler option was not applied")
	}
	if empty := adapter.NewGuardConfig[testHandler](nil); empty.ErrorHandler != nil {
		t.Fatalf("guard config without options has an error handler")
	}
	if _, ok := any(skip).(adapter.GuardOption[testHandler]); ok {
		t.Fatal("the skipper option is a GuardOption: WithSkipper would compile on a guard")
	}
}

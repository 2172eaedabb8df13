package clerkecho

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
)

// errFrom returns a handler that returns err, a distinct closure per call.
func errFrom(err error) echo.HandlerFunc { return func(echo.Context) error { return err } }

func TestWrapsBuildsOncePerNext(t *testing.T) {
	var w wraps
	builds := 0
	build := func(next echo.HandlerFunc) echo.HandlerFunc {
		builds++
		return func(c echo.Context) error { return next(c) }
	}
	errA, errB := errors.New("a"), errors.New("b")
	nextA, nextB := errFrom(errA), errFrom(errB)
	c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())

	for range 3 {
		if err := w.wrap(nextA, build)(c); err != errA {
			t.Fatalf("wrapped nextA returned %v, want %v", err, errA)
		}
		if err := w.wrap(nextB, build)(c); err != errB {
			t.Fatalf("wrapped nextB returned %v, want %v", err, errB)
		}
	}
	if builds != 2 {
		t.Fatalf("build ran %d times for two distinct next handlers, want 2", builds)
	}
	if n := testing.AllocsPerRun(100, func() { _ = w.wrap(nextA, build) }); n != 0 {
		t.Fatalf("a remembered wrap allocates %v times, want 0", n)
	}
}

func TestWrapsNilNextIsNeverRemembered(t *testing.T) {
	var w wraps
	builds := 0
	build := func(next echo.HandlerFunc) echo.HandlerFunc { builds++; return next }
	w.wrap(nil, build)
	w.wrap(nil, build)
	if builds != 2 || w.n.Load() != 0 {
		t.Fatalf("nil next: %d builds, %d remembered; want 2 builds, 0 remembered", builds, w.n.Load())
	}
}

// TestWrapsBounded: a wiring that hands the middleware a new next on every
// request (a middleware before it that allocates its closure per request)
// fills at most maxWraps entries, and every handler still calls its own
// next.
func TestWrapsBounded(t *testing.T) {
	var w wraps
	build := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error { return next(c) }
	}
	c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	for i := range maxWraps + 100 {
		want := errors.New("next")
		if err := w.wrap(errFrom(want), build)(c); err != want {
			t.Fatalf("request %d: the handler called another next (%v)", i, err)
		}
	}
	if got := w.n.Load(); got != maxWraps {
		t.Fatalf("remembered %d handlers, want the bound %d", got, maxWraps)
	}
}

func TestWrapsConcurrent(t *testing.T) {
	var w wraps
	build := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error { return next(c) }
	}
	nexts := make([]echo.HandlerFunc, 8)
	errs := make([]error, len(nexts))
	for i := range nexts {
		errs[i] = errors.New("next")
		nexts[i] = errFrom(errs[i])
	}
	e := echo.New()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
			for i := range 200 {
				k := (i + g) % len(nexts)
				if err := w.wrap(nexts[k], build)(c); err != errs[k] {
					t.Errorf("goroutine %d: handler %d called another next", g, k)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := w.n.Load(); got > int32(len(nexts)) {
		t.Fatalf("remembered %d handlers for %d distinct next handlers", got, len(nexts))
	}
}

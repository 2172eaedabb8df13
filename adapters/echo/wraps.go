package clerkecho

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/labstack/echo/v4"
)

// maxWraps bounds the handlers one middleware remembers: one per route in
// the usual wiring, so a few hundred cover a large application. Past it the
// middleware builds a fresh handler on each request, as echo expects of any
// middleware.
const maxWraps = 512

// wraps remembers, for one middleware, the handler it built around each next
// handler. echo v4 applies middleware on every request (applyMiddleware in
// ServeHTTP and in each route's handler), so a middleware that returns a new
// closure each time costs one allocation per request. The next handler echo
// passes is the same func value on every request to a route (the route's
// handler, or the handler the middleware after it returned), so the handler
// built for it the first time serves every later request.
//
// The key is the func value's pointer (a Go func value is one pointer to its
// closure). The remembered handler holds next, so next's closure lives as
// long as its entry and its address can never be reused by another handler
// while the entry exists: a key never names two handlers.
type wraps struct {
	m sync.Map // unsafe.Pointer (next's closure) -> echo.HandlerFunc
	n atomic.Int32
}

// wrap returns build(next), built once per distinct next (up to maxWraps).
// A nil next is never remembered.
func (w *wraps) wrap(next echo.HandlerFunc, build func(echo.HandlerFunc) echo.HandlerFunc) echo.HandlerFunc {
	key := *(*unsafe.Pointer)(unsafe.Pointer(&next))
	if key == nil {
		return build(next)
	}
	if h, ok := w.m.Load(key); ok {
		return h.(echo.HandlerFunc)
	}
	h := build(next)
	if w.n.Load() < maxWraps {
		if prev, loaded := w.m.LoadOrStore(key, h); loaded {
			return prev.(echo.HandlerFunc)
		}
		w.n.Add(1)
	}
	return h
}

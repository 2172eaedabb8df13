// Package querytoken is the README's "Further token sources" snippet: a chi
// API whose event stream, and only it, reads the token from ?token=
// (behaviour.md §1.6, §1.7). Its test compares the snippet with the README,
// byte for byte, and runs it.
package querytoken

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
)

// Routes mounts /me (header or cookie) and /events (also ?token=) with the
// handlers given.
func Routes(a *core.Authorizer, me, events http.HandlerFunc) http.Handler {
	// README:begin
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a)) // every route: the Authorization header, then the __session cookie
	r.With(clerkchi.RequireAuth()).Get("/me", me)
	// Only the event stream also reads ?token=, for EventSource and WebSocket clients.
	r.With(clerkchi.Middleware(a, clerkchi.WithQueryToken("token")), clerkchi.RequireAuth()).
		Get("/events", events)
	// README:end
	return r
}

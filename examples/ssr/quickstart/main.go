// Command quickstart is the README's "SSR apps" quick start: server-rendered
// pages that stay signed in through Clerk's handshake, and a dashboard that
// sends signed-out visitors to the sign-in page.
package main

import (
	"html/template"
	"log"
	"net/http"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
)

func main() {
	// CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY, CLERK_SIGN_IN_URL, … (see Configuration)
	a, err := core.NewFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(":8080", NewRouter(a)))
}

// NewRouter is the application: the middleware keeps page loads signed in
// (WithHandshake), the guard sends signed-out page loads to the sign-in page.
func NewRouter(a *core.Authorizer) http.Handler {
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a, clerkchi.WithHandshake()))
	r.Get("/", render)
	r.With(clerkchi.RequireAuth(clerkchi.WithRedirectToSignIn(""))).Get("/dashboard", render)
	return r
}

var page = template.Must(template.New("page").Parse(
	`<!doctype html><p>{{with .}}Signed in as {{.UserID}}{{else}}Signed out{{end}}</p>`))

func render(w http.ResponseWriter, r *http.Request) {
	c, _ := clerkchi.ClaimsFrom(r.Context()) // nil when signed out
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page.Execute(w, c)
}

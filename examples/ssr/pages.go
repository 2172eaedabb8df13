package main

import (
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/frontendproxy"
)

// pages holds what the HTML pages need beyond the claims.
type pages struct {
	signOutURL string // dev mode's sign-out endpoint, "" otherwise
}

// newRouter is the application. Pages get the middleware with the
// handshake (a page load with an expired session token goes through the
// Frontend API and comes back signed in); the JSON API gets the plain
// middleware, so it never answers with a redirect. fapi, when not nil, is
// the Frontend API proxy, mounted at its path outside the middleware.
func newRouter(a *core.Authorizer, p pages, fapi *frontendproxy.Handler) http.Handler {
	r := chi.NewRouter()
	if fapi != nil {
		r.Handle(fapi.Path(), fapi)
		r.Handle(fapi.Path()+"/*", fapi)
	}
	r.Get("/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	r.Group(func(r chi.Router) {
		r.Use(clerkchi.Middleware(a, clerkchi.WithHandshake()))
		r.Get("/", p.render("home"))
		r.With(clerkchi.RequireAuth(clerkchi.WithRedirectToSignIn(""))).Get("/dashboard", p.render("dashboard"))
	})
	r.Group(func(r chi.Router) {
		r.Use(clerkchi.Middleware(a))
		r.With(clerkchi.RequireAuth()).Get("/api/me", func(w http.ResponseWriter, r *http.Request) {
			c, _ := clerkchi.ClaimsFrom(r.Context())
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]string{"user_id": c.UserID()})
		})
	})
	return r
}

// page is what the templates show.
type page struct {
	Title      string
	UserID     string // "" when signed out
	SignOutURL string
	HomeURL    string // where sign-out returns
}

// render serves the template name with the request's claims.
func (p pages) render(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := page{Title: name, SignOutURL: p.signOutURL, HomeURL: "http://" + r.Host + "/"}
		if c, ok := clerkchi.ClaimsFrom(r.Context()); ok {
			v.UserID = c.UserID()
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := templates.ExecuteTemplate(w, name, v); err != nil {
			http.Error(w, "template error", http.StatusInternalServerError)
		}
	}
}

var templates = template.Must(template.New("").Parse(`
{{define "top"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>clerkguard SSR example: {{.Title}}</title></head>
<body>
<nav><a id="home" href="/">Home</a> · <a id="dashboard" href="/dashboard">Dashboard</a></nav>
<p id="status">{{if .UserID}}Signed in as {{.UserID}}{{else}}Signed out{{end}}</p>
{{end}}
{{define "bottom"}}{{if .UserID}}{{if .SignOutURL}}<form method="post" action="{{.SignOutURL}}">
<input type="hidden" name="redirect_url" value="{{.HomeURL}}"><button id="sign-out" type="submit">Sign out</button>
</form>{{end}}{{else}}<p><a id="sign-in" href="/dashboard">Sign in</a></p>{{end}}
</body></html>
{{end}}
{{define "home"}}{{template "top" .}}<h1>Home</h1>
<p>This page is public: it renders for everyone and says who is signed in.</p>
{{template "bottom" .}}{{end}}
{{define "dashboard"}}{{template "top" .}}<h1>Dashboard</h1>
<p>Only signed-in users see this page; others are sent to the sign-in page.</p>
{{template "bottom" .}}{{end}}
`))

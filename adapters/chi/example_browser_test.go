package clerkchi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// A server-rendered app: the middleware keeps browser sessions alive with
// the handshake, and the dashboard sends signed-out visitors to the sign-in
// page while its API answers 401.
func ExampleWithHandshake() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithPublishableKey(iss.PublishableKey()),
		core.WithSignInURL("/sign-in"))...)
	if err != nil {
		panic(err)
	}
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a, clerkchi.WithHandshake()))
	r.With(clerkchi.RequireAuth(clerkchi.WithRedirectToSignIn(""))).Get("/dashboard", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "dashboard")
	})

	get := func(path, dest, cookies string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "http://app.example"+path, nil)
		req.Header.Set("Sec-Fetch-Dest", dest)
		req.Header.Set("Cookie", cookies)
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec
	}
	// Signed out: the page goes to the sign-in page, a fetch gets a 401.
	rec := get("/dashboard", "document", "__clerk_db_jwt=dvb_1")
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	fmt.Println(get("/dashboard", "empty", "__clerk_db_jwt=dvb_1").Code)
	// The session cookie expired in the browser: a handshake.
	rec = get("/dashboard", "document", "__client_uat=1; __clerk_db_jwt=dvb_1")
	fmt.Println(rec.Code, rec.Header().Get("X-Clerk-Auth-Status"))
	// Output:
	// 307 http://app.example/sign-in?redirect_url=http%3A%2F%2Fapp.example%2Fdashboard
	// 401
	// 307 handshake
}

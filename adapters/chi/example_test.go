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

// Guard routes of a chi router with Clerk session tokens. In production the
// Authorizer comes from core.NewFromEnv() (CLERK_SECRET_KEY, …); here a
// clerktest issuer stands in for Clerk.
func Example() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a))
	r.With(clerkchi.RequirePermission("org:invoices:create")).Post("/invoices", func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		fmt.Fprintf(w, "invoice created by %s in %s", c.UserID(), c.OrgID)
	})

	member := iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "member"})
	admin := iss.Mint(clerktest.Session{UserID: "user_2", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}})
	for _, token := range []string{"", member, admin} {
		clerktest.PrintServed(r, clerktest.NewRequest(http.MethodPost, "/invoices", token))
	}
	// Output:
	// 401 {"error":"unauthorized","reason":"session-token-missing","message":"No session token was found in the request."}
	// 403 {"error":"forbidden","reason":"missing-permission","message":"The signed-in user lacks the required permission."}
	// 200 invoice created by user_2 in org_1
}

// A custom error handler set once on Middleware applies to every guard below
// it; the request stays stopped even if the handler writes nothing.
func ExampleWithErrorHandler() {
	iss, a := clerktest.StartExample()
	defer iss.Close()
	plain := func(w http.ResponseWriter, _ *http.Request, err error) {
		http.Error(w, "denied: "+string(core.ReasonOf(err)), core.ReasonOf(err).Status())
	}
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a, clerkchi.WithErrorHandler(plain)))
	r.With(clerkchi.RequireAuth()).Get("/me", func(w http.ResponseWriter, r *http.Request) {})

	clerktest.PrintServed(r, clerktest.NewRequest(http.MethodGet, "/me", ""))
	// Output: 401 denied: session-token-missing
}

// Step-up for a sensitive route: the second factor must have been verified
// within the last 10 minutes (core.ReverificationStrict). A stale session
// gets a 403 whose clerk_error hint makes Clerk's frontend
// (useReverification) ask the user to verify again, then retry.
func ExampleRequireReverification() {
	iss, a := clerktest.StartExample()
	defer iss.Close()
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a))
	r.With(clerkchi.RequireReverification(core.ReverificationStrict)).Delete("/account", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "account deleted")
	})

	for _, fva := range [][2]int{{30, 45}, {30, 2}} { // second factor verified 45, then 2 minutes ago
		token := iss.Mint(clerktest.Session{UserID: "user_1", FVA: &fva})
		clerktest.PrintServed(r, clerktest.NewRequest(http.MethodDelete, "/account", token))
	}
	// Output:
	// 403 {"error":"forbidden","reason":"reverification-error","message":"The signed-in user must verify their credentials again.","clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}
	// 200 account deleted
}

// When the CORS middleware must run after a guard (here a stand-in that
// answers preflights itself), WithPassPreflight lets the browser's
// credential-less preflight through; every other request is still guarded.
// Mounting the CORS middleware first (r.Use(cors.Handler(…))) needs no option.
func ExampleWithPassPreflight() {
	iss, a := clerktest.StartExample()
	defer iss.Close()
	cors := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a), clerkchi.RequireAuth(clerkchi.WithPassPreflight()), cors)
	r.Post("/invoices", func(w http.ResponseWriter, r *http.Request) {})
	r.Options("/invoices", func(w http.ResponseWriter, r *http.Request) {})

	for _, method := range []string{http.MethodOptions, http.MethodPost} {
		req := httptest.NewRequest(method, "/invoices", nil)
		req.Header.Set("Origin", "https://app.example.com")
		req.Header.Set("Access-Control-Request-Method", http.MethodPost)
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		fmt.Println(method, rec.Code)
	}
	// Output:
	// OPTIONS 204
	// POST 401
}

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

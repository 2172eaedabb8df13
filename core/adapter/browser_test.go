package adapter_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// behaviour.md §7.1, §10: the handshake option makes the State carry core's
// Answer, written as it is; without it there is none. A handshake without a
// publishable key is a startup panic.
func TestHandshakeState(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithPublishableKey(e.iss.PublishableKey()), core.WithSignInURL("/sign-in"))
	page := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://app.example/p", nil)
		r.Header.Set("Sec-Fetch-Dest", "document")
		r.Header.Set("Cookie", "__client_uat=5; __clerk_db_jwt=db")
		return r
	}
	hs := adapter.NewMiddlewareConfig([]adapter.MiddlewareOption[testHandler, *http.Request]{adapter.HandshakeOption[testHandler, *http.Request]()})
	hs.MustBrowserSessions("test", a)
	_, st := hs.NewRequest(a, page(), page())
	rec := httptest.NewRecorder()
	if !st.WriteAnswer(rec) || rec.Code != http.StatusTemporaryRedirect || rec.Header().Get("X-Clerk-Auth-Status") != "handshake" {
		t.Fatalf("handshake: %d %v", rec.Code, rec.Header())
	}
	if st := hs.NewState(t.Context(), a, page(), core.HTTPRequest(page())); !st.Answer().Stops() {
		t.Fatal("NewState lost the Answer")
	}
	plain := adapter.NewMiddlewareConfig[testHandler, *http.Request](nil)
	_, st = plain.NewRequest(a, page(), page())
	if st.Answer().Stops() || st.Answer().Header != nil || st.Result().Reason() != core.ReasonClientUATWithoutSessionToken {
		t.Fatalf("without WithHandshake: answer %v, reason %s", st.Answer(), st.Result().Reason())
	}

	// The sign-in redirect needs the option and the middleware's State.
	g := adapter.NewGuardConfig([]adapter.GuardOption[testHandler]{adapter.RedirectToSignInOption[testHandler]("")})
	err := g.Evaluate(t.Context(), core.RequireAuth(), st, core.HTTPRequest(page()))
	if ans, ok := g.SignInRedirect(st, core.HTTPRequest(page()), err); !ok || ans.Header.Get("Location") != "http://app.example/sign-in?redirect_url=http%3A%2F%2Fapp.example%2Fp" {
		t.Fatalf("sign-in redirect: %v %v", ok, ans.Header)
	}
	if _, ok := g.SignInRedirect(nil, core.HTTPRequest(page()), err); ok {
		t.Fatal("redirected without the middleware's State")
	}
	if _, ok := adapter.NewGuardConfig[testHandler](nil).SignInRedirect(st, core.HTTPRequest(page()), err); ok {
		t.Fatal("redirected without the option")
	}

	defer func() {
		if recover() == nil {
			t.Fatal("WithHandshake without a publishable key did not panic")
		}
	}()
	hs.MustBrowserSessions("test", e.authorizer(t))
}

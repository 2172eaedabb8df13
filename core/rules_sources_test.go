package core_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// sourceReq builds a request carrying a token in any of the places clerkguard
// may read: Authorization, X-Clerk-Token, ?token= and the cookie.
func sourceReq(auth, xHeader, query, cookie string) core.Request {
	u := "/events"
	if query != "" {
		u += "?token=" + url.QueryEscape(query)
	}
	r := httptest.NewRequest(http.MethodGet, u, nil)
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	if xHeader != "" {
		r.Header.Set("X-Clerk-Token", xHeader)
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: cookie})
		r.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"}) // behaviour.md §10.1
	}
	return core.HTTPRequest(r)
}

// behaviour.md §1.5: opt-in sources, ordered after the Authorization header
// and before the cookie; the first that yields a token wins.
func TestRule1_5_TokenSources(t *testing.T) {
	e := newRuleEnv(t)
	var last core.Outcome
	a := e.authorizer(t, core.WithTokenSources(core.HeaderSource("x-clerk-token"), core.QuerySource("token")),
		core.WithObserver(func(o core.Outcome) { last = o }))
	plain := e.authorizer(t)
	tok := func(user string) string { return e.iss.Mint(clerktest.Session{UserID: user}) }
	auth, hdr, qry, ck := tok("user_auth"), tok("user_hdr"), tok("user_qry"), tok("user_cookie")
	bad := e.iss.Mint(clerktest.Session{UserID: "user_hdr"}, clerktest.TamperedSignature())
	cases := []struct {
		name                   string
		r                      core.Request
		wantUser, wantSource   string
		wantReason             core.Reason
		plainUser, plainReason string // what an Authorizer without sources says
	}{
		{"HeaderSource", sourceReq("", hdr, "", ""), "user_hdr", "header:X-Clerk-Token", "", "", string(core.ReasonSessionTokenMissing)},
		{"HeaderSourceBearerScheme", sourceReq("", "Bearer "+hdr, "", ""), "user_hdr", "header:X-Clerk-Token", "", "", string(core.ReasonSessionTokenMissing)},
		{"QuerySource", sourceReq("", "", qry, ""), "user_qry", "query:token", "", "", string(core.ReasonSessionTokenMissing)},
		{"AuthorizationWinsOverSources", sourceReq("Bearer "+auth, hdr, qry, ck), "user_auth", "header", "", "user_auth", ""},
		{"HeaderSourceWinsOverQueryAndCookie", sourceReq("", hdr, qry, ck), "user_hdr", "header:X-Clerk-Token", "", "user_cookie", ""},
		{"QueryWinsOverCookie", sourceReq("", "", qry, ck), "user_qry", "query:token", "", "user_cookie", ""},
		{"EmptyBearerInSourceFallsThrough", sourceReq("", "Bearer", qry, ck), "user_qry", "query:token", "", "user_cookie", ""},
		{"OtherSchemeInSourceFallsThrough", sourceReq("", "Basic dXNlcg==", "", ck), "user_cookie", "cookie", "", "user_cookie", ""},
		{"WhitespaceQueryFallsThrough", sourceReq("", "", "  ", ck), "user_cookie", "cookie", "", "user_cookie", ""},
		{"InvalidSourceTokenStillWins", sourceReq("", bad, qry, ck), "", "header:X-Clerk-Token", core.ReasonTokenInvalidSignature, "user_cookie", ""},
		{"NothingAnywhere", sourceReq("", "", "", ""), "", "", core.ReasonSessionTokenMissing, "", string(core.ReasonSessionTokenMissing)},
		{"QueryNeedsQueryRequest", fakeRequest{}, "", "", core.ReasonSessionTokenMissing, "", string(core.ReasonSessionTokenMissing)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := a.Authenticate(t.Context(), tc.r)
			if tc.wantReason != "" {
				if !errors.Is(err, &core.Error{Reason: tc.wantReason}) || c != nil {
					t.Fatalf("behaviour.md §1.5: %v, want %s", err, tc.wantReason)
				}
			} else if err != nil || c.UserID() != tc.wantUser {
				t.Fatalf("behaviour.md §1.5: user %q err %v, want %s", c.UserID(), err, tc.wantUser)
			}
			if last.Source != tc.wantSource {
				t.Fatalf("behaviour.md §1.5: Outcome.Source %q, want %q", last.Source, tc.wantSource)
			}
			// Without WithTokenSources, only the header and the cookie count.
			pc, perr := plain.Authenticate(t.Context(), tc.r)
			if pc.UserID() != tc.plainUser || string(core.ReasonOf(perr)) != tc.plainReason {
				t.Fatalf("behaviour.md §1.5: sources are opt-in: without them got %q/%v, want %q/%q", pc.UserID(), perr, tc.plainUser, tc.plainReason)
			}
		})
	}
}

// behaviour.md §1.2/§1.5: machine tokens may come from a header source, never
// from a query parameter (fresh or cached, JWT or opaque).
func TestRule1_5_MachineTokensPerSource(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithAcceptsToken(core.SessionToken, core.M2MToken),
		core.WithTokenSources(core.HeaderSource("X-Clerk-Token"), core.QuerySource("token")))
	m2m := e.iss.MintM2M(clerktest.Machine{Subject: "mch_src"})
	if _, err := a.Authenticate(t.Context(), sourceReq("", "", m2m, "")); !errors.Is(err, core.ErrTokenTypeMismatch) {
		t.Fatalf("behaviour.md §1.5: an M2M JWT from a query parameter: %v, want token-type-mismatch", err)
	}
	if c, err := a.Authenticate(t.Context(), sourceReq("", m2m, "", "")); err != nil || c.Subject != "mch_src" {
		t.Fatalf("behaviour.md §1.5: an M2M JWT from a header source: %v, want signed in", err)
	}
	// Now cached: still refused from the query.
	if _, err := a.Authenticate(t.Context(), sourceReq("", "", m2m, "")); !errors.Is(err, core.ErrTokenTypeMismatch) {
		t.Fatalf("behaviour.md §1.5: a cached M2M JWT from a query parameter: %v, want token-type-mismatch", err)
	}
	// Opaque: refused before any Backend API call (none is configured).
	if _, err := a.Authenticate(t.Context(), sourceReq("", "", "mt_0123456789abcdef0123456789abcdef", "")); !errors.Is(err, core.ErrTokenTypeMismatch) {
		t.Fatalf("behaviour.md §1.5: an opaque M2M token from a query parameter: %v, want token-type-mismatch", err)
	}
	for _, s := range []struct {
		src  core.TokenSource
		want bool
	}{{core.HeaderSource("X-A"), true}, {core.QuerySource("a"), false}} {
		if s.src.AcceptsMachineTokens() != s.want {
			t.Fatalf("%s: AcceptsMachineTokens = %v, want %v", s.src.Name(), !s.want, s.want)
		}
	}
}

func TestWithTokenSourcesValidation(t *testing.T) {
	e := newRuleEnv(t)
	for _, bad := range []core.TokenSource{{}, core.HeaderSource(""), core.HeaderSource("authorization"),
		core.HeaderSource("Cookie"), core.HeaderSource("X Token"), core.HeaderSource("X:Token"), core.QuerySource(" ")} {
		if _, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithTokenSources(bad)); !errors.Is(err, core.ErrConfig) {
			t.Fatalf("WithTokenSources(%q): %v, want ErrConfig", bad.Name(), err)
		}
	}
	if _, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithTokenSources(core.HeaderSource("X-Token_1"), core.QuerySource("access_token"))); err != nil {
		t.Fatalf("valid sources refused: %v", err)
	}
}

package core_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

var allReasons = []core.Reason{
	core.ReasonSessionTokenMissing, core.ReasonTokenInvalid, core.ReasonTokenInvalidAlgorithm,
	core.ReasonTokenInvalidSignature, core.ReasonTokenInvalidAuthorizedParties, core.ReasonTokenInvalidIssuer,
	core.ReasonTokenExpired, core.ReasonTokenNotActiveYet, core.ReasonTokenIatInTheFuture,
	core.ReasonTokenVerificationFailed, core.ReasonTokenTypeMismatch, core.ReasonSessionPending,
	core.ReasonJWKRemoteFailedToLoad, core.ReasonJWKKidMismatch, core.ReasonJWKFailedToResolve,
	core.ReasonSecretKeyInvalid, core.ReasonUnexpectedError,
}

// behaviour.md §8: the reason codes are exactly Clerk's names.
func TestRule8_ReasonCodes(t *testing.T) {
	want := "session-token-missing token-invalid token-invalid-algorithm token-invalid-signature " +
		"token-invalid-authorized-parties token-invalid-issuer token-expired token-not-active-yet " +
		"token-iat-in-the-future token-verification-failed token-type-mismatch session-pending " +
		"jwk-remote-failed-to-load jwk-kid-mismatch jwk-failed-to-resolve secret-key-invalid unexpected-error"
	var got []string
	for _, r := range allReasons {
		got = append(got, string(r))
	}
	if strings.Join(got, " ") != want {
		t.Fatalf("behaviour.md §8 reasons:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

// behaviour.md §7.3: the rendering of every reason: status, headers, exact body.
func TestRule7_3_ProblemRendering(t *testing.T) {
	for _, r := range allReasons {
		t.Run(string(r), func(t *testing.T) {
			p := core.ProblemFor(&core.Error{Reason: r, Detail: "secret detail eyJhbGciOi"})
			wantStatus := http.StatusUnauthorized
			kind := "unauthorized"
			switch r {
			case core.ReasonJWKRemoteFailedToLoad, core.ReasonSecretKeyInvalid, core.ReasonUnexpectedError:
				wantStatus, kind = http.StatusServiceUnavailable, "unavailable"
			}
			if p.Status != wantStatus {
				t.Fatalf("status %d, want %d", p.Status, wantStatus)
			}
			wantBody := `{"error":"` + kind + `","reason":"` + string(r) + `","message":"` + r.Message() + `"}`
			if string(p.Body) != wantBody {
				t.Fatalf("body\n got %s\nwant %s", p.Body, wantBody)
			}
			if strings.Contains(string(p.Body), "secret detail") {
				t.Fatal("behaviour.md §7.3: the error detail leaked into the body")
			}
			if p.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("content type %q", p.Header.Get("Content-Type"))
			}
			if wantStatus == http.StatusUnauthorized {
				wantWWW := `Bearer error="invalid_token"`
				if r == core.ReasonSessionTokenMissing {
					wantWWW = "Bearer"
				}
				if got := p.Header.Get("WWW-Authenticate"); got != wantWWW {
					t.Fatalf("WWW-Authenticate %q, want %q", got, wantWWW)
				}
				if p.Header.Get("X-Clerk-Auth-Status") != "signed-out" || p.Header.Get("X-Clerk-Auth-Reason") != string(r) {
					t.Fatalf("X-Clerk headers %v", p.Header)
				}
			}
		})
	}
	t.Run("403", func(t *testing.T) {
		for _, r := range []core.Reason{core.ReasonMissingPermission, core.ReasonMissingRole, core.ReasonMissingFeature,
			core.ReasonMissingPlan, core.ReasonForbidden} {
			p := core.ProblemFor(&core.Error{Reason: r})
			if p.Status != http.StatusForbidden || string(p.Body) != `{"error":"forbidden","reason":"`+string(r)+`","message":"`+r.Message()+`"}` {
				t.Fatalf("%s: %d %s", r, p.Status, p.Body)
			}
			if p.Header.Get("WWW-Authenticate") != "" {
				t.Fatalf("%s: 403 must not challenge", r)
			}
			if got := p.Header.Get("X-Clerk-Auth-Status"); got != "signed-in" {
				t.Fatalf("%s: a 403 must carry X-Clerk-Auth-Status: signed-in (signed in, not allowed; behaviour.md §7.3), got %q", r, got)
			}
			if got := p.Header.Get("X-Clerk-Auth-Reason"); got != string(r) {
				t.Fatalf("%s: a 403 must carry its reason in X-Clerk-Auth-Reason (behaviour.md §7.3), got %q", r, got)
			}
		}
	})
	t.Run("500MiddlewareMissing", func(t *testing.T) {
		p := core.ProblemFor(core.RequireAuth().Evaluate(nil))
		if p.Status != http.StatusInternalServerError || !strings.Contains(string(p.Body), `"reason":"auth-middleware-missing"`) {
			t.Fatalf("behaviour.md §7.2: %d %s", p.Status, p.Body)
		}
	})
	t.Run("NonCoreError", func(t *testing.T) {
		p := core.ProblemFor(errors.New("boom: eyJtoken"))
		if p.Status != http.StatusServiceUnavailable || strings.Contains(string(p.Body), "boom") {
			t.Fatalf("foreign error rendered as %d %s", p.Status, p.Body)
		}
	})
	t.Run("WriteProblem", func(t *testing.T) {
		rec := httptest.NewRecorder()
		core.WriteError(rec, core.ErrTokenExpired)
		p := core.ProblemFor(core.ErrTokenExpired)
		if rec.Code != p.Status || rec.Body.String() != string(p.Body) || rec.Header().Get("X-Clerk-Auth-Reason") != "token-expired" {
			t.Fatalf("WriteProblem wrote %d %s %v", rec.Code, rec.Body, rec.Header())
		}
		var body map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["error"] != "unauthorized" {
			t.Fatalf("body %v %v", body, err)
		}
	})
}

// behaviour.md §8: every failure is a *core.Error matchable with errors.Is / As.
func TestRule8_ErrorsMatch(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithAuthorizedParties("https://app.example"))
	cases := map[*core.Error]string{
		core.ErrSessionTokenMissing:           "",
		core.ErrTokenInvalid:                  "a.b",
		core.ErrTokenInvalidAlgorithm:         e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("none")),
		core.ErrTokenInvalidSignature:         e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()),
		core.ErrTokenInvalidAuthorizedParties: e.iss.Mint(clerktest.Session{}),
	}
	for sentinel, tok := range cases {
		t.Run(string(sentinel.Reason), func(t *testing.T) {
			auth := ""
			if tok != "" {
				auth = "Bearer " + tok
			}
			_, err := a.Authenticate(t.Context(), req(auth, ""))
			if !errors.Is(err, sentinel) {
				t.Fatalf("errors.Is(%v, %s) = false", err, sentinel.Reason)
			}
			var ce *core.Error
			if !errors.As(err, &ce) || ce.Reason != sentinel.Reason {
				t.Fatalf("errors.As: %v", err)
			}
			if errors.Is(err, core.ErrTokenExpired) {
				t.Fatal("matched the wrong sentinel")
			}
			if tok != "" && strings.Contains(err.Error(), tok) {
				t.Fatal("the token appears in the error text")
			}
		})
	}
	wrapped := &core.Error{Reason: core.ReasonJWKRemoteFailedToLoad, Err: errors.New("dial tcp: refused")}
	if !errors.Is(wrapped, core.ErrJWKRemoteFailedToLoad) || errors.Unwrap(wrapped) == nil {
		t.Fatal("Unwrap/Is on a wrapped cause")
	}
	if core.ReasonOf(nil) != "" || core.ReasonOf(errors.New("x")) != core.ReasonUnexpectedError {
		t.Fatal("ReasonOf")
	}
}

// behaviour.md §7.2: guards decide from the Result.
func TestRule7_2_Guards(t *testing.T) {
	signedIn := &core.Result{Claims: &core.Claims{TokenType: core.SessionToken, Subject: "user_1", OrgID: "org_1",
		OrgRole: "org:member", OrgPermissions: []string{"org:invoices:read"}, OrgFeatures: []string{"a"}, UserPlans: []string{"free"}}}
	signedOut := &core.Result{Err: core.ErrTokenExpired}
	down := &core.Result{Err: core.ErrJWKRemoteFailedToLoad}
	cases := []struct {
		name   string
		g      core.Guard
		res    *core.Result
		status int
		reason core.Reason
	}{
		{"AuthSignedIn", core.RequireAuth(), signedIn, 0, ""},
		{"AuthSignedOut", core.RequireAuth(), signedOut, 401, core.ReasonTokenExpired},
		{"AuthNoClaims", core.RequireAuth(), &core.Result{}, 401, core.ReasonSessionTokenMissing},
		{"AuthKeysDown", core.RequireAuth(), down, 503, core.ReasonJWKRemoteFailedToLoad},
		{"ZeroGuardIsRequireAuth", core.Guard{}, signedOut, 401, core.ReasonTokenExpired},
		{"PermissionHas", core.RequirePermission("invoices:read"), signedIn, 0, ""},
		{"PermissionMissing", core.RequirePermission("org:invoices:create"), signedIn, 403, core.ReasonMissingPermission},
		{"PermissionSignedOut", core.RequirePermission("org:invoices:read"), signedOut, 401, core.ReasonTokenExpired},
		{"RoleMissing", core.RequireRole("admin"), signedIn, 403, core.ReasonMissingRole},
		{"RoleHas", core.RequireRole("member"), signedIn, 0, ""},
		{"FeatureMissing", core.RequireFeature("u:a"), signedIn, 403, core.ReasonMissingFeature},
		{"FeatureHas", core.RequireFeature("org:a"), signedIn, 0, ""},
		{"PlanMissing", core.RequirePlan("pro"), signedIn, 403, core.ReasonMissingPlan},
		{"PlanHas", core.RequirePlan("user:free"), signedIn, 0, ""},
		{"CustomRefuses", core.Require(func(*core.Claims) bool { return false }), signedIn, 403, core.ReasonForbidden},
		{"CustomNil", core.Require(nil), signedIn, 403, core.ReasonForbidden},
		{"CustomAllows", core.Require(func(c *core.Claims) bool { return c.OrgID == "org_1" }), signedIn, 0, ""},
		{"NoMiddleware", core.RequirePermission("x:y"), nil, 500, core.ReasonMiddlewareMissing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.g.Evaluate(tc.res)
			if tc.status == 0 {
				if err != nil {
					t.Fatalf("behaviour.md §7.2: refused: %v", err)
				}
				return
			}
			p := core.ProblemFor(err)
			if p.Status != tc.status || p.Reason != tc.reason {
				t.Fatalf("behaviour.md §7.2: %d %s, want %d %s", p.Status, p.Reason, tc.status, tc.reason)
			}
		})
	}
}

// Context accessors: unexported key, typed accessors.
func TestContextAccessors(t *testing.T) {
	ctx := t.Context()
	if _, ok := core.ClaimsFromContext(ctx); ok {
		t.Fatal("empty context has claims")
	}
	if _, ok := core.ResultFromContext(ctx); ok {
		t.Fatal("empty context has a result")
	}
	c := &core.Claims{Subject: "user_1"}
	got, ok := core.ClaimsFromContext(core.ContextWithClaims(ctx, c))
	if !ok || got != c {
		t.Fatal("ContextWithClaims round trip")
	}
	out := core.ContextWithClaims(ctx, nil)
	if _, ok := core.ClaimsFromContext(out); ok {
		t.Fatal("signed-out result exposes claims")
	}
	res, ok := core.ResultFromContext(out)
	if !ok || res.SignedIn() || res.Reason() != core.ReasonSessionTokenMissing {
		t.Fatalf("result %+v", res)
	}
	if (*core.Result)(nil).Reason() != core.ReasonMiddlewareMissing {
		t.Fatal("nil result reason")
	}
}

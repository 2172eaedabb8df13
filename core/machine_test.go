package core_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// machineEnv is an issuer with a fake Backend API and a clock.
type machineEnv struct {
	iss   *clerktest.Issuer
	clock *clerktest.Clock
}

func newMachineEnv(t testing.TB) *machineEnv {
	t.Helper()
	clock := clerktest.NewClock(time.Time{})
	return &machineEnv{iss: clerktest.Start(t, clerktest.WithClock(clock.Now)), clock: clock}
}

func (e *machineEnv) authorizer(t testing.TB, opts ...core.Option) *core.Authorizer {
	t.Helper()
	base := append(e.iss.AuthorizerOptions(),
		core.WithAPIURL(e.iss.APIURL()), core.WithSecretKey(e.iss.SecretKey()),
		core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty))
	a, err := core.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	return a
}

func bearer(token string) core.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	return core.HTTPRequest(r)
}

func cookie(token string) core.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: "__session", Value: token})
	r.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"}) // behaviour.md §10.1
	return core.HTTPRequest(r)
}

func wantReason(t *testing.T, err error, want core.Reason) {
	t.Helper()
	if got := core.ReasonOf(err); got != want {
		t.Fatalf("reason = %q (err %v), want %q", got, err, want)
	}
	var e *core.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not a *core.Error", err)
	}
}

// behaviour.md §6.3: by default only session tokens are accepted; other types are
// refused with token-type-mismatch and never verified.
func TestRule6_3_DefaultRefusesMachineTokensUnverified(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t)
	cases := map[string]string{
		"OpaqueM2M":            e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"}),
		"LegacyM2MPrefix":      "m2m_abcdef_012345678",
		"OpaqueOAuth":          e.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1"}),
		"APIKey":               e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"}),
		"JWTM2MByCat":          e.iss.MintM2M(clerktest.Machine{Subject: "svc_1"}),
		"JWTM2MBySub":          e.iss.Mint(clerktest.Session{UserID: "mch_123"}),
		"JWTOAuth":             e.iss.MintOAuth(clerktest.Machine{}),
		"JWTOAuthAppTyp":       e.iss.MintOAuth(clerktest.Machine{}, clerktest.WithHeader("typ", "application/at+jwt")),
		"ForgedM2MNotVerified": e.iss.MintM2M(clerktest.Machine{}, clerktest.TamperedSignature()),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := a.Authenticate(t.Context(), bearer(tok))
			wantReason(t, err, core.ReasonTokenTypeMismatch)
		})
	}
	if n := e.iss.BackendCalls(); n != 0 {
		t.Fatalf("behaviour.md §6.3: refused tokens must not be verified, Backend API got %d calls", n)
	}
}

// behaviour.md §6.2: prefixes are case-sensitive: "MT_…" is not an M2M token.
func TestRule6_2_PrefixesCaseSensitive(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken())
	for _, tok := range []string{"MT_abc", "Oat_abc", "AK_abc"} {
		_, err := a.Authenticate(t.Context(), bearer(tok))
		wantReason(t, err, core.ReasonTokenInvalid) // parsed as a (malformed) session JWT
	}
	if n := e.iss.BackendCalls(); n != 0 {
		t.Fatalf("Backend API got %d calls for non-machine prefixes", n)
	}
}

// behaviour.md §1.2, 6.1: machine tokens are never read from cookies.
func TestRule1_2_MachineTokensNeverFromCookie(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken())
	for name, tok := range map[string]string{
		"Opaque": e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"}),
		"JWT":    e.iss.MintM2M(clerktest.Machine{}),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := a.Authenticate(t.Context(), cookie(tok))
			wantReason(t, err, core.ReasonTokenTypeMismatch)
		})
	}
}

// behaviour.md §6.4: opaque tokens verify against the Backend API.
func TestRule6_4_OpaqueTokensVerify(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken())
	cases := []struct {
		name string
		o    clerktest.Opaque
	}{
		{"M2M", clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1", Scopes: []string{"read:invoices"}}},
		{"OAuth", clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1", ClientID: "client_1", Scopes: []string{"profile"}}},
		{"APIKeyUser", clerktest.Opaque{Type: core.APIKey, Subject: "user_1", Name: "ci key", Scopes: []string{"write"}}},
		{"APIKeyOrg", clerktest.Opaque{Type: core.APIKey, Subject: "org_1", Claims: map[string]any{"team": "billing"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := e.iss.IssueOpaque(tc.o)
			c, err := a.Authenticate(t.Context(), bearer(tok))
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if c.TokenType != tc.o.Type || c.Subject != tc.o.Subject || c.Name != tc.o.Name || c.ClientID != tc.o.ClientID {
				t.Fatalf("claims = %+v, want type %s subject %s name %q client %q", c, tc.o.Type, tc.o.Subject, tc.o.Name, tc.o.ClientID)
			}
			for _, s := range tc.o.Scopes {
				if !c.HasScope(s) {
					t.Errorf("HasScope(%q) = false", s)
				}
			}
			if c.HasScope("other") || c.HasPermission("org:invoices:create") || c.HasRole("admin") ||
				c.HasFeature("x") || c.HasPlan("x") || c.UserID() != "" {
				t.Errorf("session-only checks must be false for %s", tc.o.Type)
			}
			if tc.o.Claims != nil {
				var v struct {
					Claims struct{ Team string } `json:"claims"`
				}
				if err := c.Decode(&v); err != nil || v.Claims.Team != "billing" {
					t.Errorf("Decode custom claims = %+v, %v", v, err)
				}
			}
		})
	}
}

// behaviour.md §6.4: Backend API failures map to reasons and statuses.
func TestRule6_4_BackendFailuresMapToReasons(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(e *machineEnv) string
		opts   []core.Option
		reason core.Reason
		status int
	}{
		{"Unauthorized401", func(e *machineEnv) string {
			e.iss.SetBackendStatus(http.StatusUnauthorized)
			return e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"})
		}, nil, core.ReasonSecretKeyInvalid, http.StatusServiceUnavailable},
		{"UnknownToken404", func(e *machineEnv) string { return "ak_unknown_01234567" }, nil, core.ReasonTokenInvalid, http.StatusUnauthorized},
		{"ServerError500", func(e *machineEnv) string {
			e.iss.SetBackendStatus(http.StatusInternalServerError)
			return e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"})
		}, nil, core.ReasonUnexpectedError, http.StatusServiceUnavailable},
		{"Timeout", func(e *machineEnv) string {
			e.iss.SetBackendDelay(500 * time.Millisecond)
			return e.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1"})
		}, []core.Option{core.WithMachineVerification(core.MachineVerification{Timeout: 50 * time.Millisecond})},
			core.ReasonUnexpectedError, http.StatusServiceUnavailable},
		{"Revoked", func(e *machineEnv) string {
			tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"})
			e.iss.RevokeOpaque(tok)
			return tok
		}, nil, core.ReasonTokenInvalid, http.StatusUnauthorized},
		{"Expired", func(e *machineEnv) string {
			return e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1", Expiration: e.clock.Now().Add(-time.Second)})
		}, nil, core.ReasonTokenExpired, http.StatusUnauthorized},
		{"WrongSecretKey", func(e *machineEnv) string {
			return e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"})
		}, []core.Option{core.WithSecretKey("sk_test_wrong_key")}, core.ReasonSecretKeyInvalid, http.StatusServiceUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newMachineEnv(t)
			a := e.authorizer(t, append([]core.Option{core.AcceptAnyToken()}, tc.opts...)...)
			tok := tc.setup(e)
			start := time.Now()
			_, err := a.Authenticate(t.Context(), bearer(tok))
			wantReason(t, err, tc.reason)
			if p := core.ProblemFor(err); p.Status != tc.status {
				t.Errorf("status = %d, want %d", p.Status, tc.status)
			}
			if time.Since(start) > 400*time.Millisecond {
				t.Errorf("verification took %s; the timeout must bound it", time.Since(start))
			}
		})
	}
}

// behaviour.md §6.4: results are cached briefly, never past the token's expiry, and a
// revoked token stops working once the TTL has passed.
func TestRule6_4_OpaqueCache(t *testing.T) {
	e := newMachineEnv(t)
	var hits []bool
	var mu sync.Mutex
	a := e.authorizer(t, core.AcceptAnyToken(),
		core.WithMachineVerification(core.MachineVerification{CacheTTL: 10 * time.Second}),
		core.WithObserver(func(o core.Outcome) { mu.Lock(); hits = append(hits, o.CacheHit); mu.Unlock() }))
	tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"})
	for i := 0; i < 3; i++ {
		if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := e.iss.BackendCalls(); n != 1 {
		t.Fatalf("Backend API calls = %d, want 1 (cached)", n)
	}
	if hits[0] || !hits[1] || !hits[2] {
		t.Fatalf("cache hits = %v, want [false true true]", hits)
	}
	e.iss.RevokeOpaque(tok)
	if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
		t.Fatalf("within the TTL a revoked token is still served from cache (documented): %v", err)
	}
	e.clock.Advance(10 * time.Second)
	_, err := a.Authenticate(t.Context(), bearer(tok))
	wantReason(t, err, core.ReasonTokenInvalid)

	t.Run("NeverPastExpiry", func(t *testing.T) {
		short := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1", Expiration: e.clock.Now().Add(2 * time.Second)})
		if _, err := a.Authenticate(t.Context(), bearer(short)); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(3 * time.Second)
		_, err := a.Authenticate(t.Context(), bearer(short))
		wantReason(t, err, core.ReasonTokenExpired)
	})
	t.Run("NotFoundRemembered", func(t *testing.T) {
		before := e.iss.BackendCalls()
		for i := 0; i < 2; i++ {
			_, err := a.Authenticate(t.Context(), bearer("ak_nope_0123456789a"))
			wantReason(t, err, core.ReasonTokenInvalid)
		}
		if got := e.iss.BackendCalls() - before; got != 1 {
			t.Fatalf("a token the Backend API answered 404 for is remembered (behaviour.md §6.5): %d calls, want 1", got)
		}
	})
}

// behaviour.md §6.4: 100 concurrent requests with the same new token make one
// upstream call.
func TestRule6_4_SingleFlight(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken())
	e.iss.SetBackendDelay(100 * time.Millisecond)
	tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := a.Authenticate(context.Background(), bearer(tok))
			if err == nil && c.Subject != "mch_1" {
				err = errors.New("wrong subject " + c.Subject)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := e.iss.BackendCalls(); n != 1 {
		t.Fatalf("Backend API calls = %d, want 1", n)
	}
}

// behaviour.md §6.4: the request context bounds the wait for a Backend API call.
func TestRule6_4_RequestContextHonoured(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken())
	e.iss.SetBackendDelay(2 * time.Second)
	tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := a.Authenticate(ctx, bearer(tok))
	wantReason(t, err, core.ReasonUnexpectedError)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("waited %s past the request context", d)
	}
}

// behaviour.md §6.4: JWT-format M2M and OAuth tokens verify locally.
func TestRule6_4_MachineJWTsVerifyLocally(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.WithAcceptsToken(core.M2MToken, core.OAuthToken))
	t.Run("M2MWithoutNbf", func(t *testing.T) {
		c, err := a.Authenticate(t.Context(), bearer(e.iss.MintM2M(clerktest.Machine{Subject: "mch_9", Scopes: []string{"a", "b"}})))
		if err != nil {
			t.Fatal(err)
		}
		if c.TokenType != core.M2MToken || c.Subject != "mch_9" || !c.HasScope("b") || c.HasScope("c") {
			t.Fatalf("claims = %+v", c)
		}
	})
	t.Run("OAuthScopeString", func(t *testing.T) {
		for _, typ := range []string{"at+jwt", "application/at+jwt"} {
			c, err := a.Authenticate(t.Context(), bearer(e.iss.MintOAuth(clerktest.Machine{Scopes: []string{"email", "profile"}, ClientID: "cl_1"},
				clerktest.WithHeader("typ", typ))))
			if err != nil {
				t.Fatalf("typ %s: %v", typ, err)
			}
			if c.TokenType != core.OAuthToken || c.ClientID != "cl_1" || !c.HasScope("profile") {
				t.Fatalf("claims = %+v", c)
			}
		}
	})
	t.Run("M2MExpired", func(t *testing.T) {
		tok := e.iss.MintM2M(clerktest.Machine{TTL: time.Minute})
		e.clock.Advance(2 * time.Minute)
		defer e.clock.Advance(-2 * time.Minute)
		_, err := a.Authenticate(t.Context(), bearer(tok))
		wantReason(t, err, core.ReasonTokenExpired)
	})
	t.Run("M2MBadSignature", func(t *testing.T) {
		_, err := a.Authenticate(t.Context(), bearer(e.iss.MintM2M(clerktest.Machine{}, clerktest.TamperedSignature())))
		wantReason(t, err, core.ReasonTokenInvalidSignature)
	})
	t.Run("OAuthAlgNone", func(t *testing.T) {
		_, err := a.Authenticate(t.Context(), bearer(e.iss.MintOAuth(clerktest.Machine{}, clerktest.WithAlg("none"))))
		wantReason(t, err, core.ReasonTokenInvalidAlgorithm)
	})
	t.Run("SessionNowRefused", func(t *testing.T) {
		_, err := a.Authenticate(t.Context(), bearer(e.iss.Mint(clerktest.Session{})))
		wantReason(t, err, core.ReasonTokenTypeMismatch)
	})
	if n := e.iss.BackendCalls(); n != 0 {
		t.Fatalf("JWT machine tokens must not call the Backend API (%d calls)", n)
	}
}

// Per-route acceptance: guards accept session tokens only unless told
// otherwise; RequireScope and AcceptsToken serve machines.
func TestGuards_TokenTypes(t *testing.T) {
	session := &core.Result{Claims: &core.Claims{TokenType: core.SessionToken, Subject: "user_1"}}
	m2m := &core.Result{Claims: &core.Claims{TokenType: core.M2MToken, Subject: "mch_1", Scopes: []string{"read"}}}
	apiKey := &core.Result{Claims: &core.Claims{TokenType: core.APIKey, Subject: "org_1", Scopes: []string{"read"}}}
	cases := []struct {
		name  string
		guard core.Guard
		res   *core.Result
		want  core.Reason
	}{
		{"RequireAuthSession", core.RequireAuth(), session, ""},
		{"RequireAuthRefusesM2M", core.RequireAuth(), m2m, core.ReasonTokenTypeMismatch},
		{"RequirePermissionRefusesAPIKey", core.RequirePermission("org:x:y"), apiKey, core.ReasonTokenTypeMismatch},
		{"AcceptsM2M", core.AcceptsToken(core.M2MToken), m2m, ""},
		{"AcceptsM2MRefusesSession", core.AcceptsToken(core.M2MToken), session, core.ReasonTokenTypeMismatch},
		{"AcceptsM2MRefusesAPIKey", core.AcceptsToken(core.M2MToken), apiKey, core.ReasonTokenTypeMismatch},
		{"AcceptsAny", core.AcceptsToken(), apiKey, ""},
		{"RequireScopeHas", core.RequireScope("read"), m2m, ""},
		{"RequireScopeMissing", core.RequireScope("write"), apiKey, core.ReasonMissingScope},
		{"RequireScopeRefusesSession", core.RequireScope("read"), session, core.ReasonTokenTypeMismatch},
		{"WithTokenTypes", core.Require(func(*core.Claims) bool { return true }).WithTokenTypes(core.APIKey), apiKey, ""},
		{"SignedOut", core.AcceptsToken(core.M2MToken), &core.Result{Err: core.ErrSessionTokenMissing}, core.ReasonSessionTokenMissing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := core.ReasonOf(tc.guard.Evaluate(tc.res)); got != tc.want {
				t.Fatalf("Evaluate = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMachineOptionsValidated(t *testing.T) {
	e := newMachineEnv(t)
	cases := map[string][]core.Option{
		"EmptyAccepts":      {core.WithAcceptsToken()},
		"UnknownType":       {core.WithAcceptsToken("jwt_template")},
		"BadMachineSecret":  {core.WithMachineSecretKey("ak x")},
		"NegativeTimeout":   {core.WithMachineVerification(core.MachineVerification{Timeout: -1})},
		"APIKeysNeedSecret": {core.WithAcceptsToken(core.APIKey)},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := core.New(append([]core.Option{core.WithJWKSURL(e.iss.JWKSURL())}, opts...)...)
			if !errors.Is(err, core.ErrConfig) {
				t.Fatalf("New = %v, want ErrConfig", err)
			}
		})
	}
}

// A separate machine secret key is used for M2M verification when given.
func TestMachineSecretKeyUsedForM2M(t *testing.T) {
	e := newMachineEnv(t)
	// The fake Backend API accepts only its secret key: giving it as the
	// machine secret key and a wrong general key proves which one M2M uses.
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithSecretKey("sk_test_not_this_one"),
		core.WithMachineSecretKey(e.iss.SecretKey()))
	if _, err := a.Authenticate(t.Context(), bearer(e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"}))); err != nil {
		t.Fatalf("M2M with machine secret key: %v", err)
	}
	_, err := a.Authenticate(t.Context(), bearer(e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"})))
	wantReason(t, err, core.ReasonSecretKeyInvalid)
}

// behaviour.md §1.2: the verified-token cache must not let a machine JWT first seen
// in the header pass when it comes back in the __session cookie.
func TestRule1_2_CachedMachineTokenNotFromCookie(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.WithAcceptsToken(core.SessionToken, core.M2MToken))
	tok := e.iss.MintM2M(clerktest.Machine{Subject: "mch_1"})
	if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
		t.Fatalf("header: %v", err)
	}
	_, err := a.Authenticate(t.Context(), cookie(tok))
	wantReason(t, err, core.ReasonTokenTypeMismatch)
	if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
		t.Fatalf("header again: %v", err)
	}
}

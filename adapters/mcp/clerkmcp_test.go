package clerkmcp_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	clerkmcp "github.com/clerkguard/clerkguard/adapters/mcp"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

const resource = "https://mcp.example.com/mcp"

// fixture is a clerktest issuer (keys and fake Backend API) and an
// Authorizer accepting OAuth access tokens from it, on an injected clock.
type fixture struct {
	iss   *clerktest.Issuer
	clock *clerktest.Clock
	a     *core.Authorizer
}

func newFixture(t *testing.T, opts ...core.Option) *fixture {
	t.Helper()
	clock := clerktest.NewClock(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC))
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
	all := append(append(iss.AuthorizerOptions(), iss.BackendAPIOptions()...),
		core.WithClock(clock.Now), core.WithAcceptsToken(core.OAuthToken, core.SessionToken))
	a, err := core.New(append(all, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{iss: iss, clock: clock, a: a}
}

func (f *fixture) protector(t *testing.T, opts ...clerkmcp.Option) *clerkmcp.Protector {
	t.Helper()
	p, err := clerkmcp.New(f.a, resource, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNewValidates(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		name     string
		a        *core.Authorizer
		resource string
		opts     []clerkmcp.Option
	}{
		{"NilAuthorizer", nil, resource, nil},
		{"RelativeResource", f.a, "/mcp", nil},
		{"OtherScheme", f.a, "ftp://mcp.example.com/mcp", nil},
		{"Fragment", f.a, resource + "#x", nil},
		{"NilOption", f.a, resource, []clerkmcp.Option{nil}},
		{"NoTokenTypes", f.a, resource, []clerkmcp.Option{clerkmcp.WithTokenTypes()}},
		{"UnknownTokenType", f.a, resource, []clerkmcp.Option{clerkmcp.WithTokenTypes("jwt")}},
		{"ScopeWithSpace", f.a, resource, []clerkmcp.Option{clerkmcp.WithRequiredScopes("a b")}},
		{"EmptyScope", f.a, resource, []clerkmcp.Option{clerkmcp.WithScopesSupported("")}},
		{"ScopeWithQuote", f.a, resource, []clerkmcp.Option{clerkmcp.WithRequiredScopes(`a"b`)}},
		{"RelativeMetadataURL", f.a, resource, []clerkmcp.Option{clerkmcp.WithMetadataURL("/meta")}},
		{"MetadataURLWithQuote", f.a, resource, []clerkmcp.Option{clerkmcp.WithMetadataURL(`https://x.example/"`)}},
		{"MetadataURLNotASCII", f.a, resource, []clerkmcp.Option{clerkmcp.WithMetadataURL("https://x.example/\u00e9")}},
		{"NoAuthorizationServers", f.a, resource, []clerkmcp.Option{clerkmcp.WithAuthorizationServers()}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if p, err := clerkmcp.New(c.a, c.resource, c.opts...); err == nil {
				t.Fatalf("New accepted it: %+v", p)
			}
		})
	}
}

func TestMetadataURL(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ resource, url, path string }{
		{"https://mcp.example.com/mcp", "https://mcp.example.com/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource/mcp"},
		{"https://mcp.example.com/a/b/", "https://mcp.example.com/.well-known/oauth-protected-resource/a/b", "/.well-known/oauth-protected-resource/a/b"},
		{"https://mcp.example.com", "https://mcp.example.com/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource"},
	} {
		t.Run(c.resource, func(t *testing.T) {
			p, err := clerkmcp.New(f.a, c.resource)
			if err != nil {
				t.Fatal(err)
			}
			if p.MetadataURL() != c.url || p.MetadataPath() != c.path {
				t.Errorf("RFC 9728 §3.1: got %q at %q, want %q at %q", p.MetadataURL(), p.MetadataPath(), c.url, c.path)
			}
		})
	}
	p, err := clerkmcp.New(f.a, resource, clerkmcp.WithMetadataURL("https://meta.example.com/prm"))
	if err != nil {
		t.Fatal(err)
	}
	if p.MetadataURL() != "https://meta.example.com/prm" || p.MetadataPath() != "/prm" {
		t.Errorf("WithMetadataURL: got %q at %q", p.MetadataURL(), p.MetadataPath())
	}
}

func TestMetadataHandler(t *testing.T) {
	f := newFixture(t)
	p := f.protector(t, clerkmcp.WithScopesSupported("invoices:read"), clerkmcp.WithRequiredScopes("mcp:use"), clerkmcp.WithResourceName("Shop"))
	srv := httptest.NewServer(p.MetadataHandler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %d %v", resp.StatusCode, err)
	}
	want := map[string]any{
		"resource":                 resource,
		"authorization_servers":    []any{f.iss.IssuerURL()},
		"scopes_supported":         []any{"invoices:read", "mcp:use"},
		"bearer_methods_supported": []any{"header"},
		"resource_name":            "Shop",
	}
	for k, v := range want {
		got, _ := json.Marshal(doc[k])
		exp, _ := json.Marshal(v)
		if string(got) != string(exp) {
			t.Errorf("RFC 9728 §2: %s = %s, want %s", k, got, exp)
		}
	}
	for method, status := range map[string]int{http.MethodOptions: http.StatusNoContent, http.MethodPost: http.StatusMethodNotAllowed} {
		req, _ := http.NewRequest(method, srv.URL, nil)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != status {
			t.Errorf("%s: status %d, want %d", method, r.StatusCode, status)
		}
	}
	p2 := f.protector(t, clerkmcp.WithAuthorizationServers("https://auth.example.com"))
	if got := p2.Metadata().AuthorizationServers; !slices.Equal(got, []string{"https://auth.example.com"}) {
		t.Errorf("WithAuthorizationServers: %v", got)
	}
}

// seen is what the protected handler observed.
type seen struct {
	reached bool
	info    *auth.TokenInfo
	claims  *core.Claims
}

func serve(t *testing.T, p *clerkmcp.Protector, header string) (*httptest.ResponseRecorder, *seen) {
	t.Helper()
	s := &seen{}
	h := p.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.reached = true
		s.info = auth.TokenInfoFromContext(r.Context())
		s.claims, _ = clerkmcp.ClaimsFromContext(r.Context())
		w.WriteHeader(http.StatusOK)
	}))
	req := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(`{}`))
	if header != "" {
		req.Header.Set("Authorization", header)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec, s
}

func TestMiddleware(t *testing.T) {
	f := newFixture(t)
	meta := `resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"`
	// oauth mints a JWT access token for the resource unless m sets aud.
	oauth := func(m clerktest.Machine) string {
		if _, ok := m.Claims["aud"]; !ok {
			claims := map[string]any{"aud": resource}
			for k, v := range m.Claims {
				claims[k] = v
			}
			m.Claims = claims
		}
		return f.iss.MintOAuth(m)
	}
	opaque := f.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_opaque", ClientID: "client_1", Scopes: []string{"invoices:read"},
		Expiration: f.clock.Now().Add(time.Hour), Audience: []string{resource}})
	for _, c := range []struct {
		name      string
		opts      []clerkmcp.Option
		header    string
		status    int
		reason    core.Reason
		challenge string
		user      string
		scopes    []string
	}{
		{name: "NoToken", header: "", status: 401, reason: core.ReasonSessionTokenMissing, challenge: "Bearer " + meta},
		{name: "BareTokenIsNoToken", header: oauth(clerktest.Machine{Subject: "user_a"}), status: 401, reason: core.ReasonSessionTokenMissing, challenge: "Bearer " + meta},
		{name: "OtherScheme", header: "Basic " + oauth(clerktest.Machine{}), status: 401, reason: core.ReasonSessionTokenMissing, challenge: "Bearer " + meta},
		{name: "GarbageIsASessionToken", header: "Bearer not-a-token", status: 401, reason: core.ReasonTokenTypeMismatch, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "MalformedOpaque", header: "Bearer oat_" + strings.Repeat("x", 300), status: 401, reason: core.ReasonTokenInvalid, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "SessionTokenRefused", header: "Bearer " + f.iss.Mint(clerktest.Session{UserID: "user_s"}), status: 401, reason: core.ReasonTokenTypeMismatch, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "SessionTokenWhenAccepted", opts: []clerkmcp.Option{clerkmcp.WithTokenTypes(core.SessionToken, core.OAuthToken)},
			header: "Bearer " + f.iss.Mint(clerktest.Session{UserID: "user_s"}), status: 200, user: "user_s"},
		{name: "OAuthJWT", header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Scopes: []string{"invoices:read", "invoices:write"}}),
			status: 200, user: "user_a", scopes: []string{"invoices:read", "invoices:write"}},
		{name: "OAuthJWTSchemeCase", header: "bEaReR " + oauth(clerktest.Machine{Subject: "user_a"}), status: 200, user: "user_a"},
		{name: "OAuthOpaque", header: "Bearer " + opaque, status: 200, user: "user_opaque", scopes: []string{"invoices:read"}},
		{name: "Expired", header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", IssuedAt: f.clock.Now().Add(-2 * time.Hour), TTL: time.Hour}),
			status: 401, reason: core.ReasonTokenExpired, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "AudienceMatches", header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Claims: map[string]any{"aud": resource}}), status: 200, user: "user_a"},
		{name: "AudienceMatchesTrailingSlash", header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Claims: map[string]any{"aud": []string{"https://other.example", resource + "/"}}}), status: 200, user: "user_a"},
		{name: "AudienceOtherResource", header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Claims: map[string]any{"aud": "https://other.example/mcp"}}),
			status: 401, reason: core.ReasonTokenInvalidAudience, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "AudiencePrefixIsNotTheResource", header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Claims: map[string]any{"aud": resource + "x"}}),
			status: 401, reason: core.ReasonTokenInvalidAudience, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "AudienceWrongType", header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Claims: map[string]any{"aud": 7}}),
			status: 401, reason: core.ReasonTokenInvalidAudience, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "AudienceAbsentRefused", header: "Bearer " + f.iss.MintOAuth(clerktest.Machine{Subject: "user_a"}),
			status: 401, reason: core.ReasonTokenInvalidAudience, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "AudienceAbsentOptional", opts: []clerkmcp.Option{clerkmcp.WithAudienceOptional()}, header: "Bearer " + f.iss.MintOAuth(clerktest.Machine{Subject: "user_a"}),
			status: 200, user: "user_a"},
		{name: "AudienceOptionalStillChecked", opts: []clerkmcp.Option{clerkmcp.WithAudienceOptional()}, header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Claims: map[string]any{"aud": "https://other.example"}}),
			status: 401, reason: core.ReasonTokenInvalidAudience, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "OpaqueAudienceAbsentRefused", header: "Bearer " + f.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_x"}),
			status: 401, reason: core.ReasonTokenInvalidAudience, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "OpaqueAudienceOther", header: "Bearer " + f.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_x", Audience: []string{"https://other.example"}}),
			status: 401, reason: core.ReasonTokenInvalidAudience, challenge: `Bearer error="invalid_token", ` + meta},
		{name: "RequiredScopeMissing", opts: []clerkmcp.Option{clerkmcp.WithRequiredScopes("mcp:use", "invoices:read")},
			header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Scopes: []string{"invoices:read"}}),
			status: 403, reason: core.ReasonMissingScope, challenge: `Bearer error="insufficient_scope", scope="mcp:use invoices:read", ` + meta},
		{name: "RequiredScopePresent", opts: []clerkmcp.Option{clerkmcp.WithRequiredScopes("mcp:use")},
			header: "Bearer " + oauth(clerktest.Machine{Subject: "user_a", Scopes: []string{"mcp:use"}}), status: 200, user: "user_a", scopes: []string{"mcp:use"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec, s := serve(t, f.protector(t, c.opts...), c.header)
			if rec.Code != c.status {
				t.Fatalf("behaviour.md §14.2-14.4: status %d, want %d; body %s", rec.Code, c.status, rec.Body)
			}
			if c.status != 200 {
				if s.reached {
					t.Error("a refused request reached the MCP handler")
				}
				if got := rec.Header().Get("X-Clerk-Auth-Reason"); got != string(c.reason) {
					t.Errorf("behaviour.md §7.3: X-Clerk-Auth-Reason %q, want %q", got, c.reason)
				}
				if got := rec.Header().Get("WWW-Authenticate"); got != c.challenge {
					t.Errorf("behaviour.md §14.1, §14.4 (RFC 9728 §5.1, RFC 6750 §3): WWW-Authenticate %q, want %q", got, c.challenge)
				}
				var body struct{ Reason core.Reason }
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Reason != c.reason {
					t.Errorf("behaviour.md §7.3: body %s", rec.Body)
				}
				if tok := strings.TrimPrefix(c.header, "Bearer "); len(tok) > 16 && strings.Contains(rec.Body.String()+strings.Join(rec.Header().Values("WWW-Authenticate"), ""), tok) {
					t.Error("behaviour.md §7.3: the token appears in the response")
				}
				return
			}
			if !s.reached || s.info == nil || s.claims == nil {
				t.Fatalf("the handler saw reached=%v TokenInfo=%v claims=%v", s.reached, s.info, s.claims)
			}
			if s.info.UserID != c.user || s.claims.Subject != c.user {
				t.Errorf("TokenInfo.UserID %q, claims subject %q, want %q", s.info.UserID, s.claims.Subject, c.user)
			}
			if c.scopes != nil && !slices.Equal(s.info.Scopes, c.scopes) {
				t.Errorf("TokenInfo.Scopes %v, want %v", s.info.Scopes, c.scopes)
			}
			if s.info.Expiration.IsZero() {
				t.Error("TokenInfo.Expiration is zero")
			}
		})
	}
}

func TestMiddlewareKeysUnavailable(t *testing.T) {
	f := newFixture(t)
	tok := f.iss.MintOAuth(clerktest.Machine{Subject: "user_a"})
	f.iss.SetJWKSDown(true)
	rec, s := serve(t, f.protector(t), "Bearer "+tok)
	if rec.Code != http.StatusServiceUnavailable || s.reached || rec.Header().Get("X-Clerk-Auth-Reason") != string(core.ReasonJWKRemoteFailedToLoad) {
		t.Fatalf("behaviour.md §2.5: keys down must be 503 jwk-remote-failed-to-load, got %d %s", rec.Code, rec.Body)
	}
	if rec.Header().Get("WWW-Authenticate") != "" {
		t.Errorf("a 503 carries no challenge, got %q", rec.Header().Get("WWW-Authenticate"))
	}
}

func TestTokenVerifierErrors(t *testing.T) {
	f := newFixture(t)
	v := f.protector(t).TokenVerifier()
	_, err := v(t.Context(), "oat_"+strings.Repeat("x", 300), nil)
	if !errors.Is(err, auth.ErrInvalidToken) || core.ReasonOf(err) != core.ReasonTokenInvalid {
		t.Errorf("a 401 refusal must match auth.ErrInvalidToken and keep its reason: %v", err)
	}
	if err.Error() != "clerkguard: token-invalid" {
		t.Errorf("the SDK writes the error text into the response: %q must be the reason only", err.Error())
	}
	tok := f.iss.MintOAuth(clerktest.Machine{Subject: "user_a"})
	f.iss.SetJWKSDown(true)
	_, err = v(t.Context(), tok, nil)
	if errors.Is(err, auth.ErrInvalidToken) || core.ReasonOf(err) != core.ReasonJWKRemoteFailedToLoad {
		t.Errorf("an outage must not look like an invalid token (it would sign the client out): %v", err)
	}
}

// TestTokenVerifierWithSDKMiddleware mounts the SDK's own middleware with
// TokenVerifier: a valid token passes with its TokenInfo, an invalid one is
// the SDK's 401.
func TestTokenVerifierWithSDKMiddleware(t *testing.T) {
	f := newFixture(t)
	p := f.protector(t)
	var info *auth.TokenInfo
	h := auth.RequireBearerToken(p.TokenVerifier(), &auth.RequireBearerTokenOptions{ResourceMetadataURL: p.MetadataURL()})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { info = auth.TokenInfoFromContext(r.Context()) }))
	exp := time.Now().Add(time.Hour) // the SDK checks expiry against the wall clock
	tok := f.iss.MintOAuth(clerktest.Machine{Subject: "user_sdk", Scopes: []string{"a"}, Claims: map[string]any{"exp": exp.Unix(), "aud": resource}})
	for _, c := range []struct {
		header string
		status int
	}{{"Bearer " + tok, 200}, {"Bearer nope", 401}} {
		req := httptest.NewRequest(http.MethodPost, "/mcp", nil)
		req.Header.Set("Authorization", c.header)
		rec := httptest.NewRecorder()
		info = nil
		h.ServeHTTP(rec, req)
		if rec.Code != c.status {
			t.Errorf("%.12s…: status %d, want %d (%s)", c.header, rec.Code, c.status, rec.Body)
		}
		if c.status == 200 && (info == nil || info.UserID != "user_sdk") {
			t.Errorf("TokenInfo %+v", info)
		}
	}
}

func TestRequireScope(t *testing.T) {
	withScopes := func(s ...string) *mcp.CallToolRequest {
		return &mcp.CallToolRequest{Extra: &mcp.RequestExtra{TokenInfo: &auth.TokenInfo{Scopes: s}}}
	}
	for _, c := range []struct {
		name    string
		req     *mcp.CallToolRequest
		scopes  []string
		missing []string
	}{
		{"Present", withScopes("a", "b"), []string{"b"}, nil},
		{"AllPresent", withScopes("a", "b"), []string{"a", "b"}, nil},
		{"NoneAsked", withScopes(), nil, nil},
		{"Missing", withScopes("a"), []string{"a", "b", "c"}, []string{"b", "c"}},
		{"CaseSensitive", withScopes("A"), []string{"a"}, []string{"a"}},
		{"NoTokenInfo", &mcp.CallToolRequest{Extra: &mcp.RequestExtra{}}, []string{"a"}, []string{"a"}},
		{"NoTokenInfoNoneAsked", &mcp.CallToolRequest{}, nil, []string{}},
		{"NilRequest", nil, []string{"a"}, []string{"a"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := clerkmcp.RequireScope(c.req, c.scopes...)
			if c.missing == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var wire *jsonrpc.Error
			if !errors.As(err, &wire) || wire.Code != clerkmcp.CodeForbidden {
				t.Fatalf("want a *jsonrpc.Error with code %d, got %#v", clerkmcp.CodeForbidden, err)
			}
			var data struct {
				Reason string
				Scopes []string
			}
			if err := json.Unmarshal(wire.Data, &data); err != nil || data.Reason != "missing-scope" || !slices.Equal(data.Scopes, c.missing) {
				t.Errorf("data %s, want reason missing-scope and scopes %v", wire.Data, c.missing)
			}
		})
	}
}

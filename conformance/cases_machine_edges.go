package conformance

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// This file holds the machine-token cases that need a Backend API scripted
// per case (any status, body or delay), and the per-route acceptance matrix
// (behaviour.md §6.1–6.4), and the bounds of opaque verification (behaviour.md §6.5).

// scriptedAPI is an httptest Backend API whose answer a case chooses; it
// counts calls and remembers the Authorization header and path of each.
type scriptedAPI struct {
	srv *httptest.Server

	mu      sync.Mutex
	calls   int
	auths   []string
	paths   []string
	handler http.HandlerFunc
}

func newScriptedAPI(t *testing.T, h http.HandlerFunc) *scriptedAPI {
	t.Helper()
	a := &scriptedAPI{handler: h}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets net/http notice a client that hangs up, so a
		// handler waiting on r.Context() ends with the caller's timeout.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<16))
		a.mu.Lock()
		a.calls++
		a.auths = append(a.auths, r.Header.Get("Authorization"))
		a.paths = append(a.paths, r.URL.Path)
		h := a.handler
		a.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *scriptedAPI) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

func (a *scriptedAPI) last() (auth, path string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.auths) == 0 {
		return "", ""
	}
	return a.auths[len(a.auths)-1], a.paths[len(a.paths)-1]
}

// apiAnswer writes status and a JSON body.
func apiAnswer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// apiOK answers a successful verification for subject sub with scope.
func apiOK(sub string) http.HandlerFunc {
	return apiAnswer(http.StatusOK, `{"object":"api_key","id":"ak_id","subject":"`+sub+`","scopes":["`+scope+`"],"claims":null,"revoked":false,"expired":false,"expiration":null,"created_at":1}`)
}

const scriptedSecretKey = "sk_test_conformance_scripted"

// scriptedOpts make an Authorizer accept every token type and verify opaque
// tokens against api.
func scriptedOpts(api *scriptedAPI, extra ...core.Option) []core.Option {
	return append([]core.Option{core.AcceptAnyToken(), core.WithAPIURL(api.srv.URL), core.WithSecretKey(scriptedSecretKey)}, extra...)
}

// Per-type machine routes mounted by the matrix case, on top of the
// standard routes (pathAuth: session only, pathM2M: M2M only).
const (
	pathOAuthOnly  = "/machine/oauth"
	pathAPIKeyOnly = "/machine/apikey"
	pathMachines   = "/machine/any-machine"
	pathAnyToken   = "/machine/any"
)

func machineRoutes() []Route {
	return append(standardRoutes(),
		Route{Path: pathOAuthOnly, Guard: guard(core.AcceptsToken(core.OAuthToken))},
		Route{Path: pathAPIKeyOnly, Guard: guard(core.AcceptsToken(core.APIKey))},
		Route{Path: pathMachines, Guard: guard(core.AcceptsToken(core.M2MToken, core.OAuthToken, core.APIKey))},
		Route{Path: pathAnyToken, Guard: guard(core.AcceptsToken())}, // AcceptsToken() with no types: every type
	)
}

func machineEdgeCases() []tcase {
	return []tcase{
		{Name: "PerRouteAcceptanceMatrix", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: s.machineOpts(), routes: machineRoutes()})
			type tok struct {
				kind, token, subject string
				tt                   core.TokenType
			}
			toks := []tok{
				{"Session", s.user("user_matrix"), "user_matrix", core.SessionToken},
				{"M2MJWT", s.iss.MintM2M(clerktest.Machine{Subject: "mch_matrix"}), "mch_matrix", core.M2MToken},
				{"M2MOpaque", s.opaque(core.M2MToken, "mch_matrix"), "mch_matrix", core.M2MToken},
				{"OAuthJWT", s.iss.MintOAuth(clerktest.Machine{Subject: "user_oauth"}), "user_oauth", core.OAuthToken},
				{"OAuthJWTApplicationTyp", s.iss.MintOAuth(clerktest.Machine{Subject: "user_oauth"}, clerktest.WithHeader("typ", "application/at+jwt")), "user_oauth", core.OAuthToken},
				{"OAuthOpaque", s.opaque(core.OAuthToken, "user_oauth"), "user_oauth", core.OAuthToken},
				{"APIKeyUser", s.opaque(core.APIKey, "user_key"), "user_key", core.APIKey},
				{"APIKeyOrg", s.opaque(core.APIKey, "org_key"), "org_key", core.APIKey},
			}
			routes := map[string][]core.TokenType{
				pathAuth:       {core.SessionToken},
				pathM2M:        {core.M2MToken},
				pathOAuthOnly:  {core.OAuthToken},
				pathAPIKeyOnly: {core.APIKey},
				pathMachines:   {core.M2MToken, core.OAuthToken, core.APIKey},
				pathAnyToken:   {core.SessionToken, core.M2MToken, core.OAuthToken, core.APIKey},
			}
			for path, accepted := range routes {
				for _, k := range toks {
					r := e.do(path, bearer(k.token))
					if !hasType(accepted, k.tt) {
						e.expectProblem(r, fmt.Sprintf("behaviour.md §6.3: %s refuses %s", path, k.kind), core.ReasonTokenTypeMismatch)
						continue
					}
					sum := e.expectSignedIn(r, fmt.Sprintf("behaviour.md §6.1: %s accepts %s", path, k.kind), k.subject)
					if sum.Adapter.TokenType != string(k.tt) {
						t.Errorf("behaviour.md §6.2: %s on %s: claims say token type %q, want %q", k.kind, path, sum.Adapter.TokenType, k.tt)
					}
				}
			}
		}},
		{Name: "DetectionOverHTTP", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, apiOK("mch_detect"))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api), routes: machineRoutes()})
			cases := []struct {
				name, token, path string
				tt                core.TokenType
			}{
				{"behaviour.md §6.2: mt_ is an M2M token", "mt_detect_012345678", "/v1/m2m_tokens/verify", core.M2MToken},
				{"behaviour.md §6.2: legacy m2m_ is an M2M token", "m2m_detect_012345678", "/v1/m2m_tokens/verify", core.M2MToken},
				{"behaviour.md §6.2: oat_ is an OAuth access token", "oat_detect_012345678", "/v1/oauth_applications/access_tokens/verify", core.OAuthToken},
				{"behaviour.md §6.2: ak_ is an API key", "ak_detect_012345678", "/v1/api_keys/verify", core.APIKey},
			}
			for _, c := range cases {
				sum := e.expectSignedIn(e.do(pathAnyToken, bearer(c.token)), c.name, "mch_detect")
				if sum.Adapter.TokenType != string(c.tt) {
					t.Errorf("%s: token type %q", c.name, sum.Adapter.TokenType)
				}
				if _, p := api.last(); p != c.path {
					t.Errorf("%s: verified at %q, want POST %s", c.name, p, c.path)
				}
			}
			before := api.count()
			for _, tok := range []string{"MT_detect", "Mt_detect", "M2M_detect", "OAT_detect", "AK_detect", "mt-detect", "xak_detect"} {
				e.expectProblem(e.do(pathAnyToken, bearer(tok)), "behaviour.md §6.2: prefixes are case-sensitive; "+tok+" is a (malformed) session token", core.ReasonTokenInvalid)
			}
			for _, typ := range []string{"AT+JWT", "Application/At+Jwt", "at+jwt "} {
				tok := s.mint(clerktest.Session{UserID: "user_typ"}, clerktest.WithHeader("typ", typ))
				e.expectProblem(e.do(pathAnyToken, bearer(tok)), "behaviour.md §6.2, 3.2: typ "+typ+" is not an OAuth typ (exact strings), and not JWT", core.ReasonTokenInvalid)
			}
			if n := api.count() - before; n != 0 {
				t.Errorf("behaviour.md §6.2: tokens without a machine prefix reached the Backend API (%d calls)", n)
			}
			sum := e.expectSignedIn(e.do(pathAnyToken, bearer(s.mint(clerktest.Session{UserID: "mch_bysub"}))), "behaviour.md §6.2: a JWT whose sub starts with mch_ is an M2M token", "mch_bysub")
			if sum.Adapter.TokenType != string(core.M2MToken) {
				t.Errorf("behaviour.md §6.2: sub mch_: token type %q", sum.Adapter.TokenType)
			}
			sum = e.expectSignedIn(e.do(pathAnyToken, bearer(s.iss.MintM2M(clerktest.Machine{Subject: "svc_bycat"}))), "behaviour.md §6.2: a JWT with cat cl_B7d4PD333AAA is an M2M token", "svc_bycat")
			if sum.Adapter.TokenType != string(core.M2MToken) {
				t.Errorf("behaviour.md §6.2: cat M2M: token type %q", sum.Adapter.TokenType)
			}
		}},
		{Name: "RefusedTypesMakeNoUpstreamCall", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, apiOK("mch_1"))
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAPIURL(api.srv.URL), core.WithSecretKey(scriptedSecretKey)}, routes: machineRoutes()})
			jwks := s.iss.JWKSRequests()
			toks := []string{"mt_refused_01234567", "m2m_refused_01234567", "oat_refused_01234567", "ak_refused_01234567",
				s.iss.MintM2M(clerktest.Machine{}), s.iss.MintM2M(clerktest.Machine{}, clerktest.TamperedSignature()),
				s.iss.MintM2M(clerktest.Machine{}, clerktest.WithKID("ins_unknown_kid")),
				s.iss.MintOAuth(clerktest.Machine{}), s.iss.MintOAuth(clerktest.Machine{}, clerktest.WithAlg("none"))}
			for _, tok := range toks {
				for _, p := range []string{pathAuth, pathM2M, pathAnyToken, pathPublic} {
					r := e.do(p, bearer(tok))
					if p == pathPublic {
						e.expectSignedOut(r, "behaviour.md §7.1, 6.3: a public route sees the refused machine token as signed out", core.ReasonTokenTypeMismatch)
						continue
					}
					e.expectProblem(r, "behaviour.md §6.3: the Authorizer accepts session tokens only", core.ReasonTokenTypeMismatch)
				}
			}
			if n := api.count(); n != 0 {
				t.Errorf("behaviour.md §6.3: refused tokens are never verified; the Backend API got %d calls", n)
			}
			if n := s.iss.JWKSRequests() - jwks; n != 0 {
				t.Errorf("behaviour.md §6.3: refused tokens are never verified; the JWKS was fetched %d times", n)
			}
		}},
		{Name: "BackendAnswers", Run: func(t *testing.T, s *suite) {
			exp := func(d time.Duration) string { return fmt.Sprint(s.now().Add(d).UnixMilli()) }
			elsewhere := newScriptedAPI(t, apiOK("mch_elsewhere"))
			cases := []struct {
				name   string
				h      http.HandlerFunc
				reason core.Reason
			}{
				{"401 is secret-key-invalid (503)", apiAnswer(401, `{"errors":[{"code":"authentication_invalid"}]}`), core.ReasonSecretKeyInvalid},
				{"404 is token-invalid", apiAnswer(404, `{"errors":[{"code":"resource_not_found"}]}`), core.ReasonTokenInvalid},
				{"400 is unexpected-error", apiAnswer(400, `{}`), core.ReasonUnexpectedError},
				{"429 is unexpected-error", apiAnswer(429, `{}`), core.ReasonUnexpectedError},
				{"500 is unexpected-error", apiAnswer(500, `{}`), core.ReasonUnexpectedError},
				{"502 is unexpected-error", apiAnswer(502, `<html>`), core.ReasonUnexpectedError},
				{"bad JSON is unexpected-error", apiAnswer(200, `{"subject":`), core.ReasonUnexpectedError},
				{"an answer without subject is unexpected-error", apiAnswer(200, `{"object":"api_key"}`), core.ReasonUnexpectedError},
				{"an oversized answer is unexpected-error", apiAnswer(200, `{"subject":"mch_1","name":"`+strings.Repeat("x", 2<<20)+`"}`), core.ReasonUnexpectedError},
				{"a redirect is not followed (unexpected-error)", func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, elsewhere.srv.URL+r.URL.Path, http.StatusTemporaryRedirect)
				}, core.ReasonUnexpectedError},
				{"a revoked token is token-invalid", apiAnswer(200, `{"subject":"mch_1","revoked":true,"expired":false}`), core.ReasonTokenInvalid},
				{"an expired token is token-expired", apiAnswer(200, `{"subject":"mch_1","revoked":false,"expired":true}`), core.ReasonTokenExpired},
				{"an expiration in the past is token-expired", apiAnswer(200, `{"subject":"mch_1","expiration":`+exp(-time.Second)+`}`), core.ReasonTokenExpired},
			}
			for _, c := range cases {
				api := newScriptedAPI(t, c.h)
				e := s.newEnv(t, envConfig{opts: scriptedOpts(api), routes: machineRoutes()})
				for _, tok := range []string{"mt_answer_012345678", "oat_answer_012345678", "ak_answer_012345678"} {
					e.expectProblem(e.do(pathMachines, bearer(tok)), "behaviour.md §6.4: Backend API: "+c.name, c.reason)
				}
			}
			if n := elsewhere.count(); n != 0 {
				t.Errorf("behaviour.md §6.4: a Backend API redirect was followed to another host (%d calls): the secret key and token must not travel there", n)
			}
			api := newScriptedAPI(t, apiOK("mch_1"))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api), routes: machineRoutes()})
			api.srv.Close()
			e.expectProblem(e.do(pathMachines, bearer("mt_unreachable_0123")), "behaviour.md §6.4: an unreachable Backend API is unexpected-error", core.ReasonUnexpectedError)
		}},
		{Name: "BackendTimeoutEveryType", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api, core.WithMachineVerification(core.MachineVerification{Timeout: 50 * time.Millisecond})), routes: machineRoutes()})
			start := time.Now()
			for _, tok := range []string{"mt_slow_0123456789a", "oat_slow_0123456789a", "ak_slow_0123456789a"} {
				e.expectProblem(e.do(pathMachines, bearer(tok)), "behaviour.md §6.4: a Backend API that never answers is bounded by the timeout", core.ReasonUnexpectedError)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("behaviour.md §6.4: three timed-out verifications took %s; the 50ms timeout must bound each", d)
			}
		}},
		{Name: "MachineSecretKeyForM2MOnly", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, apiOK("mch_keyed"))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api, core.WithMachineSecretKey("ak_conformance_machine_key")), routes: machineRoutes()})
			for _, c := range []struct{ tok, key string }{
				{"mt_keyed_0123456789", "ak_conformance_machine_key"},
				{"oat_keyed_0123456789", scriptedSecretKey},
				{"ak_keyed_0123456789", scriptedSecretKey},
			} {
				e.expectSignedIn(e.do(pathMachines, bearer(c.tok)), "behaviour.md §6.4: "+c.tok[:strings.Index(c.tok, "_")+1]+" verified", "mch_keyed")
				if auth, _ := api.last(); auth != "Bearer "+c.key {
					t.Errorf("behaviour.md §6.4: %s verified with Authorization %q, want the %s", c.tok, auth, map[bool]string{true: "machine secret key", false: "secret key"}[c.key != scriptedSecretKey])
				}
			}
		}},
		{Name: "SingleFlightSharesFailures", Run: func(t *testing.T, s *suite) {
			release := make(chan struct{})
			api := newScriptedAPI(t, func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-release:
				case <-r.Context().Done():
				}
				apiAnswer(500, `{}`)(w, r)
			})
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api), routes: machineRoutes()})
			var wg sync.WaitGroup
			codes := make(chan int, 100)
			for i := 0; i < 100; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req := httptest.NewRequest(http.MethodGet, "http://conformance.test"+pathMachines, nil)
					req.Header.Set("Authorization", "Bearer ak_flight_failure_0")
					rec := httptest.NewRecorder()
					e.handler.ServeHTTP(rec, req)
					codes <- rec.Code
				}()
			}
			deadline := time.Now().Add(5 * time.Second)
			for api.count() == 0 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond) // let the other requests join the call in flight
			close(release)
			wg.Wait()
			close(codes)
			for c := range codes {
				if c != http.StatusServiceUnavailable {
					t.Fatalf("behaviour.md §6.4: a request sharing a failed verification answered %d, want 503", c)
				}
			}
			if n := api.count(); n != 1 {
				t.Errorf("behaviour.md §6.4: 100 concurrent requests with one new token made %d Backend API calls, want 1", n)
			}
			e.expectProblem(e.do(pathMachines, bearer("ak_flight_failure_0")), "behaviour.md §6.4: failures are not cached", core.ReasonUnexpectedError)
			if n := api.count(); n != 2 {
				t.Errorf("behaviour.md §6.4: a failed verification was cached (%d calls, want 2)", n)
			}
		}},
		{Name: "CacheNeverPastExpiry", Run: func(t *testing.T, s *suite) {
			clock := clerktest.NewClock(s.now())
			api := newScriptedAPI(t, apiAnswer(200, fmt.Sprintf(`{"subject":"mch_short","scopes":[],"expiration":%d}`, s.now().Add(2*time.Second).UnixMilli())))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api, core.WithClock(clock.Now),
				core.WithMachineVerification(core.MachineVerification{CacheTTL: time.Hour})), routes: machineRoutes()})
			e.expectSignedIn(e.do(pathMachines, bearer("mt_short_0123456789")), "behaviour.md §6.4: a token valid for 2s", "mch_short")
			clock.Advance(time.Second)
			e.expectSignedIn(e.do(pathMachines, bearer("mt_short_0123456789")), "behaviour.md §6.4: cached within its validity", "mch_short")
			if n := api.count(); n != 1 {
				t.Errorf("behaviour.md §6.4: a cached success made %d Backend API calls, want 1", n)
			}
			clock.Advance(time.Second)
			e.expectProblem(e.do(pathMachines, bearer("mt_short_0123456789")), "behaviour.md §6.4: the cache never outlives the token's expiry", core.ReasonTokenExpired)
			if n := api.count(); n != 2 {
				t.Errorf("behaviour.md §6.4: an expired cache entry was used (%d calls, want 2)", n)
			}
		}},
		{Name: "CacheDisabled", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, apiOK("mch_nocache"))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api, core.WithMachineVerification(core.MachineVerification{CacheTTL: -1})), routes: machineRoutes()})
			for i := 0; i < 3; i++ {
				e.expectSignedIn(e.do(pathMachines, bearer("ak_nocache_01234567")), "behaviour.md §6.4: a negative CacheTTL disables the cache", "mch_nocache")
			}
			if n := api.count(); n != 3 {
				t.Errorf("behaviour.md §6.4: with the cache disabled 3 requests made %d calls, want 3", n)
			}
		}},
		{Name: "OpaqueCookieWarmCache", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, apiOK("mch_cookie"))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api), routes: machineRoutes()})
			for _, tok := range []string{"mt_cookie_012345678", "oat_cookie_012345678", "ak_cookie_012345678"} {
				e.expectSignedIn(e.do(pathAnyToken, bearer(tok)), "behaviour.md §6.4: "+tok+" in the header", "mch_cookie")
				before := api.count()
				e.expectProblem(e.do(pathAnyToken, cookie(tok)), "behaviour.md §1.2: a machine token in the __session cookie is refused even when its verification is cached", core.ReasonTokenTypeMismatch)
				e.expectSignedOut(e.do(pathPublic, cookie(tok)), "behaviour.md §1.2: a machine token in the cookie signs the request out", core.ReasonTokenTypeMismatch)
				if n := api.count() - before; n != 0 {
					t.Errorf("behaviour.md §1.2: a machine token in the cookie reached the Backend API (%d calls)", n)
				}
			}
		}},
		{Name: "RequireScopeEveryMachineType", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: s.machineOpts()})
			with := map[string][2]string{
				"M2MJWT":      {s.iss.MintM2M(clerktest.Machine{Subject: "mch_scope", Scopes: []string{"other", scope}}), "mch_scope"},
				"OAuthJWT":    {s.iss.MintOAuth(clerktest.Machine{Subject: "user_scope", Scopes: []string{scope}}), "user_scope"},
				"M2MOpaque":   {s.opaque(core.M2MToken, "mch_scope", scope), "mch_scope"},
				"OAuthOpaque": {s.opaque(core.OAuthToken, "user_scope", scope), "user_scope"},
				"APIKey":      {s.opaque(core.APIKey, "org_scope", "other", scope), "org_scope"},
			}
			for kind, ts := range with {
				e.expectSignedIn(e.do(pathScope, bearer(ts[0])), "behaviour.md §6.4: RequireScope lets "+kind+" with the scope through", ts[1])
			}
			without := map[string]string{
				"M2MJWT":        s.iss.MintM2M(clerktest.Machine{Subject: "mch_scope", Scopes: []string{"other"}}),
				"OAuthJWT":      s.iss.MintOAuth(clerktest.Machine{Subject: "user_scope"}),
				"APIKeyNoScope": s.opaque(core.APIKey, "org_scope"),
				"APIKeyCase":    s.opaque(core.APIKey, "org_scope", strings.ToUpper(scope)),
				"APIKeyPrefix":  s.opaque(core.APIKey, "org_scope", scope[:len(scope)-1]),
			}
			for kind, tok := range without {
				e.expectProblem(e.do(pathScope, bearer(tok)), "behaviour.md §6.4: RequireScope refuses "+kind+" without the exact scope (403)", core.ReasonMissingScope)
			}
		}},
		// behaviour.md §6.5: opaque verification is bounded.
		{Name: "MalformedOpaqueMakesNoCall", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, apiOK("mch_malformed"))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api), routes: machineRoutes()})
			for _, tok := range []string{"mt_", "oat_", "ak_" + strings.Repeat("a", 257), "mt_short space",
				"ak_=", "mt_0123456789=abcdef", "m2m_0123456789abcd,f", `oat_0123456789abcd"f`, "mt_0123456789%2Fabcd"} {
				e.expectProblem(e.do(pathMachines, bearer(tok)), "behaviour.md §6.5, §6.9: a malformed opaque token (prefix, then an RFC 6750 b64token of 1 to 256 characters) is token-invalid", core.ReasonTokenInvalid)
				e.expectSignedOut(e.do(pathPublic, bearer(tok)), "behaviour.md §6.5: a public route sees a malformed opaque token as signed out", core.ReasonTokenInvalid)
			}
			if n := api.count(); n != 0 {
				t.Errorf("behaviour.md §6.5: malformed opaque tokens must be refused before any Backend API call; the Backend API got %d", n)
			}
			e.expectSignedIn(e.do(pathMachines, bearer("mt_0123456789abcdef")), "behaviour.md §6.5: a well-formed token of 16 characters is verified", "mch_malformed")
		}},
		{Name: "ForgedTokenRepeatedMakesOneCall", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, apiAnswer(http.StatusNotFound, `{"errors":[{"code":"resource_not_found"}]}`))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api), routes: machineRoutes()})
			for i := 0; i < 20; i++ {
				e.expectProblem(e.do(pathMachines, bearer("ak_forged_0123456789abcdef")), "behaviour.md §6.5: a forged token is token-invalid", core.ReasonTokenInvalid)
			}
			if n := api.count(); n != 1 {
				t.Errorf("behaviour.md §6.5: a token the Backend API answered 404 for is remembered; 20 requests made %d calls, want 1", n)
			}
		}},
		{Name: "RateLimitExhaustedIs503", Run: func(t *testing.T, s *suite) {
			clock := clerktest.NewClock(s.now())
			api := newScriptedAPI(t, apiAnswer(http.StatusNotFound, `{}`))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api, core.WithClock(clock.Now),
				core.WithMachineVerification(core.MachineVerification{RateBurst: 2, RatePerSecond: 1})), routes: machineRoutes()})
			for _, tok := range []string{"mt_forged_rate_limit_1", "oat_forged_rate_limit_2"} {
				e.expectProblem(e.do(pathMachines, bearer(tok)), "behaviour.md §6.5: within the rate limit a forged token is verified (404: token-invalid)", core.ReasonTokenInvalid)
			}
			e.expectProblem(e.do(pathMachines, bearer("ak_forged_rate_limit_3")), "behaviour.md §6.5: past the rate limit a new token is unexpected-error (503) without a call", core.ReasonUnexpectedError)
			e.expectProblem(e.do(pathMachines, bearer("mt_forged_rate_limit_1")), "behaviour.md §6.5: a remembered 404 is token-invalid, not rate-limited", core.ReasonTokenInvalid)
			if n := api.count(); n != 2 {
				t.Errorf("behaviour.md §6.5: with a burst of 2 the Backend API got %d calls, want 2", n)
			}
			clock.Advance(time.Second)
			e.expectProblem(e.do(pathMachines, bearer("ak_forged_rate_limit_3")), "behaviour.md §6.5: the bucket refills with time (1 per second here)", core.ReasonTokenInvalid)
			if n := api.count(); n != 3 {
				t.Errorf("behaviour.md §6.5: after a refill the Backend API got %d calls, want 3", n)
			}
		}},
	}
}

func hasType(list []core.TokenType, t core.TokenType) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

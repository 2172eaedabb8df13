package conformance

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// machineOpts make an Authorizer accept every token type and verify opaque
// ones against the suite issuer's fake Backend API (behaviour.md §6.4).
func (s *suite) machineOpts(extra ...core.Option) []core.Option {
	return append([]core.Option{core.AcceptAnyToken(), core.WithAPIURL(s.iss.APIURL()), core.WithSecretKey(s.iss.SecretKey())}, extra...)
}

// opaque issues an opaque machine token known to the fake Backend API.
func (s *suite) opaque(tt core.TokenType, subject string, scopes ...string) string {
	return s.iss.IssueOpaque(clerktest.Opaque{Type: tt, Subject: subject, Scopes: scopes})
}

// machineTokens are one token of every machine kind (tokencases, shared with
// the RPC suite).
func (s *suite) machineTokens() map[string]string { return s.fx.MachineTokens() }

// machineCases cover behaviour.md §6 end to end over HTTP (with the cases of
// cases_machine_edges.go).
func machineCases() []tcase {
	return append(machineBaseCases(), machineEdgeCases()...)
}

func machineBaseCases() []tcase {
	return []tcase{
		{Name: "DefaultRefusesMachineTokensUnverified", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			before := s.iss.BackendCalls()
			for kind, tok := range s.machineTokens() {
				for _, p := range []string{pathAuth, pathPermission, pathM2M} {
					r := e.do(p, bearer(tok))
					e.expectProblem(r, "behaviour.md §6.3: "+kind+" on an Authorizer accepting session tokens only", core.ReasonTokenTypeMismatch)
				}
			}
			if n := s.iss.BackendCalls() - before; n != 0 {
				t.Errorf("behaviour.md §6.3: refused tokens must not be verified; the Backend API got %d calls", n)
			}
		}},
		{Name: "SessionRoutesRefuseMachineTokens", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: s.machineOpts()})
			for kind, tok := range s.machineTokens() {
				for _, p := range []string{pathAuth, pathPermission, pathRole, pathCustom} {
					e.expectProblem(e.do(p, bearer(tok)), "behaviour.md §6.3: a session route refuses "+kind, core.ReasonTokenTypeMismatch)
				}
			}
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_session"))), "behaviour.md §6.1: session tokens still pass", "user_session")
		}},
		{Name: "MachineRouteAcceptsM2MOnly", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: s.machineOpts()})
			toks := s.machineTokens()
			for _, kind := range []string{"M2MJWT", "M2MOpaque"} {
				e.expectSignedIn(e.do(pathM2M, bearer(toks[kind])), "behaviour.md §6.4: AcceptsToken(M2M) accepts "+kind, "mch_conformance")
			}
			for _, kind := range []string{"OAuthJWT", "OAuthOpaque", "APIKey"} {
				e.expectProblem(e.do(pathM2M, bearer(toks[kind])), "behaviour.md §6.3: AcceptsToken(M2M) refuses "+kind, core.ReasonTokenTypeMismatch)
			}
			e.expectProblem(e.do(pathM2M, bearer(s.mint(signedInEverything()))), "behaviour.md §6.3: a machine route refuses session tokens", core.ReasonTokenTypeMismatch)
			e.expectProblem(e.do(pathM2M), "behaviour.md §7.2: a machine route answers 401 without a token", core.ReasonSessionTokenMissing)
		}},
		{Name: "RequireScopeOpaque", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: s.machineOpts()})
			e.expectSignedIn(e.do(pathScope, bearer(s.opaque(core.APIKey, "user_key", scope))), "behaviour.md §6.4: RequireScope with the scope", "user_key")
			e.expectProblem(e.do(pathScope, bearer(s.opaque(core.APIKey, "user_key", "other"))), "behaviour.md §6.4: RequireScope without the scope", core.ReasonMissingScope)
			e.expectProblem(e.do(pathScope), "behaviour.md §7.2: RequireScope signed out", core.ReasonSessionTokenMissing)
		}},
		{Name: "MachineTokensNotFromCookie", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: s.machineOpts()})
			for kind, tok := range s.machineTokens() {
				e.expectProblem(e.do(pathM2M, cookie(tok)), "behaviour.md §1.2: "+kind+" is never read from the __session cookie", core.ReasonTokenTypeMismatch)
			}
		}},
		{Name: "BackendFailures", Run: func(t *testing.T, s *suite) {
			cases := []struct {
				name   string
				status int
				tok    string
				reason core.Reason
			}{
				{"401", http.StatusUnauthorized, s.opaque(core.M2MToken, "mch_1"), core.ReasonSecretKeyInvalid},
				{"500", http.StatusInternalServerError, s.opaque(core.M2MToken, "mch_1"), core.ReasonUnexpectedError},
				{"404", 0, "mt_unknown_to_the_backend", core.ReasonTokenInvalid},
			}
			for _, c := range cases {
				e := s.newEnv(t, envConfig{opts: s.machineOpts()})
				s.iss.SetBackendStatus(c.status)
				e.expectProblem(e.do(pathM2M, bearer(c.tok)), "behaviour.md §6.4: Backend API "+c.name, c.reason)
				s.iss.SetBackendStatus(0)
			}
		}},
		{Name: "BackendTimeout", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: s.machineOpts(core.WithMachineVerification(core.MachineVerification{Timeout: 50 * time.Millisecond}))})
			s.iss.SetBackendDelay(time.Second)
			defer s.iss.SetBackendDelay(0)
			start := time.Now()
			e.expectProblem(e.do(pathM2M, bearer(s.opaque(core.M2MToken, "mch_slow"))), "behaviour.md §6.4: a Backend API timeout", core.ReasonUnexpectedError)
			if d := time.Since(start); d > 800*time.Millisecond {
				t.Errorf("behaviour.md §6.4: verification took %s; the timeout must bound it", d)
			}
		}},
		{Name: "OpaqueCacheAndSingleFlight", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: s.machineOpts()})
			tok := s.opaque(core.M2MToken, "mch_flight", scope)
			s.iss.SetBackendDelay(100 * time.Millisecond)
			before := s.iss.BackendCalls()
			var wg sync.WaitGroup
			codes := make(chan int, 100)
			for i := 0; i < 100; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req := httptest.NewRequest(http.MethodGet, "http://conformance.test"+pathM2M, nil)
					req.Header.Set("Authorization", "Bearer "+tok)
					rec := httptest.NewRecorder()
					e.handler.ServeHTTP(rec, req)
					codes <- rec.Code
				}()
			}
			wg.Wait()
			s.iss.SetBackendDelay(0)
			close(codes)
			for c := range codes {
				if c != http.StatusOK {
					t.Fatalf("behaviour.md §6.4: concurrent request answered %d", c)
				}
			}
			e.expectSignedIn(e.do(pathM2M, bearer(tok)), "behaviour.md §6.4: cached result", "mch_flight")
			if n := s.iss.BackendCalls() - before; n != 1 {
				t.Errorf("behaviour.md §6.4: 101 requests with one new token made %d Backend API calls, want 1", n)
			}
		}},
		{Name: "RevokedTokenStopsAfterCacheTTL", Run: func(t *testing.T, s *suite) {
			clock := clerktest.NewClock(s.now())
			e := s.newEnv(t, envConfig{opts: s.machineOpts(core.WithClock(clock.Now),
				core.WithMachineVerification(core.MachineVerification{CacheTTL: 10 * time.Second}))})
			tok := s.opaque(core.APIKey, "user_revoked", scope)
			e.expectSignedIn(e.do(pathScope, bearer(tok)), "behaviour.md §6.4: a valid API key", "user_revoked")
			s.iss.RevokeOpaque(tok)
			e.expectSignedIn(e.do(pathScope, bearer(tok)), "behaviour.md §6.4: within the cache TTL the cached result is used", "user_revoked")
			clock.Advance(10 * time.Second)
			e.expectProblem(e.do(pathScope, bearer(tok)), "behaviour.md §6.4: a revoked key stops working once the TTL has passed", core.ReasonTokenInvalid)
		}},
		{Name: "PostRoute", Run: func(t *testing.T, s *suite) {
			routes := []Route{{Method: http.MethodPost, Path: "/machine/post", Guard: guard(core.AcceptsToken(core.M2MToken))}}
			e := s.newEnv(t, envConfig{opts: s.machineOpts(), routes: routes})
			tok := s.iss.MintM2M(clerktest.Machine{Subject: "mch_post"})
			req := httptest.NewRequest(http.MethodPost, "http://conformance.test/machine/post", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("Route.Method: POST %s answered %d, want 200 (mount routes with their Method)", "/machine/post", rec.Code)
			}
			req = httptest.NewRequest(http.MethodPost, "http://conformance.test/machine/post", nil)
			rec = httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("behaviour.md §7.2: POST without a token answered %d, want 401", rec.Code)
			}
		}},
	}
}

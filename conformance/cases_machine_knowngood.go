package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// This file holds the machine-token cases of behaviour.md §6.6–6.9 over
// HTTP: known-good tokens through a flood of forged ones and an outage, the
// audience of opaque OAuth tokens, and the opaque-token alphabet.

// tokenAPI is an httptest Backend API that knows one token per verify body
// field Clerk's SDK sends (token, access_token, secret): it answers 200 for
// a known token, 404 for any other, or status when set. It counts calls.
type tokenAPI struct {
	srv *httptest.Server

	mu     sync.Mutex
	known  map[string]string // token → subject
	status int
	calls  int
}

func newTokenAPI(t *testing.T) *tokenAPI {
	t.Helper()
	a := &tokenAPI{known: map[string]string{}}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body)
		tok := body["token"] + body["access_token"] + body["secret"]
		a.mu.Lock()
		a.calls++
		sub, ok := a.known[tok]
		status := a.status
		a.mu.Unlock()
		switch {
		case status != 0:
			apiAnswer(status, `{"errors":[{"code":"forced"}]}`)(w, r)
		case ok:
			apiOK(sub)(w, r)
		default:
			apiAnswer(http.StatusNotFound, `{"errors":[{"code":"resource_not_found"}]}`)(w, r)
		}
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *tokenAPI) add(tok, sub string) string {
	a.mu.Lock()
	a.known[tok] = sub
	a.mu.Unlock()
	return tok
}

func (a *tokenAPI) setStatus(code int) {
	a.mu.Lock()
	a.status = code
	a.mu.Unlock()
}

func (a *tokenAPI) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

func machineKnownGoodCases() []tcase {
	return []tcase{
		// behaviour.md §6.6: 100 forged tokens per second (of the injected
		// clock) for 2 seconds; the good token's 1s cache entry expires
		// twice meanwhile, and it is answered 200 every time.
		{Name: "KnownGoodSurvivesForgedFlood", Run: func(t *testing.T, s *suite) {
			clock := clerktest.NewClock(s.now())
			api := newTokenAPI(t)
			good := api.add("mt_known_good_flood_0123", "mch_flood")
			e := s.newEnv(t, envConfig{opts: api.opts(core.WithClock(clock.Now),
				core.WithMachineVerification(core.MachineVerification{CacheTTL: time.Second})), routes: machineRoutes()})
			e.expectSignedIn(e.do(pathMachines, bearer(good)), "behaviour.md §6.6: the good token before the flood", "mch_flood")
			ok, limited, called := 0, 0, 0
			for i := 0; i < 200; i++ {
				clock.Advance(10 * time.Millisecond)
				r := e.do(pathMachines, bearer(fmt.Sprintf("mt_forged_flood_%06d", i)))
				switch r.status {
				case http.StatusUnauthorized:
					called++
				case http.StatusServiceUnavailable:
					limited++
				default:
					t.Fatalf("behaviour.md §6.5: a forged token answered %d, want 401 or 503", r.status)
				}
				if i%5 == 4 {
					if r := e.do(pathMachines, bearer(good)); r.status == http.StatusOK {
						ok++
					}
				}
			}
			if ok != 40 {
				t.Errorf("behaviour.md §6.6: a known-good token answered 200 %d of 40 times during a flood of forged tokens", ok)
			}
			if max := 50 + 20*2; called > max || limited < 200-max {
				t.Errorf("behaviour.md §6.5: %d forged tokens reached the Backend API (at most %d) and %d were rate-limited", called, max, limited)
			}
			if n := api.count() - 1 - called; n < 1 || n > 3 {
				t.Errorf("behaviour.md §6.6: the known-good token made %d calls in 2s with a 1s cache, want 1 to 3", n)
			}
		}},
		// behaviour.md §6.7: through an outage a known-good token keeps its
		// last verdict for KnownGoodTTL after its last successful
		// verification, then the outage is a 503.
		{Name: "KnownGoodLastVerdictThroughOutage", Run: func(t *testing.T, s *suite) {
			clock := clerktest.NewClock(s.now())
			api := newTokenAPI(t)
			good := api.add("ak_known_good_outage_01", "user_outage")
			e := s.newEnv(t, envConfig{opts: api.opts(core.WithClock(clock.Now),
				core.WithMachineVerification(core.MachineVerification{CacheTTL: time.Second, KnownGoodTTL: 5 * time.Second})), routes: machineRoutes()})
			e.expectSignedIn(e.do(pathMachines, bearer(good)), "behaviour.md §6.7: verified", "user_outage")
			api.setStatus(http.StatusInternalServerError)
			clock.Advance(2 * time.Second)
			e.expectSignedIn(e.do(pathMachines, bearer(good)), "behaviour.md §6.7: a known-good token keeps its last verdict while the Backend API fails", "user_outage")
			clock.Advance(3*time.Second - time.Nanosecond)
			e.expectSignedIn(e.do(pathMachines, bearer(good)), "behaviour.md §6.7: just before KnownGoodTTL", "user_outage")
			clock.Advance(time.Nanosecond)
			e.expectProblem(e.do(pathMachines, bearer(good)), "behaviour.md §6.7: KnownGoodTTL after the last success the outage is a 503", core.ReasonUnexpectedError)
			e.expectProblem(e.do(pathMachines, bearer("ak_unknown_outage_0123")), "behaviour.md §6.7: an unknown token during an outage is a 503", core.ReasonUnexpectedError)
		}},
		// behaviour.md §6.8: WithAudience applies to opaque OAuth tokens,
		// cached or not; M2M tokens and API keys carry no audience.
		{Name: "OpaqueOAuthAudience", Run: func(t *testing.T, s *suite) {
			const aud = "https://api.conformance.test"
			e := s.newEnv(t, envConfig{opts: s.machineOpts(core.WithAudience(aud)), routes: machineRoutes()})
			match := s.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_aud", Audience: []string{"other", aud}})
			other := s.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_aud", Audience: "https://other.test"})
			absent := s.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_aud"})
			for _, use := range []string{"fresh", "cached"} {
				e.expectSignedIn(e.do(pathOAuthOnly, bearer(match)), "behaviour.md §6.8: aud holds the configured audience ("+use+")", "user_aud")
				e.expectProblem(e.do(pathOAuthOnly, bearer(other)), "behaviour.md §6.8: aud of another audience ("+use+")", core.ReasonTokenInvalidAudience)
				e.expectProblem(e.do(pathOAuthOnly, bearer(absent)), "behaviour.md §6.8: an opaque OAuth token without aud ("+use+")", core.ReasonTokenInvalidAudience)
			}
			e.expectSignedIn(e.do(pathMachines, bearer(s.opaque(core.APIKey, "user_key"))), "behaviour.md §6.8: API keys carry no audience", "user_key")
			e.expectSignedIn(e.do(pathMachines, bearer(s.opaque(core.M2MToken, "mch_aud"))), "behaviour.md §6.8: M2M tokens carry no audience", "mch_aud")
		}},
		// behaviour.md §6.9: every RFC 6750 b64token reaches the Backend API.
		{Name: "OpaqueB64TokenAlphabet", Run: func(t *testing.T, s *suite) {
			api := newScriptedAPI(t, apiOK("mch_alphabet"))
			e := s.newEnv(t, envConfig{opts: scriptedOpts(api), routes: machineRoutes()})
			toks := []string{"ak_LCWGdaM8mv8K4PC/57IICZQXAeWfCgF30DZaFXHoGn9=", "mt_a.b~c+d/e_f-g==", "oat_Zm9vYmFy"}
			for _, tok := range toks {
				e.expectSignedIn(e.do(pathMachines, bearer(tok)), "behaviour.md §6.9: "+tok[:4]+"… is a b64token, verified", "mch_alphabet")
			}
			if n := api.count(); n != len(toks) {
				t.Errorf("behaviour.md §6.9: %d tokens made %d Backend API calls", len(toks), n)
			}
		}},
	}
}

// opts make an Authorizer accept every token type and verify opaque tokens
// against a.
func (a *tokenAPI) opts(extra ...core.Option) []core.Option {
	return append([]core.Option{core.AcceptAnyToken(), core.WithAPIURL(a.srv.URL), core.WithSecretKey(scriptedSecretKey)}, extra...)
}

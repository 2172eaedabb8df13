package rpcconformance

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// guardCases cover behaviour.md §7.2 for RPC: every guard per method, the
// fail-closed default, public methods, prefixes, and guards in handlers.
func guardCases() []tcase {
	everything := func(s *suite) string { return s.fx.Mint(tokencases.SignedInEverything()) }
	return []tcase{
		{Name: "EveryGuard", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: machineOpts(s)})
			scoped := s.fx.Issuer.MintM2M(clerktest.Machine{Subject: "mch_scoped", Scopes: []string{tokencases.GrantScope}})
			unscoped := s.fx.Issuer.MintM2M(clerktest.Machine{Subject: "mch_unscoped"})
			for _, svc := range []string{svcProbe, svcStream} {
				for _, g := range guarded {
					allowed, refused := everything(s), s.fx.User("user_plain")
					switch g.method {
					case "Scope":
						allowed, refused = scoped, unscoped
					case "M2M":
						allowed, refused = scoped, everything(s)
					}
					e.expectRejected(e.call(svc+g.method, nil), "behaviour.md §7.2: "+g.guard.Name()+" refuses a signed-out call", core.ReasonSessionTokenMissing, g.guard)
					if g.deny != "" {
						e.expectRejected(e.call(svc+g.method, bearer(refused)), "behaviour.md §7.2: "+g.guard.Name()+" refuses a signed-in call without the grant", g.deny, g.guard)
					}
					e.expectSignedIn(e.call(svc+g.method, bearer(allowed)), "behaviour.md §7.2: "+g.guard.Name()+" lets an allowed call through", tokencases.Subject(allowed))
				}
			}
		}},
		{Name: "FailClosedByDefault", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectRejected(e.call(health, nil), "behaviour.md §7.2: a method without a rule (health included) gets the default guard, RequireAuth", core.ReasonSessionTokenMissing, core.RequireAuth())
			e.expectSignedIn(e.call(health, bearer(s.fx.User("user_a"))), "behaviour.md §7.2: the default guard lets a signed-in call through", "user_a")
		}},
		{Name: "DefaultGuard", Run: func(t *testing.T, s *suite) {
			def := guardRole
			e := s.newEnv(t, envConfig{def: &def})
			for _, p := range []string{health, svcProbe + "Auth"} {
				e.expectRejected(e.call(p, bearer(s.fx.User("user_plain"))), "behaviour.md §7.2: with only a default guard every method without a rule is guarded by it", core.ReasonMissingRole, def)
				e.expectSignedIn(e.call(p, bearer(everything(s))), "behaviour.md §7.2: the default guard allows", tokencases.DefaultUser)
			}
			e.expectSignedOut(e.call(svcProbe+"Public", nil), "behaviour.md §7.2: public methods stay public under a default guard", core.ReasonSessionTokenMissing)
		}},
		{Name: "PublicMethod", Run: func(t *testing.T, s *suite) {
			procs := []Procedure{unary(health), unary("/grpc.health.v1.Health/Watch"), unary(svcProbe + "Auth")}
			rules := []Rule{{Pattern: "/grpc.health.v1.Health/", Public: true}}
			e := s.newEnv(t, envConfig{procs: procs, rules: rules})
			for _, p := range []string{health, "/grpc.health.v1.Health/Watch"} {
				e.expectSignedOut(e.call(p, nil), "behaviour.md §7.2: a service made public by prefix answers without a token", core.ReasonSessionTokenMissing)
				e.expectSignedOut(e.call(p, authorization("Bearer not-a-jwt")), "behaviour.md §7.1: a public method is never refused, even for an invalid token", core.ReasonTokenInvalid)
				e.expectSignedIn(e.call(p, bearer(s.fx.User("user_a"))), "behaviour.md §7.1: a public method still sees the caller's claims", "user_a")
			}
			e.expectRejected(e.call(svcProbe+"Auth", nil), "behaviour.md §7.2: other methods keep the default guard", core.ReasonSessionTokenMissing, core.RequireAuth())
		}},
		{Name: "ServicePrefixAndExactMethod", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectRejected(e.call(svcAdmin+"Any", bearer(s.fx.User("user_plain"))), "behaviour.md §7.2: a service rule guards every method of the service", core.ReasonMissingRole, guardRole)
			e.expectSignedIn(e.call(svcAdmin+"Any", bearer(everything(s))), "behaviour.md §7.2: the service rule allows", tokencases.DefaultUser)
			e.expectSignedOut(e.call(svcAdmin+"Open", nil), "behaviour.md §7.2: an exact method rule wins over its service's rule", core.ReasonSessionTokenMissing)
		}},
		{Name: "CheckInHandler", Run: func(t *testing.T, s *suite) {
			g := guardPermission
			procs := []Procedure{{Name: svcProbe + "Checked", Check: &g}, {Name: svcStream + "Checked", Streaming: true, Check: &g}}
			rules := []Rule{{Pattern: svcProbe + "Checked", Public: true}, {Pattern: svcStream + "Checked", Public: true}}
			e := s.newEnv(t, envConfig{procs: procs, rules: rules})
			for _, p := range procs {
				e.expectRejected(e.call(p.Name, nil), "behaviour.md §7.2: Check refuses a signed-out call", core.ReasonSessionTokenMissing, g)
				e.expectRejected(e.call(p.Name, bearer(s.fx.User("user_plain"))), "behaviour.md §7.2: Check refuses a call without the grant", core.ReasonMissingPermission, g)
				e.expectSignedIn(e.call(p.Name, bearer(everything(s))), "behaviour.md §7.2: Check allows", tokencases.DefaultUser)
			}
		}},
		{Name: "ReverificationHint", Run: func(t *testing.T, s *suite) {
			g := core.RequireReverification(core.ReverificationStrict)
			proc := svcProbe + "StepUp"
			e := s.newEnv(t, envConfig{procs: []Procedure{unary(proc)}, rules: []Rule{{Pattern: proc, Guard: g}}})
			stale := s.fx.Mint(clerktest.Session{UserID: "user_stale", FVA: &[2]int{90, 90}})
			r := e.call(proc, bearer(stale))
			e.expectRejected(r, "behaviour.md §5.6: a session whose second factor is older than the requirement is refused", core.ReasonReverificationError, g)
			var body struct {
				ClerkError json.RawMessage `json:"clerk_error"`
			}
			_ = json.Unmarshal(core.ProblemFor(g.Evaluate(&core.Result{Claims: &core.Claims{Subject: "user_stale", FactorVerificationAge: &[2]int{90, 90}}})).Body, &body)
			if r.ErrorInfo == nil || r.ErrorInfo.Metadata[adapter.RPCMetadataClerkError] != string(body.ClerkError) || len(body.ClerkError) == 0 {
				var got map[string]string
				if r.ErrorInfo != nil {
					got = r.ErrorInfo.Metadata
				}
				t.Errorf("behaviour.md §7.3: %s on %s: a reverification refusal must carry Clerk's hint in ErrorInfo metadata %s, the HTTP body's clerk_error %s; got %v", proc, s.h.Name, adapter.RPCMetadataClerkError, body.ClerkError, got)
			}
			e.expectSignedIn(e.call(proc, bearer(s.fx.Mint(clerktest.Session{UserID: "user_fresh", FVA: &[2]int{0, 0}}))), "behaviour.md §5.6: a fresh second factor passes", "user_fresh")
		}},
		{Name: "CheckWithoutInterceptor", Run: func(t *testing.T, s *suite) {
			g := guardPermission
			procs := []Procedure{{Name: svcProbe + "Checked", Check: &g}, {Name: svcStream + "Checked", Streaming: true, Check: &g}, unary(svcProbe + "Plain")}
			e := s.newEnv(t, envConfig{procs: procs, noInterceptor: true})
			logs := tokencases.CaptureDefaultLog(t)
			for _, p := range procs[:2] {
				before := logs.String()
				e.expectRejected(e.call(p.Name, bearer(everything(s))), "behaviour.md §7.2: a guard without the interceptor is a wiring error (Internal), never a pass", core.ReasonMiddlewareMissing, g)
				if line := strings.TrimPrefix(logs.String(), before); !strings.Contains(line, "without the authentication middleware") {
					t.Errorf("behaviour.md §7.2: %s on %s: a guard without the interceptor must log a clear line, logged %q", p.Name, s.h.Name, line)
				}
			}
			e.expectOK(e.call(svcProbe+"Plain", bearer(everything(s))), "behaviour.md §7.1: without the interceptor nothing authenticates the call", "", "")
		}},
	}
}

// concurrencyCases cover behaviour.md §7.5: claims of one call never show up
// in another, on concurrent streams and unary calls. Run them with -race.
func concurrencyCases() []tcase {
	return []tcase{
		{Name: "ConcurrentStreams", Run: func(t *testing.T, s *suite) {
			const n = 120
			e := s.newEnv(t, envConfig{})
			users := make([]string, 30)
			for i := range users {
				sess := clerktest.Session{UserID: fmt.Sprintf("user_c%02d", i)}
				if i%2 == 0 {
					sess.OrgID, sess.OrgRole, sess.OrgPermissions = "org_c", "member", []string{tokencases.GrantPermission}
				}
				users[i] = s.fx.Mint(sess)
			}
			bad := s.fx.WithClaims(nil, clerktest.TamperedSignature())
			// Warm the key cache first: this case is about leaks, and a cold
			// JWKS fetch slower than core's MaxWait under -race on a loaded
			// machine would answer Unavailable (behaviour.md §2.4), not leak.
			e.expectSignedIn(e.call(svcProbe+"Auth", bearer(users[1])), "behaviour.md §2.4 (warm-up)", "user_c01")
			e.mu.Lock()
			e.obs = nil
			e.mu.Unlock()
			type want struct {
				proc   string
				tok    string
				user   string
				reason core.Reason
			}
			wants := make([]want, n)
			for i := range wants {
				u := i % len(users)
				id := fmt.Sprintf("user_c%02d", u)
				switch i % 5 {
				case 0, 1:
					wants[i] = want{proc: svcStream + "Auth", tok: users[u], user: id}
				case 2:
					wants[i] = want{proc: svcStream + "Public"}
				case 3:
					wants[i] = want{proc: svcStream + "Auth", tok: bad, reason: core.ReasonTokenInvalidSignature}
				default:
					if u%2 == 0 {
						wants[i] = want{proc: svcProbe + "Permission", tok: users[u], user: id}
					} else {
						wants[i] = want{proc: svcProbe + "Permission", tok: users[u], reason: core.ReasonMissingPermission}
					}
				}
			}
			out := make([]Outcome, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, w := range wants {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var md map[string][]string
					if w.tok != "" {
						md = bearer(w.tok)
					}
					<-start
					out[i] = e.client.Call(t.Context(), e.procs[w.proc], md)
				}()
			}
			close(start)
			wg.Wait()
			fails, oks := 0, 0
			fail := func(format string, args ...any) {
				if fails++; fails <= 5 {
					t.Errorf(format, args...)
				}
			}
			for i, w := range wants {
				o := out[i]
				if w.reason != "" {
					if o.Code != wantCode(w.reason) || o.ErrorInfo == nil || o.ErrorInfo.Reason != string(w.reason) {
						fail("behaviour.md §7.5: concurrent call %d %s: code %d, ErrorInfo %+v, want %s", i, w.proc, o.Code, o.ErrorInfo, w.reason)
					}
					continue
				}
				if o.Code != 0 || len(o.Messages) == 0 {
					fail("behaviour.md §7.5: concurrent call %d %s: code %d (%q), want OK", i, w.proc, o.Code, o.Message)
					continue
				}
				oks++
				for j, m := range o.Messages {
					var sum summary
					if err := json.Unmarshal(m, &sum); err != nil || sum.AdapterUser != w.user || sum.ContextUser != w.user {
						fail("behaviour.md §7.5: concurrent call %d %s: message %d is %s, want user %q: claims leaked across calls", i, w.proc, j, m, w.user)
					}
				}
			}
			e.mu.Lock()
			nobs := len(e.obs)
			e.mu.Unlock()
			if nobs != oks {
				t.Errorf("behaviour.md §7.2/7.5: %d calls succeeded but handlers recorded %d observations", oks, nobs)
			}
		}},
	}
}

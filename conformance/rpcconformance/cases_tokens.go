package rpcconformance

import (
	"fmt"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// extractCases cover behaviour.md §1 over metadata: the authorization key,
// the same rules as the HTTP Authorization header, and no cookie.
func extractCases() []tcase {
	return []tcase{
		{Name: "Bearer", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.fx.User("user_a")
			e.expectSignedIn(e.call(svcProbe+"Auth", bearer(tok)), "behaviour.md §1.1", "user_a")
			e.expectSignedIn(e.call(svcStream+"Auth", bearer(tok)), "behaviour.md §1.1", "user_a")
		}},
		{Name: "BearerCaseInsensitive", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.fx.User("user_a")
			for _, scheme := range []string{"bearer", "BEARER", "bEaReR"} {
				e.expectSignedIn(e.call(svcProbe+"Auth", authorization(scheme+" "+tok)), "behaviour.md §1.1: scheme "+scheme+" is Bearer (case-insensitive)", "user_a")
			}
		}},
		{Name: "WithoutSchemeTakenWhole", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedIn(e.call(svcProbe+"Auth", authorization(s.fx.User("user_a"))), "behaviour.md §1.1: a value without a space is the token", "user_a")
			e.expectRejected(e.call(svcProbe+"Auth", authorization("Bearerx")), "behaviour.md §1.1: \"Bearerx\" has no space, so it is the token", core.ReasonTokenInvalid, core.RequireAuth())
			for _, v := range []string{"Bearer", "Bearer ", "bearer"} {
				e.expectRejected(e.call(svcProbe+"Auth", authorization(v)), "behaviour.md §1.1: \""+v+"\" carries no token", core.ReasonSessionTokenMissing, core.RequireAuth())
			}
		}},
		{Name: "OtherSchemesIgnored", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.fx.User("user_a")
			for _, v := range []string{"Basic " + tok, "Token " + tok, "Bearerx " + tok} {
				e.expectRejected(e.call(svcProbe+"Auth", authorization(v)), fmt.Sprintf("behaviour.md §1.1/1.4: authorization %.8q… is another scheme, as if none were sent", v), core.ReasonSessionTokenMissing, core.RequireAuth())
			}
		}},
		{Name: "EmptyValueIgnored", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectRejected(e.call(svcProbe+"Auth", authorization("")), "behaviour.md §1.4: an empty authorization value is no token", core.ReasonSessionTokenMissing, core.RequireAuth())
		}},
		{Name: "FirstValueWins", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.fx.User("user_first")
			e.expectSignedIn(e.call(svcProbe+"Auth", authorization("Bearer "+tok, "Bearer not-a-jwt")), "behaviour.md §1.1: the first authorization value is read, as HTTP's Header.Get does", "user_first")
			e.expectRejected(e.call(svcProbe+"Auth", authorization("Bearer not-a-jwt", "Bearer "+tok)), "behaviour.md §1.1/1.3: the first value yields a token: later ones are not consulted", core.ReasonTokenInvalid, core.RequireAuth())
		}},
		{Name: "NoCookie", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			md := map[string][]string{"cookie": {core.SessionCookie + "=" + s.fx.User("user_cookie")}}
			e.expectRejected(e.call(svcProbe+"Auth", md), "behaviour.md §1.2: RPC calls carry no __session cookie: a cookie metadata entry is not a token source", core.ReasonSessionTokenMissing, core.RequireAuth())
		}},
		{Name: "MissingTokenGuarded", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectRejected(e.call(svcProbe+"Auth", nil), "behaviour.md §1.4/7.2: no token on a guarded method", core.ReasonSessionTokenMissing, core.RequireAuth())
			e.expectRejected(e.call(svcStream+"Auth", nil), "behaviour.md §1.4/7.2: no token on a guarded stream", core.ReasonSessionTokenMissing, core.RequireAuth())
		}},
		{Name: "MissingTokenPublic", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedOut(e.call(svcProbe+"Public", nil), "behaviour.md §1.4: no token is not an error on a public method", core.ReasonSessionTokenMissing)
			e.expectSignedOut(e.call(svcStream+"Public", nil), "behaviour.md §1.4: no token is not an error on a public stream", core.ReasonSessionTokenMissing)
		}},
	}
}

// verifyCases run the HTTP suite's verification table (tokencases,
// behaviour.md §2 and §3) on a guarded unary method, a guarded stream and a
// public method.
func verifyCases() []tcase {
	var cases []tcase
	for _, row := range tokencases.VerifyCases() {
		cases = append(cases, tcase{Name: row.Name, Run: func(t *testing.T, s *suite) {
			cfg := envConfig{}
			if row.Env != nil {
				env := row.Env(s.fx, t)
				cfg.base, cfg.opts = env.Base, env.Opts
			}
			e := s.newEnv(t, cfg)
			tok := row.Token(s.fx)
			before := s.fx.Issuer.BackendCalls()
			for _, p := range []string{svcProbe + "Auth", svcStream + "Auth"} {
				if row.Reason == "" {
					e.expectSignedIn(e.call(p, bearer(tok)), row.Rule, tokencases.Subject(tok))
				} else {
					e.expectRejected(e.call(p, bearer(tok)), row.Rule, row.Reason, core.RequireAuth())
				}
			}
			if row.Reason != "" {
				e.expectSignedOut(e.call(svcProbe+"Public", bearer(tok)), row.Rule+" (behaviour.md §7.1: a public method is never refused)", row.Reason)
			}
			if row.Reason == core.ReasonTokenTypeMismatch && s.fx.Issuer.BackendCalls() != before {
				t.Errorf("behaviour.md §6.3: a token of a type that is not accepted was sent to the Backend API")
			}
		}})
	}
	return cases
}

// availabilityCases cover behaviour.md §2.5 and §6.4: outages are
// Unavailable, never Unauthenticated.
func availabilityCases() []tcase {
	return []tcase{
		{Name: "JWKSDown", Run: func(t *testing.T, s *suite) {
			down := tokencases.Twin(t, s.fx.Issuer, s.fx.Clock.Now)
			down.SetJWKSDown(true)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.fx.Issuer.IssuerURL())}})
			tok := s.fx.User(tokencases.DefaultUser)
			for _, p := range []string{svcProbe + "Auth", svcStream + "Auth", svcProbe + "Permission"} {
				e.expectRejected(e.call(p, bearer(tok)), "behaviour.md §2.5: no keys at all is Unavailable jwk-remote-failed-to-load, never Unauthenticated", core.ReasonJWKRemoteFailedToLoad, core.RequireAuth())
			}
			e.expectSignedOut(e.call(svcProbe+"Public", bearer(tok)), "behaviour.md §7.1: a public method is served while keys are down", core.ReasonJWKRemoteFailedToLoad)
		}},
		{Name: "BackendAPIDown", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: machineOpts(s)})
			s.fx.Issuer.SetBackendStatus(500)
			t.Cleanup(func() { s.fx.Issuer.SetBackendStatus(0) })
			tok := s.fx.Issuer.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_down"})
			e.expectRejected(e.call(svcProbe+"M2M", bearer(tok)), "behaviour.md §6.4: a Backend API failure is Unavailable unexpected-error", core.ReasonUnexpectedError, guardM2M)
		}},
		{Name: "SecretKeyRejected", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: machineOpts(s)})
			s.fx.Issuer.SetBackendStatus(401)
			t.Cleanup(func() { s.fx.Issuer.SetBackendStatus(0) })
			tok := s.fx.Issuer.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_key"})
			e.expectRejected(e.call(svcStream+"M2M", bearer(tok)), "behaviour.md §6.4: the Backend API refusing the secret key is Unavailable secret-key-invalid", core.ReasonSecretKeyInvalid, guardM2M)
		}},
	}
}

// claimsCases run the HTTP suite's grant table (tokencases, behaviour.md §4
// and §5): every argument on its own method, alternately unary and streaming.
func claimsCases() []tcase {
	var cases []tcase
	for _, g := range tokencases.GrantCases() {
		cases = append(cases, tcase{Name: g.Name, Run: func(t *testing.T, s *suite) {
			procs := []Procedure{unary(svcProbe + "Auth")}
			var rules []Rule
			args := append(append([]string{}, g.Allow...), g.Deny...)
			for i, a := range args {
				p := Procedure{Name: fmt.Sprintf("/conformance.rpc.v1.Grant/G%d", i), Streaming: i%2 == 1}
				procs = append(procs, p)
				rules = append(rules, Rule{Pattern: p.Name, Guard: g.Kind.Guard(a)})
			}
			e := s.newEnv(t, envConfig{procs: procs, rules: rules})
			tok := g.Token(s.fx)
			user := tokencases.Subject(tok)
			e.expectSignedIn(e.call(svcProbe+"Auth", bearer(tok)), g.Rule+" (the token itself is valid)", user)
			for i, a := range args {
				r := e.call(procs[i+1].Name, bearer(tok))
				if i < len(g.Allow) {
					e.expectSignedIn(r, fmt.Sprintf("%s: %q must be granted", g.Rule, a), user)
				} else {
					e.expectRejected(r, fmt.Sprintf("%s: %q must be refused", g.Rule, a), g.Kind.Reason(), g.Kind.Guard(a))
				}
			}
		}})
	}
	return cases
}

// machineOpts make an Authorizer accept every token type and verify opaque
// ones against the fixture issuer's fake Backend API (behaviour.md §6.4).
func machineOpts(s *suite) []core.Option {
	return []core.Option{core.AcceptAnyToken(), core.WithAPIURL(s.fx.Issuer.APIURL()), core.WithSecretKey(s.fx.Issuer.SecretKey())}
}

// machineCases cover behaviour.md §6 per method: which token types each
// method accepts.
func machineCases() []tcase {
	return []tcase{
		{Name: "DefaultRefusesMachineTokensUnverified", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			before := s.fx.Issuer.BackendCalls()
			for kind, tok := range s.fx.MachineTokens() {
				for _, p := range []string{svcProbe + "Auth", svcStream + "M2M"} {
					g := core.RequireAuth()
					if p == svcStream+"M2M" {
						g = guardM2M
					}
					e.expectRejected(e.call(p, bearer(tok)), "behaviour.md §6.3: "+kind+" on an Authorizer accepting session tokens only", core.ReasonTokenTypeMismatch, g)
				}
			}
			if n := s.fx.Issuer.BackendCalls() - before; n != 0 {
				t.Errorf("behaviour.md §6.3: refused tokens must not be verified; the Backend API got %d calls", n)
			}
		}},
		{Name: "AcceptancePerMethod", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: machineOpts(s)})
			toks := s.fx.MachineTokens()
			session := s.fx.Mint(tokencases.SignedInEverything())
			for _, svc := range []string{svcProbe, svcStream} {
				for _, kind := range []string{"M2MJWT", "M2MOpaque"} {
					e.expectSignedIn(e.call(svc+"M2M", bearer(toks[kind])), "behaviour.md §6.4: AcceptsToken(M2M) accepts "+kind, "mch_conformance")
				}
				for _, kind := range []string{"OAuthJWT", "OAuthOpaque", "APIKey"} {
					e.expectRejected(e.call(svc+"M2M", bearer(toks[kind])), "behaviour.md §6.3: AcceptsToken(M2M) refuses "+kind, core.ReasonTokenTypeMismatch, guardM2M)
				}
				e.expectRejected(e.call(svc+"M2M", bearer(session)), "behaviour.md §6.3: a machine method refuses session tokens", core.ReasonTokenTypeMismatch, guardM2M)
				for kind, tok := range toks {
					for _, g := range guarded[:6] { // the session guards
						e.expectRejected(e.call(svc+g.method, bearer(tok)), "behaviour.md §6.3: a session method refuses "+kind, core.ReasonTokenTypeMismatch, g.guard)
					}
					e.expectSignedIn(e.call(svc+"Scope", bearer(tok)), "behaviour.md §6.4: RequireScope accepts "+kind+" with the scope", tokencases.Subject(tok)+subjectOfOpaque(kind))
				}
				e.expectSignedIn(e.call(svc+"Auth", bearer(session)), "behaviour.md §6.1: session tokens still pass", tokencases.DefaultUser)
			}
		}},
		{Name: "RequireScopeMissing", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: machineOpts(s)})
			tok := s.fx.Issuer.MintM2M(clerktest.Machine{Subject: "mch_unscoped", Scopes: []string{"other:scope"}})
			e.expectRejected(e.call(svcProbe+"Scope", bearer(tok)), "behaviour.md §7.2: RequireScope refuses a machine token without the scope", core.ReasonMissingScope, guardScope)
			e.expectRejected(e.call(svcStream+"Scope", bearer(s.fx.User("user_plain"))), "behaviour.md §6.3: RequireScope serves machine tokens only", core.ReasonTokenTypeMismatch, guardScope)
		}},
	}
}

// subjectOfOpaque is the subject the fixture's Backend API answers for the
// opaque machine tokens of MachineTokens (JWTs carry theirs in sub).
func subjectOfOpaque(kind string) string {
	return map[string]string{"M2MOpaque": "mch_conformance", "OAuthOpaque": tokencases.DefaultUser, "APIKey": "org_conformance"}[kind]
}

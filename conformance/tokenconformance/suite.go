package tokenconformance

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/conformance/internal/runner"
	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Verifier is the thing under test: it verifies a bearer token and returns
// its claims, or an error whose core.ReasonOf is the behaviour.md §8 reason it
// is refused with.
type Verifier func(ctx context.Context, token string) (*core.Claims, error)

// Harness tells the suite how to build the verifier under test.
type Harness struct {
	// Name identifies the integration in failure messages.
	Name string
	// New returns the verifier under test, built on a and letting through
	// exactly the token types of accept (session tokens, as core.RequireAuth
	// does, when accept is {core.SessionToken}). It is called once per
	// subtest.
	New func(t *testing.T, a *core.Authorizer, accept []core.TokenType) Verifier
	// Unsupported lists case names ("Verify/Expired") the integration
	// deliberately does not support; they are skipped with the reason.
	Unsupported map[string]string
}

// Run runs the suite against h.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.New == nil {
		t.Fatal("tokenconformance: Harness.New is nil")
	}
	key, other, err := tokencases.SharedKeys()
	if err != nil {
		t.Fatalf("tokenconformance: generating RSA keys: %v", err)
	}
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now), clerktest.WithKey(tokencases.KID, key))
	s := &suite{h: h, fx: &tokencases.Fixture{Issuer: iss, Foreign: other, Clock: clock}}
	runner.Run(t, h.Name, h.Unsupported, groups(), s)
}

// CaseNames lists the names of every case Run runs, as "Group/Case".
func CaseNames() []string { return runner.Names(groups()) }

type (
	group = runner.Group[*suite]
	tcase = runner.Case[*suite]
)

type suite struct {
	h  Harness
	fx *tokencases.Fixture
}

func groups() []group {
	return []group{
		{Name: "Verify", Cases: verifyCases()},
		{Name: "Machine", Cases: machineCases()},
		{Name: "Availability", Cases: availabilityCases()},
	}
}

// env is one verifier under test with the log of its Authorizer.
type env struct {
	t      *testing.T
	s      *suite
	verify Verifier
	logs   *tokencases.SyncBuffer
}

func (s *suite) newEnv(t *testing.T, e tokencases.Env, accept ...core.TokenType) *env {
	t.Helper()
	logs := &tokencases.SyncBuffer{}
	base := e.Base
	if base == nil {
		base = []core.Option{core.WithJWKSURL(s.fx.Issuer.JWKSURL()), core.WithIssuer(s.fx.Issuer.IssuerURL())}
	}
	opts := append(append([]core.Option{}, base...), core.WithClock(s.fx.Clock.Now), core.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	a, err := core.New(append(opts, e.Opts...)...)
	if err != nil {
		t.Fatalf("tokenconformance: core.New: %v", err)
	}
	v := s.h.New(t, a, accept)
	if v == nil {
		t.Fatalf("tokenconformance: harness %q: New returned a nil Verifier", s.h.Name)
	}
	return &env{t: t, s: s, verify: v, logs: logs}
}

// expect verifies tok and checks the decision: signed in as sub when reason
// is "", refused with reason otherwise; and that tok never reached the log.
func (e *env) expect(tok, rule string, reason core.Reason, sub string) {
	e.t.Helper()
	c, err := e.verify(e.t.Context(), tok)
	switch {
	case reason == "" && err != nil:
		e.t.Errorf("%s: %s must accept this token (signed in as %q), got refused with %q (%v)", e.s.h.Name, rule, sub, core.ReasonOf(err), err)
	case reason == "" && (c == nil || c.Subject != sub):
		e.t.Errorf("%s: %s must accept this token signed in as %q, got claims %+v", e.s.h.Name, rule, sub, c)
	case reason != "" && err == nil:
		e.t.Errorf("%s: %s must refuse this token with %q, got it accepted (subject %q)", e.s.h.Name, rule, reason, subjectOf(c))
	case reason != "" && core.ReasonOf(err) != reason:
		e.t.Errorf("%s: %s must refuse this token with %q, got %q (%v)", e.s.h.Name, rule, reason, core.ReasonOf(err), err)
	case reason != "" && c != nil:
		e.t.Errorf("%s: %s: a refused token must come with no claims", e.s.h.Name, rule)
	}
	if len(tok) >= 16 && strings.Contains(e.logs.String(), tok) {
		e.t.Errorf("%s: behaviour.md §7.3: the token appeared in a log line", e.s.h.Name)
	}
}

func subjectOf(c *core.Claims) string {
	if c == nil {
		return ""
	}
	return c.Subject
}

// verifyCases run the verification table (behaviour.md §2, §3) with session
// tokens accepted, as core.RequireAuth accepts them.
func verifyCases() []tcase {
	var cases []tcase
	for _, row := range tokencases.VerifyCases() {
		cases = append(cases, tcase{Name: row.Name, Run: func(t *testing.T, s *suite) {
			var e tokencases.Env
			if row.Env != nil {
				e = row.Env(s.fx, t)
			}
			env := s.newEnv(t, e, core.SessionToken)
			tok := row.Token(s.fx)
			before := s.fx.Issuer.BackendCalls()
			env.expect(tok, row.Rule, row.Reason, tokencases.Subject(tok))
			if row.Reason == core.ReasonTokenTypeMismatch && s.fx.Issuer.BackendCalls() != before {
				t.Errorf("%s: behaviour.md §6.3: a token of a type that is not accepted was sent to the Backend API", s.h.Name)
			}
		}})
	}
	return cases
}

func machineOpts(s *suite) tokencases.Env {
	return tokencases.Env{Opts: []core.Option{core.AcceptAnyToken(), core.WithAPIURL(s.fx.Issuer.APIURL()), core.WithSecretKey(s.fx.Issuer.SecretKey())}}
}

// machineCases cover behaviour.md §6: each machine kind is accepted exactly
// when the verifier lets its type through, refused unverified otherwise.
func machineCases() []tcase {
	subjects := map[string]string{"M2MJWT": "mch_conformance", "M2MOpaque": "mch_conformance",
		"OAuthJWT": tokencases.DefaultUser, "OAuthOpaque": tokencases.DefaultUser, "APIKey": "org_conformance"}
	types := map[string]core.TokenType{"M2MJWT": core.M2MToken, "M2MOpaque": core.M2MToken,
		"OAuthJWT": core.OAuthToken, "OAuthOpaque": core.OAuthToken, "APIKey": core.APIKey}
	kinds := []string{"M2MJWT", "M2MOpaque", "OAuthJWT", "OAuthOpaque", "APIKey"}
	accepts := []struct {
		name  string
		types []core.TokenType
	}{
		{"OAuthOnly", []core.TokenType{core.OAuthToken}},
		{"SessionOnly", []core.TokenType{core.SessionToken}},
		{"Every", []core.TokenType{core.SessionToken, core.M2MToken, core.OAuthToken, core.APIKey}},
	}
	var cases []tcase
	for _, acc := range accepts {
		cases = append(cases, tcase{Name: acc.name, Run: func(t *testing.T, s *suite) {
			env := s.newEnv(t, machineOpts(s), acc.types...)
			toks := s.fx.MachineTokens()
			for _, k := range kinds {
				rule := fmt.Sprintf("behaviour.md §6.1-6.4: a %s token when %v are accepted", k, acc.types)
				before := s.fx.Issuer.BackendCalls()
				if slices.Contains(acc.types, types[k]) {
					env.expect(toks[k], rule, "", subjects[k])
					continue
				}
				env.expect(toks[k], rule, core.ReasonTokenTypeMismatch, "")
				if s.fx.Issuer.BackendCalls() != before {
					t.Errorf("%s: behaviour.md §6.3: a %s token, whose type is not accepted, was sent to the Backend API", s.h.Name, k)
				}
			}
			sess := s.fx.User(tokencases.DefaultUser)
			if slices.Contains(acc.types, core.SessionToken) {
				env.expect(sess, "behaviour.md §6.1: a session token when session tokens are accepted", "", tokencases.DefaultUser)
			} else {
				env.expect(sess, "behaviour.md §6.3: a session token when session tokens are not accepted", core.ReasonTokenTypeMismatch, "")
			}
		}})
	}
	cases = append(cases,
		tcase{Name: "OAuthScopes", Run: func(t *testing.T, s *suite) {
			env := s.newEnv(t, machineOpts(s), core.OAuthToken)
			for _, k := range []string{"OAuthJWT", "OAuthOpaque"} {
				c, err := env.verify(t.Context(), s.fx.MachineTokens()[k])
				if err != nil || !slices.Contains(c.Scopes, tokencases.GrantScope) {
					t.Errorf("%s: behaviour.md §6.4: a %s token's claims must carry its scopes (%q), got %v, %v", s.h.Name, k, tokencases.GrantScope, c, err)
				}
			}
		}},
		tcase{Name: "RevokedOpaque", Run: func(t *testing.T, s *suite) {
			env := s.newEnv(t, machineOpts(s), core.OAuthToken)
			tok := s.fx.Issuer.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: tokencases.DefaultUser, Revoked: true})
			env.expect(tok, "behaviour.md §6.4: a revoked opaque OAuth token", core.ReasonTokenInvalid, "")
		}},
		tcase{Name: "ExpiredOAuthJWT", Run: func(t *testing.T, s *suite) {
			env := s.newEnv(t, machineOpts(s), core.OAuthToken)
			tok := s.fx.Issuer.MintOAuth(clerktest.Machine{Subject: tokencases.DefaultUser, IssuedAt: s.fx.Now().Add(-2 * time.Hour), TTL: time.Hour})
			env.expect(tok, "behaviour.md §3.9, §6.4: an expired OAuth JWT", core.ReasonTokenExpired, "")
		}},
		tcase{Name: "MalformedOpaque", Run: func(t *testing.T, s *suite) {
			env := s.newEnv(t, machineOpts(s), core.OAuthToken)
			before := s.fx.Issuer.BackendCalls()
			env.expect("oat_"+strings.Repeat("x", 300), "behaviour.md §6.5: a malformed opaque token", core.ReasonTokenInvalid, "")
			if s.fx.Issuer.BackendCalls() != before {
				t.Errorf("%s: behaviour.md §6.5: a malformed opaque token was sent to the Backend API", s.h.Name)
			}
		}},
	)
	return cases
}

// availabilityCases cover behaviour.md §2.5 and §6.4: outages are the 503
// reasons, never a 401 that would sign a client out.
func availabilityCases() []tcase {
	return []tcase{
		{Name: "JWKSDown", Run: func(t *testing.T, s *suite) {
			down := tokencases.Twin(t, s.fx.Issuer, s.fx.Clock.Now)
			down.SetJWKSDown(true)
			env := s.newEnv(t, tokencases.Env{Base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.fx.Issuer.IssuerURL())}}, core.SessionToken)
			env.expect(s.fx.User(tokencases.DefaultUser), "behaviour.md §2.5: no keys at all", core.ReasonJWKRemoteFailedToLoad, "")
		}},
		{Name: "BackendAPIDown", Run: func(t *testing.T, s *suite) {
			env := s.newEnv(t, machineOpts(s), core.OAuthToken)
			tok := s.fx.Issuer.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: tokencases.DefaultUser})
			s.fx.Issuer.SetBackendStatus(500)
			t.Cleanup(func() { s.fx.Issuer.SetBackendStatus(0) })
			env.expect(tok, "behaviour.md §6.4: a Backend API failure", core.ReasonUnexpectedError, "")
		}},
	}
}

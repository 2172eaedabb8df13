package conformance

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// TokenCase is one token of the suite's tables with the Authorizer options
// the suite verifies it under, for tests of code that sees what an
// Authorizer does without being an adapter: observers (core.WithEvents),
// loggers, metrics. Such a test builds core.New(tc.Options...) plus its own
// options, authenticates tc.Token, and checks that nothing it recorded holds
// the token or a secret of TokenFixture.Secrets.
type TokenCase struct {
	// Name is the case name ("Verify/AlgNone", "Machine/APIKey").
	Name string
	// Rule is the rule of docs/behaviour.md the token exercises.
	Rule string
	// Token is the token, to send as a bearer token.
	Token string
	// Reason is the reason it is signed out with, "" when it is accepted.
	Reason core.Reason
	// Options are the Authorizer options: keys, issuer, the fake Backend
	// API, the fixed clock, and the case's own.
	Options []core.Option
}

// TokenFixture is the issuer the TokenCases are minted by and the secrets
// nothing may ever reveal.
type TokenFixture struct {
	// Issuer serves the JWKS and the fake Backend API.
	Issuer *clerktest.Issuer
	// Secrets are the Backend API secret key and the issuer's private key
	// in PEM form: no log line, metric or span may contain one.
	Secrets []string
	// Cases are the tokens: the verification table (behaviour.md §2, §3) and
	// one token of every machine kind (behaviour.md §6), accepted.
	Cases []TokenCase
}

// TokenCases returns the suite's token tables, minted by an issuer that
// lives until t ends.
func TokenCases(t testing.TB) *TokenFixture {
	t.Helper()
	key, other, err := sharedKeys()
	if err != nil {
		t.Fatalf("conformance: generating RSA keys: %v", err)
	}
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now), clerktest.WithKey(suiteKID, key))
	fx := &tokencases.Fixture{Issuer: iss, Foreign: other, Clock: clock}
	pemKey, err := privateKeyPEM(key)
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	out := &TokenFixture{Issuer: iss, Secrets: []string{iss.SecretKey(), pemKey}}
	defaults := func() []core.Option {
		return append([]core.Option{core.WithJWKSURL(iss.JWKSURL()), core.WithIssuer(iss.IssuerURL())},
			iss.BackendAPIOptions()...)
	}
	for _, row := range tokencases.VerifyCases() {
		opts := defaults()
		if row.Env != nil {
			env := row.Env(fx, t)
			if env.Base != nil {
				opts = append(append([]core.Option{}, env.Base...), iss.BackendAPIOptions()...)
			}
			opts = append(opts, env.Opts...)
		}
		opts = append(opts, core.WithClock(clock.Now))
		out.Cases = append(out.Cases, TokenCase{Name: "Verify/" + row.Name, Rule: row.Rule, Token: row.Token(fx),
			Reason: row.Reason, Options: opts})
	}
	for name, tok := range fx.MachineTokens() {
		out.Cases = append(out.Cases, TokenCase{Name: "Machine/" + name, Rule: "behaviour.md §6", Token: tok,
			Options: append(defaults(), core.AcceptAnyToken(), core.WithClock(clock.Now))})
	}
	return out
}

func privateKeyPEM(k *rsa.PrivateKey) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

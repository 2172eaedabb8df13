package core_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §3.8: with no issuer configured (WithIssuer, or one derived
// from WithPublishableKey), New logs exactly one warning that iss is not
// checked; a configured issuer logs none, and neither does clerktest's
// option set, so user tests run without warnings.
func TestNoIssuerWarningAtConstruction(t *testing.T) {
	iss := clerktest.Start(t)
	parties := core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty)
	cases := []struct {
		name  string
		opts  []core.Option
		warns int
	}{
		{"NoIssuer", []core.Option{parties}, 1},
		{"WithIssuer", []core.Option{parties, core.WithIssuer(iss.IssuerURL())}, 0},
		{"WithPublishableKey", []core.Option{parties, core.WithPublishableKey(iss.PublishableKey())}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newRuleEnv(t)
			e.authorizer(t, tc.opts...)
			if n := strings.Count(e.logs.String(), "iss claim of tokens is not checked"); n != tc.warns {
				t.Fatalf("New must warn exactly once when no issuer is checked, and never otherwise (behaviour.md §3.8): %d warnings, want %d:\n%s",
					n, tc.warns, e.logs.String())
			}
		})
	}
	t.Run("ClerktestOptionSetsAreSilent", func(t *testing.T) {
		for name, opts := range map[string][]core.Option{
			"AuthorizerOptions": iss.AuthorizerOptions(),
			"AnyTokenOptions":   iss.AnyTokenOptions(),
		} {
			e := newRuleEnv(t)
			if _, err := core.New(append(opts, core.WithLogger(slog.New(slog.NewTextHandler(e.logs, nil))))...); err != nil {
				t.Fatal(err)
			}
			if got := e.logs.String(); got != "" {
				t.Fatalf("clerktest's %s must configure everything New warns about (issuer, authorized parties); New logged:\n%s", name, got)
			}
		}
	})
}

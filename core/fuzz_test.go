package core_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

var knownReasons = map[core.Reason]bool{}

func init() {
	for _, r := range allReasons {
		knownReasons[r] = true
	}
}

// FuzzVerifyToken: any token string gives claims or a *core.Error with a
// behaviour.md §8 reason, never a panic, and never echoes the token in the error.
func FuzzVerifyToken(f *testing.F) {
	e := newRuleEnv(f)
	a := e.authorizer(f, core.WithTokenCache(0))
	f.Add(e.iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:a:b"}}))
	f.Add(e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("none")))
	f.Add(e.iss.Mint(clerktest.Session{Claims: map[string]any{"exp": "x"}}))
	f.Add("a.b.c")
	f.Add("mt_abc")
	f.Add("eyJhbGciOiJSUzI1NiJ9.e30.")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := a.VerifyToken(t.Context(), token)
		if err == nil {
			if c == nil || c.Subject == "" {
				t.Fatal("nil error without claims")
			}
			return
		}
		var ce *core.Error
		if !errors.As(err, &ce) || !knownReasons[ce.Reason] {
			t.Fatalf("error %v is not a *core.Error with a behaviour.md §8 reason", err)
		}
		if len(token) > 24 && strings.Contains(err.Error(), token) {
			t.Fatal("the token appears in the error text")
		}
	})
}

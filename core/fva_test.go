package core_test

import (
	"encoding/json"
	"testing"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §4.1 through VerifyToken: a malformed fva verifies (it is
// only treated as absent), and Claims.FactorVerificationAge is then nil.
func TestFVAMalformedIsAbsent(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	cases := []struct {
		fva  string
		want *[2]int
	}{
		{`[-1,-1]`, &[2]int{-1, -1}},
		{`[0,0]`, &[2]int{0, 0}},
		{`[-2,0]`, nil},
		{`[-5,-5]`, nil},
		{`[1.5,2]`, nil},
		{`["1",2]`, nil},
		{`[]`, nil},
		{`[5]`, nil},
		{`[5,10,15]`, nil},
		{`null`, nil},
		{`"5"`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.fva, func(t *testing.T) {
			tok := e.iss.Mint(clerktest.Session{Claims: map[string]any{"fva": json.RawMessage(tc.fva)}})
			c, err := a.VerifyToken(t.Context(), tok)
			if err != nil {
				t.Fatalf("a token whose fva is %s must verify (a malformed fva is treated as absent, behaviour.md §4.1): %v", tc.fva, err)
			}
			got := c.FactorVerificationAge
			if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
				t.Fatalf("fva %s must give FactorVerificationAge %v (exactly two integers >= -1, else nil; behaviour.md §4.1), got %v", tc.fva, tc.want, got)
			}
		})
	}
}

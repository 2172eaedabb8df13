package core_test

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// FuzzHasReverification checks properties of behaviour.md §5.6 over any ages
// and requirement, without restating the rules: it never passes with
// nothing enrolled, ages below -1 or an invalid requirement; a longer window
// never turns a pass into a failure; multi_factor passing implies
// second_factor passing; and first_factor never passes without a first
// factor enrolled.
func FuzzHasReverification(f *testing.F) {
	f.Add(0, 0, 10, uint8(2))
	f.Add(9, -1, 10, uint8(1))
	f.Add(-1, 0, 10, uint8(2))
	f.Add(-1, -1, 1440, uint8(1))
	f.Add(5, 5, 0, uint8(0))
	f.Fuzz(func(t *testing.T, first, second, minutes int, level uint8) {
		levels := []core.ReverificationLevel{core.FirstFactor, core.SecondFactor, core.MultiFactor, "other"}
		lv := levels[int(level)%len(levels)]
		c := &core.Claims{TokenType: core.SessionToken, Subject: "user_f", FactorVerificationAge: &[2]int{first, second}}
		r := core.Reverification{Level: lv, AfterMinutes: minutes}
		got := c.HasReverification(r)
		if got && (!r.Valid() || first < -1 || second < -1 || (first == -1 && second == -1)) {
			t.Fatalf("fva [%d %d] %v passed although it must fail closed", first, second, r)
		}
		if got && minutes < int(^uint(0)>>1) && !c.HasReverification(core.Reverification{Level: lv, AfterMinutes: minutes + 1}) {
			t.Fatalf("fva [%d %d]: %v passes but a longer window fails", first, second, r)
		}
		if lv == core.MultiFactor && got && !c.HasReverification(core.Reverification{Level: core.SecondFactor, AfterMinutes: minutes}) {
			t.Fatalf("fva [%d %d]: multi_factor passes but second_factor fails", first, second)
		}
		if lv == core.FirstFactor && got && first == -1 {
			t.Fatalf("fva [%d %d]: first_factor passed with no first factor", first, second)
		}
		if (&core.Claims{TokenType: core.SessionToken, Subject: "user_f"}).HasReverification(r) {
			t.Fatal("passed without fva")
		}
	})
}

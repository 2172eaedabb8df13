package jwtdecode

import (
	"reflect"
	"testing"
)

// behaviour.md §4.1: fva is exactly two integers, each at least -1; anything
// else is treated as absent. Both payload decoders must say so, and agree.
func TestFVADecodingBothPaths(t *testing.T) {
	cases := []struct {
		name string
		fva  string
		want *[2]int
	}{
		{"NeverVerified", `[-1,-1]`, &[2]int{-1, -1}},
		{"JustVerified", `[0,0]`, &[2]int{0, 0}},
		{"Ordinary", `[3,-1]`, &[2]int{3, -1}},
		{"Spaces", `[ 5 , 10 ]`, &[2]int{5, 10}},
		{"NegativeZero", `[-0,7]`, &[2]int{0, 7}},
		{"Large", `[999999999999999999,1]`, &[2]int{999999999999999999, 1}},
		{"BelowMinusOneFirst", `[-2,0]`, nil},
		{"BelowMinusOneSecond", `[0,-2]`, nil},
		{"BothBelowMinusOne", `[-5,-5]`, nil},
		{"Fraction", `[1.5,2]`, nil},
		{"IntegralFraction", `[1.0,2]`, nil},
		{"Exponent", `[1e1,2]`, nil},
		{"StringElement", `["1",2]`, nil},
		{"BoolElement", `[true,2]`, nil},
		{"NullElement", `[null,2]`, nil},
		{"Empty", `[]`, nil},
		{"One", `[5]`, nil},
		{"Three", `[5,10,15]`, nil},
		{"Null", `null`, nil},
		{"String", `"5,10"`, nil},
		{"Object", `{"0":1,"1":2}`, nil},
		{"Overflow", `[99999999999999999999,1]`, nil},
		{"Nested", `[[1],2]`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := []byte(`{"sub":"user_1","exp":1772600827,"fva":` + tc.fva + `}`)
			var exact Payload
			if err := UnmarshalExact(b, &exact, PayloadSchema); err != nil {
				t.Fatalf("a malformed fva is treated as absent and never fails the token (behaviour.md §4.1); got %v", err)
			}
			if got := exact.Session().FactorVerificationAge; !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fva %s must decode to %v (exactly two integers >= -1, else absent; behaviour.md §4.1), exact decoder gave %v",
					tc.fva, tc.want, got)
			}
			var fast Payload
			if _, _, ok := DecodePayloadFast(b, &fast); ok {
				if got := fast.Session().FactorVerificationAge; !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("fva %s: the fast decoder gave %v, the exact one %v; both must follow behaviour.md §4.1", tc.fva, got, tc.want)
				}
			}
		})
	}
}

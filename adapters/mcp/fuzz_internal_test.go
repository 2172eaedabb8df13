package clerkmcp

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzBearerToken: the header parser never panics, yields a token only for
// "Bearer <one field>", and the token has no white space.
func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer  abc ", "Bearer", "Bearer a b", "Basic abc", "", " Bearer\tx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		tok := bearerToken([]string{h})
		if tok == "" {
			return
		}
		if strings.ContainsFunc(tok, func(r rune) bool { return strings.ContainsRune(" \t\n\r\v\f\u0085\u00a0", r) }) {
			t.Fatalf("token %q carries white space", tok)
		}
		if f := strings.Fields(h); len(f) != 2 || !strings.EqualFold(f[0], "bearer") || f[1] != tok {
			t.Fatalf("%q yielded %q", h, tok)
		}
	})
}

// FuzzAudience: any JSON decodes to a list of strings or an error, never a
// panic, and a string or an array of strings round-trips.
func FuzzAudience(f *testing.F) {
	for _, s := range []string{`"https://a"`, `["a","b"]`, `null`, `7`, `[1]`, `""`, `{"a":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var a audience
		if err := json.Unmarshal([]byte(in), &a); err != nil {
			return
		}
		var s string
		if json.Unmarshal([]byte(in), &s) == nil && s != "" && (len(a) != 1 || a[0] != s) {
			t.Fatalf("%s decoded to %v", in, a)
		}
	})
}

package core

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzDecodeOAuthAudiences checks the decoder of an opaque OAuth token's
// `aud` (behaviour.md §6.8) against encoding/json: it accepts exactly a
// non-empty string or a non-empty array of non-empty strings, and returns
// what the answer holds.
func FuzzDecodeOAuthAudiences(f *testing.F) {
	for _, s := range []string{`{"aud":"a"}`, `{"aud":["a","b"]}`, `{"aud":[]}`, `{"aud":""}`, `{"aud":null}`, `{}`,
		`{"aud":["a",""]}`, `{"aud":42}`, `{"aud":["a",1]}`, `{"aud":{"a":1}}`, `[]`, `{"aud":"a"`, `{"aud":"\u0061"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var got oauthAudiences
		err := decodeOAuthAudiences([]byte(raw), &got)
		var p struct {
			Aud any `json:"aud"`
		}
		if json.Unmarshal([]byte(raw), &p) != nil {
			if err == nil {
				t.Fatalf("%q does not decode as an object, yet aud %q was accepted", raw, got)
			}
			return
		}
		var want []string
		switch v := p.Aud.(type) {
		case string:
			want = []string{v}
		case []any:
			for _, x := range v {
				s, ok := x.(string)
				if !ok {
					want = nil
					break
				}
				want = append(want, s)
			}
			if len(want) != len(v) {
				want = nil
			}
		}
		valid := len(want) > 0 && !slices.Contains(want, "")
		if valid != (err == nil) {
			t.Fatalf("decodeOAuthAudiences(%q) = %q, %v; want valid=%v", raw, got, err, valid)
		}
		if valid && !slices.Equal(got, want) {
			t.Fatalf("decodeOAuthAudiences(%q) = %q, want %q", raw, got, want)
		}
	})
}

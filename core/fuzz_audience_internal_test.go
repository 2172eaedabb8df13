package core

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeAudiences: behaviour.md §3.12 parsing of `aud`. Whatever the
// payload, decoding never panics, and a success means `aud` (exact name) is
// absent or null (no audiences), a string or an array of strings, decoded as
// encoding/json reads it.
func FuzzDecodeAudiences(f *testing.F) {
	f.Add(`{"aud":"https://api.example.com"}`)
	f.Add(`{"aud":["a","b"]}`)
	f.Add(`{"aud":[]}`)
	f.Add(`{"aud":null}`)
	f.Add(`{"AUD":"x","aud":1}`)
	f.Add(`{"aud":"\u0061"}`)
	f.Fuzz(func(t *testing.T, payload string) {
		var got audiences
		if err := decodeAudiences([]byte(payload), &got); err != nil {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(payload), &m); err != nil {
			t.Fatalf("%q decoded although it is not a JSON object", payload)
		}
		raw, ok := m["aud"]
		if !ok || string(raw) == "null" {
			if got != nil {
				t.Fatalf("%q: no aud (or null) decoded audiences %q", payload, got)
			}
			return
		}
		var s string
		var list []string
		if json.Unmarshal(raw, &s) == nil {
			if len(got) != 1 || got[0] != s {
				t.Fatalf("aud %s: got %q, want [%q]", raw, got, s)
			}
		} else if json.Unmarshal(raw, &list) != nil || list == nil || len(list) != len(got) {
			t.Fatalf("aud %s: got %q, not a string or an array of strings", raw, got)
		}
	})
}

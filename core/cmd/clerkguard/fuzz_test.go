package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// FuzzDecodeToken: decoding an untrusted token for display never panics,
// agrees with core on the token type, and renders text and JSON that never
// contain the full token and never put raw control characters on a
// terminal. Seeds are in testdata/fuzz/FuzzDecodeToken and below.
func FuzzDecodeToken(f *testing.F) {
	iss := clerktest.Start(f)
	f.Add(iss.Mint(adminSession()))
	f.Add(iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:a:r"}}))
	f.Add(iss.MintM2M(clerktest.Machine{}))
	f.Add(iss.MintOAuth(clerktest.Machine{}))
	f.Add("mt_0123456789abcdef0123456789abcdef")
	f.Add("a.b")
	now := clerktest.NewClock(time.Time{}).Now()
	f.Fuzz(func(t *testing.T, tok string) {
		d, err := decodeToken(tok)
		if err != nil {
			var me *malformedError
			if d != nil || !errors.As(err, &me) {
				t.Fatalf("decodeToken error = %#v, decoded = %v; want a *malformedError and nil", err, d)
			}
			return
		}
		if d.size != len(tok) {
			t.Errorf("size = %d, want %d", d.size, len(tok))
		}
		if d.opaque && (d.header != nil || d.claims != nil || d.times != nil) {
			t.Errorf("an opaque token has nothing to decode, got header %q claims %q times %v", d.header, d.claims, d.times)
		}
		if tt := core.DetectTokenType(tok); tt != d.tokenType {
			t.Errorf("token type = %s, core.DetectTokenType says %s", d.tokenType, tt)
		}
		if !d.opaque && (!json.Valid(d.header) || !json.Valid(d.claims)) {
			t.Errorf("header or claims are not valid JSON")
		}
		if (d.org == nil) != (d.permissions == nil) {
			t.Errorf("org = %v but permissions = %#v: permissions exist exactly when an org is active", d.org, d.permissions)
		}

		r := &report{tok: tok, d: d, now: now, v: verification{Detail: "not verified: -no-verify"}}
		var text, js bytes.Buffer
		writeText(&text, r)
		if err := writeJSON(&js, r); err != nil {
			t.Fatalf("writeJSON: %v", err)
		}
		if !json.Valid(js.Bytes()) {
			t.Fatalf("-json output is not JSON:\n%s", js.Bytes())
		}
		if !strings.HasPrefix(text.String(), "Token       "+clean(redact(tok))+" ") {
			t.Errorf("text output does not start with the redacted token:\n%s", text.String())
		}
		// A token as readToken passes it on (no whitespace) and of a real
		// token's length never appears in full: shorter ones can be words
		// of the fixed text ("m2m_token").
		if len(tok) >= 24 && !strings.ContainsAny(tok, " \t\r\n") {
			for name, out := range map[string]string{"text": text.String(), "json": js.String()} {
				if strings.Contains(out, tok) {
					t.Errorf("the full token appears in the %s output:\n%s", name, out)
				}
			}
		}
		for name, out := range map[string][]byte{"text": text.Bytes(), "json": js.Bytes()} {
			if i := unsafeForTerminal(out); i >= 0 {
				t.Errorf("%s output has a raw control or invalid byte at %d: %q", name, i, out[max(0, i-20):min(len(out), i+20)])
			}
		}
	})
}

// unsafeForTerminal returns the index of the first byte of b that is not
// printable text or a newline (a control character, a format character or
// invalid UTF-8), or -1.
func unsafeForTerminal(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || (r != '\n' && !unicode.IsPrint(r)) {
			return i
		}
		i += size
	}
	return -1
}

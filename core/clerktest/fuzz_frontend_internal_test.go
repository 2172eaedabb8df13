package clerktest

import (
	"strings"
	"testing"
)

// FuzzSessionIDOf: the refresh endpoint's parser of the (untrusted) expired
// token never panics, and accepts only a token this Issuer signed, whose sid
// it returns.
func FuzzSessionIDOf(f *testing.F) {
	iss, err := NewIssuer()
	if err != nil {
		f.Fatal(err)
	}
	defer iss.Close()
	valid := iss.Mint(Session{SessionID: "sess_fuzz"})
	f.Add(valid)
	f.Add(valid[:len(valid)-2])
	f.Add("a.b.c")
	f.Add("..")
	f.Add(strings.Repeat("A", maxTokenLen+1))
	f.Fuzz(func(t *testing.T, token string) {
		sid, err := iss.sessionIDOf(token)
		if err != nil {
			if sid != "" {
				t.Fatalf("error %v with sid %q", err, sid)
			}
			return
		}
		if len(token) > maxTokenLen || strings.Count(token, ".") != 2 || sid == "" {
			t.Fatalf("accepted %q (sid %q)", token, sid)
		}
		// Only the Issuer's own signing input is accepted: the header and
		// payload segments must be those of a minted token.
		if token != valid && !strings.HasPrefix(token, valid[:strings.LastIndex(valid, ".")]) {
			t.Fatalf("accepted a token the Issuer never signed: %q", token)
		}
	})
}

// FuzzRefreshSessionID: the refresh path parser returns exactly the segment
// between /v1/sessions/ and /refresh, bounded and without a slash.
func FuzzRefreshSessionID(f *testing.F) {
	for _, p := range []string{"/v1/sessions/sess_1/refresh", "/v1/sessions//refresh", "/v1/sessions/a/b/refresh", "/v1/sessions/refresh", "/v1/jwks"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		sid, ok := refreshSessionID(p)
		if !ok {
			return
		}
		if sid == "" || len(sid) > maxSessionIDLen || strings.Contains(sid, "/") || "/v1/sessions/"+sid+"/refresh" != p {
			t.Fatalf("%q parsed as %q", p, sid)
		}
	})
}

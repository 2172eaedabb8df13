package jwtdecode

import (
	"encoding/base64"
	"errors"
	"testing"
)

var enc = base64.RawURLEncoding.EncodeToString

// compact joins a header and payload JSON and a signature into a token.
func compact(header, payload string, sig []byte) string {
	return enc([]byte(header)) + "." + enc([]byte(payload)) + "." + enc(sig)
}

// behaviour.md §3.1: Split refuses what is not three base64url segments with
// JSON object header and payload, each with its own description, and never
// with any part of the input in it.
func TestSplitMalformed(t *testing.T) {
	const hdr, pay = `{"alg":"RS256","kid":"ins_1"}`, `{"sub":"user_1","exp":1}`
	for _, tc := range []struct {
		name, token, detail string
	}{
		{"Empty", "", "token does not have three parts"},
		{"TwoParts", enc([]byte(hdr)) + "." + enc([]byte(pay)), "token does not have three parts"},
		{"FourParts", compact(hdr, pay, []byte("s")) + ".x", "token does not have three parts"},
		{"PayloadNotBase64", enc([]byte(hdr)) + ".e30=.c2ln", "payload is not base64url JSON"},
		{"PayloadNotObject", compact(hdr, `[1]`, []byte("s")), "payload is not base64url JSON"},
		{"PayloadNotJSON", compact(hdr, `{"sub":}`, []byte("s")), "payload is not valid JSON"},
		{"SignatureNotBase64", enc([]byte(hdr)) + "." + enc([]byte(pay)) + ".c2ln=", "signature is not base64url"},
		{"HeaderNotBase64", "e30=." + enc([]byte(pay)) + ".c2ln", "header is not base64url JSON"},
		{"HeaderNotObject", compact(`"x"`, pay, []byte("s")), "header is not base64url JSON"},
		{"HeaderNotJSON", compact(`{"alg":}`, pay, []byte("s")), "header does not decode"},
		{"HeaderKidNumber", compact(`{"alg":"RS256","kid":1}`, pay, []byte("s")), "header typ, cat or kid is not a string"},
		{"HeaderTypNumber", compact(`{"alg":"RS256","typ":1}`, pay, []byte("s")), "header typ, cat or kid is not a string"},
		{"HeaderCatObject", compact(`{"alg":"RS256","cat":{}}`, pay, []byte("s")), "header typ, cat or kid is not a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var j Parts
			err := j.Split(tc.token, nil)
			var me *MalformedError
			if !errors.As(err, &me) || me.Detail != tc.detail {
				t.Fatalf("Split(%q) = %v, want a *MalformedError %q (behaviour.md §3.1)", tc.token, err, tc.detail)
			}
		})
	}
}

// A well-formed token splits into its segments, header, payload and sub; a
// claim of the wrong type is kept for after the signature (behaviour.md
// §3.5, 3.6), not refused as malformed.
func TestSplitWellFormed(t *testing.T) {
	sig := []byte{1, 2, 3}
	for _, tc := range []struct {
		name, header, payload string
		sub                   string
		subOK, decodeErr      bool
		typ                   string
	}{
		{"Session", `{"alg":"RS256","kid":"ins_1","typ":"JWT","cat":"cl_B7d4PD111AAA"}`, `{"sub":"user_1","exp":1}`, "user_1", true, false, SessionToken},
		{"M2MBySub", `{"alg":"RS256","kid":"ins_1"}`, `{"sub":"mch_1","exp":1}`, "mch_1", true, false, M2MToken},
		{"M2MByCat", `{"alg":"RS256","cat":"cl_B7d4PD333AAA"}`, `{"sub":"user_1"}`, "user_1", true, false, M2MToken},
		{"OAuth", `{"alg":"RS256","typ":"at+jwt"}`, `{"sub":"user_1"}`, "user_1", true, false, OAuthToken},
		{"WrongTypedClaim", `{"alg":"RS256"}`, `{"sub":"user_1","exp":"soon"}`, "user_1", true, true, SessionToken},
		{"SubNotString", `{"alg":"RS256"}`, `{"sub":7,"exp":1}`, "", false, false, SessionToken},
		{"SlowPathFoldedName", `{"alg":"RS256"}`, `{"sub":"user_1","SUB":"mch_1","exp":1}`, "user_1", true, false, SessionToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := compact(tc.header, tc.payload, sig)
			var j Parts
			if err := j.Split(tok, nil); err != nil {
				t.Fatalf("Split: %v", err)
			}
			if j.H64 != enc([]byte(tc.header)) || j.P64 != enc([]byte(tc.payload)) || string(j.Sig) != string(sig) || string(j.PayJSON) != tc.payload {
				t.Fatalf("segments %q %q %v %q", j.H64, j.P64, j.Sig, j.PayJSON)
			}
			if j.Sub != tc.sub || j.SubOK != tc.subOK || (j.DecodeErr != nil) != tc.decodeErr || j.Type() != tc.typ {
				t.Fatalf("sub %q %v, decode error %v, type %q; want %q %v %v %q", j.Sub, j.SubOK, j.DecodeErr, j.Type(), tc.sub, tc.subOK, tc.decodeErr, tc.typ)
			}
		})
	}
}

// One forged request without three parts costs no allocation to refuse.
func TestSplitRefusesStructureWithoutAllocating(t *testing.T) {
	tok := "not-a-token"
	if n := testing.AllocsPerRun(100, func() {
		var j Parts
		_ = j.Split(tok, nil)
	}); n != 0 {
		t.Fatalf("refusing %q allocates %.0f times", tok, n)
	}
}

// UnverifiedIssuer reads iss even when another claim has the wrong type
// (behaviour.md §12.4 routes and refuses by it before any key is fetched).
func TestUnverifiedIssuer(t *testing.T) {
	for _, tc := range []struct{ name, payload, want string }{
		{"Decoded", `{"sub":"user_1","iss":"https://a.example"}`, "https://a.example"},
		{"OtherClaimWrongType", `{"sub":"user_1","exp":"x","iss":"https://a.example"}`, "https://a.example"},
		{"IssNotString", `{"sub":"user_1","exp":"x","iss":7}`, ""},
		{"Absent", `{"sub":"user_1"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var j Parts
			if err := j.Split(compact(`{"alg":"RS256"}`, tc.payload, []byte("s")), nil); err != nil {
				t.Fatal(err)
			}
			if got := j.UnverifiedIssuer(); got != tc.want {
				t.Fatalf("UnverifiedIssuer() = %q, want %q", got, tc.want)
			}
		})
	}
}

// ValidSegment agrees with DecodeSegment on both sides of its 1024-byte
// chunks.
func TestValidSegment(t *testing.T) {
	for _, n := range []int{0, 1, 767, 768, 769, 1536} {
		seg := enc(make([]byte, n))
		if !ValidSegment(seg) {
			t.Errorf("%d bytes: a valid segment refused", n)
		}
		if _, err := DecodeSegment(seg + "="); err == nil || ValidSegment(seg+"=") {
			t.Errorf("%d bytes: padding accepted", n)
		}
	}
	if ValidSegment("ab+/") {
		t.Error("standard base64 accepted as base64url")
	}
}

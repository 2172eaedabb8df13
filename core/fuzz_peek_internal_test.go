package core

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"log/slog"
	"strings"
	"testing"
)

func peekTestAuthorizer(tb testing.TB) *Authorizer {
	tb.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	// pk_test_ + base64("clerk.example.com$"): the Frontend API clerk.example.com.
	a, err := New(WithJWTKey(pemKey), WithPublishableKey("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func peekToken(h, p string, sig []byte) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(h)) + "." + enc.EncodeToString([]byte(p)) + "." + enc.EncodeToString(sig)
}

// checkPeekView fails when peekView decides tok differently from
// peekDecoded, the decoder verification uses (behaviour.md §10.2).
func checkPeekView(t *testing.T, a *Authorizer, tok string) bool {
	t.Helper()
	pv, done := a.peekView(tok)
	if !done {
		return false
	}
	pd := a.peekDecoded(tok)
	if sid := a.sessionID(pv, tok); sid != pd.sid {
		t.Fatalf("%q: session ID %q, peekDecoded %q", tok, sid, pd.sid)
	}
	pv.sid, pv.sidLater, pd.sid = "", false, ""
	if pv != pd {
		t.Fatalf("%q: peekView %+v, peekDecoded %+v", tok, pv, pd)
	}
	return true
}

const (
	peekHeader  = `{"alg":"RS256","typ":"JWT","kid":"ins_1"}`
	peekPayload = `{"azp":"https://app.example","exp":1700000060,"fva":[1,-1],"iat":1700000000,"iss":"https://clerk.example.com","nbf":1699999990,"sid":"sess_1","sub":"user_1","v":2,"o":{"id":"org_1","rol":"admin","slg":"acme","per":"read","fpm":"1"},"fea":"o:a"}`
)

// FuzzPeekView: whatever the token, when the allocation-free peek decides,
// it decides exactly as peekDecoded.
func FuzzPeekView(f *testing.F) {
	sig := make([]byte, 256)
	for _, c := range []struct{ h, p, raw string }{
		{peekHeader, peekPayload, ""},
		{`{"alg":"RS256","cat":"cl_B7d4PD333AAA"}`, `{"sub":"mch_1","iss":"https://clerk.example.com"}`, ""},
		{`{"alg":"RS256","typ":"at+jwt"}`, `{"sub":"user_1","iss":"https://other.example"}`, ""},
		{peekHeader, `{"sub":"user_1","iss":""}`, ""},
		{peekHeader, `{"sub":"user_1","iss":7}`, ""},
		{peekHeader, `{"sub":"user_1","iss":"https://clerk.example.com","iss":"x"}`, ""},
		{peekHeader, `{"sub":"us\u0065r","sid":"s\"1","iss":"http://CLERK.example.com"}`, ""},
		{peekHeader, ` {"iss":"https://clerk.example.com"} `, ""},
		{peekHeader, `{"Iss":"https://clerk.example.com","iat":1.5}`, ""},
		{"", "", "a.b.c"},
		{"", "", "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2NsZXJrLmV4YW1wbGUuY29tIn0.AAA="},
	} {
		f.Add(c.h, c.p, sig[:len(c.h)%64], c.raw)
	}
	a := peekTestAuthorizer(f)
	f.Fuzz(func(t *testing.T, h, p string, sig []byte, raw string) {
		checkPeekView(t, a, peekToken(h, p, sig))
		checkPeekView(t, a, raw)
	})
}

// TestPeekViewAllocates nothing for an ordinary Clerk session token, and
// leaves what it cannot decide to peekDecoded (behaviour.md §10.4: a
// handshake allocates only for the redirect).
func TestPeekViewAllocatesNothing(t *testing.T) {
	a := peekTestAuthorizer(t)
	tok := peekToken(peekHeader, peekPayload, make([]byte, 256))
	a.peekDecoded(tok) // caches the header
	if !checkPeekView(t, a, tok) {
		t.Fatal("an ordinary token did not take the allocation-free path")
	}
	if p, _ := a.peekView(tok); !p.ok || !p.own || !p.issSet || p.iat != 1700000000 || p.exp != 1700000060 || p.tt != SessionToken || !p.sidLater {
		t.Fatalf("peekView: %+v", p)
	}
	if a.sessionID(peeked{sidLater: true}, tok) != "sess_1" {
		t.Fatal("the session ID is not read back")
	}
	if n := testing.AllocsPerRun(200, func() { a.peekView(tok) }); n != 0 {
		t.Fatalf("peekView allocates %.0f times per token", n)
	}
	for name, tok := range map[string]string{
		"LargePayload":  peekToken(peekHeader, `{"iss":"https://clerk.example.com","pad":"`+strings.Repeat("a", peekMaxPayload)+`"}`, nil),
		"EmptyIss":      peekToken(peekHeader, `{"iss":""}`, nil),
		"LineBreak":     strings.Replace(peekToken(peekHeader, peekPayload, nil), ".", ".e\r\n", 1), // in the payload
		"BadSignature":  peekToken(peekHeader, peekPayload, nil) + "*",
		"TwoParts":      "a.b",
		"Whitespace":    peekToken(peekHeader, " "+peekPayload, nil),
		"NonStringIss":  peekToken(peekHeader, `{"iss":{"a":1}}`, nil),
		"CaseFoldedIss": peekToken(peekHeader, `{"ISS":"https://clerk.example.com"}`, nil),
	} {
		if _, done := a.peekView(tok); done {
			t.Errorf("%s: peekView decided a token it should leave to peekDecoded", name)
		}
	}
}

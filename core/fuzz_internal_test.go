package core

import (
	"strings"
	"testing"
)

// FuzzDecodeOrgPermissions: SPEC 4.5 decoding of untrusted fea/per/fpm never
// panics, never returns nil, and only grants org:<feature>:<per name>.
func FuzzDecodeOrgPermissions(f *testing.F) {
	f.Add("o:dashboard,o:teams", "manage,read", "3,2")
	f.Add("o:repositories,o:projects", "read,create,update,delete,revoke", "7,21")
	f.Add("u:beta,o:invoices", "create,read", "0,3")
	f.Add("o:a", "read", "9007199254740993")
	f.Add("o:a,broken", "read", "1,1")
	f.Add("ou:x,uo:y", "a,b", "-1,1.5")
	f.Fuzz(func(t *testing.T, fea, per, fpm string) {
		perms := decodeOrgPermissions(fea, per, fpm)
		if perms == nil {
			t.Fatal("nil permission list")
		}
		allowed := map[string]bool{}
		for _, el := range splitTrim(fea) {
			_, feature, _ := strings.Cut(el, ":")
			for _, n := range splitTrim(per) {
				allowed["org:"+feature+":"+n] = true
			}
		}
		for _, p := range perms {
			if !allowed[p] {
				t.Fatalf("permission %q not built from fea %q and per %q", p, fea, per)
			}
		}
	})
}

// FuzzDecodeScopedList: SPEC 4.4 decoding never panics and a malformed list
// yields nothing.
func FuzzDecodeScopedList(f *testing.F) {
	f.Add("o:a,u:b,ou:c,uo:d,x:e")
	f.Add("o:a,nocolon")
	f.Add(" , ")
	f.Fuzz(func(t *testing.T, s string) {
		l, ok := decodeScopedList(s)
		if !ok && (l.org != nil || l.user != nil) {
			t.Fatal("malformed list produced features")
		}
		if ok && len(l.org)+len(l.user) > 2*len(splitTrim(s)) {
			t.Fatal("more features than elements")
		}
	})
}

// FuzzTokenFromHeader: SPEC 1.1 parsing of the Authorization header.
func FuzzTokenFromHeader(f *testing.F) {
	f.Add("Bearer abc.def.ghi")
	f.Add("bearer   x")
	f.Add("Basic dXNlcg==")
	f.Add("token-without-space")
	f.Fuzz(func(t *testing.T, v string) {
		tok := tokenFromHeader(v)
		if tok != strings.TrimSpace(tok) {
			t.Fatalf("token %q not trimmed", tok)
		}
		if tok != "" && !strings.Contains(v, tok) {
			t.Fatalf("token %q not from %q", tok, v)
		}
		scheme, _, found := strings.Cut(strings.TrimSpace(v), " ")
		if found && !strings.EqualFold(scheme, "bearer") && tok != "" {
			t.Fatalf("scheme %q yielded a token", scheme)
		}
	})
}

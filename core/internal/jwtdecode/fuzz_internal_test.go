package jwtdecode

import (
	"encoding/json"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// referenceOrgPermissions is behaviour.md §4.5 written as plainly as possible, with
// big.Int masks only, to check the optimised decoder against.
func referenceOrgPermissions(fea, per, fpm string) []string {
	list := func(s string) []string {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		var out []string
		for _, p := range strings.Split(s, ",") {
			out = append(out, strings.TrimSpace(p))
		}
		return out
	}
	feats, names, masks := list(fea), list(per), list(fpm)
	out := []string{}
	for _, f := range feats {
		if !strings.Contains(f, ":") {
			return out // malformed fea: nothing at all (behaviour.md §4.4)
		}
	}
	for i, f := range feats {
		if i >= len(masks) {
			break
		}
		scope, feature, _ := strings.Cut(f, ":")
		if (scope != "o" && scope != "ou" && scope != "uo") || feature == "" {
			continue
		}
		m := masks[i]
		if m == "" || strings.Trim(m, "0123456789") != "" {
			continue
		}
		mask, _ := new(big.Int).SetString(m, 10)
		for bit, n := range names {
			if n != "" && mask.Bit(bit) == 1 {
				out = append(out, "org:"+feature+":"+n)
			}
		}
	}
	return out
}

// FuzzDecodeOrgPermissions: behaviour.md §4.5 decoding of untrusted fea/per/fpm never
// panics, never returns nil, and only grants org:<feature>:<per name>.
func FuzzDecodeOrgPermissions(f *testing.F) {
	f.Add("o:dashboard,o:teams", "manage,read", "3,2")
	f.Add("o:repositories,o:projects", "read,create,update,delete,revoke", "7,21")
	f.Add("u:beta,o:invoices", "create,read", "0,3")
	f.Add("o:a", "read", "9007199254740993")
	f.Add("o:a,broken", "read", "1,1")
	f.Add("ou:x,uo:y", "a,b", "-1,1.5")
	f.Add("o:a", "p0,p1", "18446744073709551617")
	f.Add("o:a,o:b", "read", "+1, 1 ")
	f.Add("u:x,ou:a,uo:b", "read,,write", "3,5,0007")
	f.Fuzz(func(t *testing.T, fea, per, fpm string) {
		perms := DecodeOrgPermissions(fea, per, fpm)
		if perms == nil {
			t.Fatal("nil permission list")
		}
		if want := referenceOrgPermissions(fea, per, fpm); !slices.Equal(perms, want) {
			t.Fatalf("behaviour.md §4.5: fea %q per %q fpm %q → %q, reference %q", fea, per, fpm, perms, want)
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

// FuzzDecodeScopedList: behaviour.md §4.4 decoding never panics and a malformed list
// yields nothing.
func FuzzDecodeScopedList(f *testing.F) {
	f.Add("o:a,u:b,ou:c,uo:d,x:e")
	f.Add("o:a,nocolon")
	f.Add(" , ")
	f.Fuzz(func(t *testing.T, s string) {
		l, ok := DecodeScopedList(s)
		if !ok && (l.Org != nil || l.User != nil) {
			t.Fatal("malformed list produced features")
		}
		if ok && len(l.Org)+len(l.User) > 2*len(splitTrim(s)) {
			t.Fatal("more features than elements")
		}
	})
}

// FuzzUnmarshalExact: behaviour.md §3.11 member names are exact. Whenever the fast
// path (plain json.Unmarshal) is taken, it must decode exactly what the
// exact-name slow path decodes; and the result never depends on a member
// whose name only folds onto a known one.
func FuzzUnmarshalExact(f *testing.F) {
	f.Add([]byte(`{"sub":"user_1","exp":1,"v":2,"o":{"id":"org_1","rol":"admin","per":"a","fpm":"1"},"fea":"o:x"}`))
	f.Add([]byte(`{"sub":"user_1","SUB":"mch_1","Exp":"x"}`))
	f.Add([]byte(`{"s\u0075b":"user_1","act":{"sub":"a","Sub":"b"}}`))
	f.Add([]byte(`{"ſub":"x","sub":"y","sts":"pending","STS":"active"}`))
	f.Add([]byte(`{"custom":{"SUB":1},"list":["sub",{"EXP":2}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if !LooksLikeJSONObject(b) || !json.Valid(b) {
			return
		}
		var exact Payload
		errExact := UnmarshalExact(b, &exact, PayloadSchema)
		clean, err := filterExact(b, PayloadSchema)
		if err != nil {
			if errExact == nil {
				t.Fatalf("slow path failed (%v) where UnmarshalExact did not", err)
			}
			return
		}
		var slow Payload
		errSlow := json.Unmarshal(clean, &slow)
		if (errExact == nil) != (errSlow == nil) {
			t.Fatalf("UnmarshalExact err %v, exact-name decoding err %v", errExact, errSlow)
		}
		if errExact != nil {
			return
		}
		es, esOK := exact.SubString()
		ss, ssOK := slow.SubString()
		if es != ss || esOK != ssOK {
			t.Fatalf("sub differs: fast %q %v, slow %q %v", es, esOK, ss, ssOK)
		}
		ce, cs := exact.Session(), slow.Session()
		if !reflect.DeepEqual(ce, cs) {
			t.Fatalf("decoded claims differ:\n fast %+v\n slow %+v", ce, cs)
		}
	})
}

package jwtdecode

import (
	"encoding/json"
	"reflect"
	"testing"
)

// Payloads as clerktest mints them (v2, v2 with org, permissions, features,
// plans, fva and act, v1, M2M, OAuth), plus unusual shapes for the fuzzer.
var fastPayloadSeeds = []string{
	`{"azp":"http://localhost:3000","exp":1772600827,"iat":1772600767,"iss":"https://clerk.clerktest.example","jti":"jti_1","nbf":1772600767,"sid":"sess_test","sts":"active","sub":"user_test","v":2}`,
	`{"act":{"sub":"user_admin","sid":"sess_a","type":"impersonation"},"azp":"http://localhost:3000","exp":1772600827,"fea":"o:invoices,o:reports,o:dash,u:beta","fva":[3,-1],"iat":1772600767,"iss":"https://clerk.clerktest.example","jti":"jti_2","nbf":1772600767,"o":{"fpm":"3,2,0,0","id":"org_1","per":"create,read","rol":"admin","slg":"acme"},"pla":"o:pro,u:free","sid":"sess_test","sts":"active","sub":"user_test","v":2}`,
	`{"azp":"http://localhost:3000","exp":1772600827,"fea":"o:dash","iat":1772600767,"iss":"https://clerk.clerktest.example","jti":"jti_3","nbf":1772600767,"org_id":"org_1","org_permissions":["org:invoices:create"],"org_role":"org:admin","org_slug":"acme","sid":"sess_test","sts":"pending","sub":"user_test"}`,
	`{"exp":1772604367,"iat":1772600767,"iss":"https://clerk.clerktest.example","jti":"jti_10918af690df305a","scopes":"a b","sub":"mch_test"}`,
	`{"client_id":"client_test","exp":1772604367,"iat":1772600767,"iss":"https://clerk.clerktest.example","jti":"jti_9d8eec288cb94f01","scope":"a b","sub":"user_test"}`,
	`{ "sub" : "user_1" ,	"exp":
1 , "custom" : {"a":[1,-2.5e+3,true,false,null,"x\"y\\z\u00e9\n",{"b":{}}],"c":[]}, "email":"é@x", "org_permissions":[], "act":{}, "o":{"x":1} }`,
	`{"sub":{"id":1},"v":"2","scp":["a","b"],"exp":-0,"nbf":0,"fva":[-0,999999999999999999]}`,
	`{"sub":"user_1","SUB":"mch_1","exp":1}`,
	`{"sub":"user_1","sub":"user_2","exp":1}`,
	`{"sub":"user_1","exp":1.5}`,
	`{"sub":"user_1","exp":1e3}`,
	`{"sub":"user_1","exp":"1"}`,
	`{"s\u0075b":"user_1","exp":1}`,
	`{"sub":"us\u0065r_1","exp":1}`,
	`{"sub":"user_1","exp":1,"custom":{"EXP":2}}`,
	`{"sub":"user_1","exp":1,"sts":null}`,
	`{"sub":"user_1","exp":1,"azp":7}`,
	`{"sub":"user_1","exp":1,"fva":[1,2,3]}`,
	`{"sub":"user_1","exp":10000000000000000}`,
	`{"ſub":"x","sub":"y"}`,
	`{}`,
}

// FuzzPayloadFastPath: whenever DecodePayloadFast accepts a payload, it
// decodes exactly what UnmarshalExact decodes, and UnmarshalExact does not
// fail; when it declines, it leaves the payload zero.
func FuzzPayloadFastPath(f *testing.F) {
	for _, s := range fastPayloadSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fast Payload
		sub, subOK, ok := DecodePayloadFast(b, &fast)
		if !ok {
			if !reflect.DeepEqual(fast, Payload{}) || sub != "" || subOK {
				t.Fatalf("declined but left %+v, sub %q %v", fast, sub, subOK)
			}
			return
		}
		var exact Payload
		if err := UnmarshalExact(b, &exact, PayloadSchema); err != nil {
			t.Fatalf("fast path accepted %q, UnmarshalExact failed: %v", b, err)
		}
		if !json.Valid(b) {
			t.Fatalf("fast path accepted invalid JSON %q", b)
		}
		if !reflect.DeepEqual(fast, exact) {
			t.Fatalf("%q:\n fast  %#v\n exact %#v", b, fast, exact)
		}
		if s, sOK := exact.SubString(); s != sub || sOK != subOK {
			t.Fatalf("%q: fast path sub %q %v, SubString %q %v", b, sub, subOK, s, sOK)
		}
	})
}

// The fast path declines whatever it does not handle exactly, so that
// UnmarshalExact decides.
func TestPayloadFastPathDeclines(t *testing.T) {
	const base = `"sub":"user_1","exp":1772600827`
	cases := map[string]string{
		"CaseFoldedName":       `{` + base + `,"SUB":"mch_1"}`,
		"CaseFoldedNested":     `{` + base + `,"o":{"id":"org_1","ID":"org_2"}}`,
		"CaseFoldedDeep":       `{` + base + `,"custom":{"list":[{"Sts":"pending"}]}}`,
		"UnicodeFoldedName":    `{` + base + `,"ſts":"pending"}`,
		"NonASCIIName":         `{` + base + `,"é":1}`,
		"EscapedName":          `{` + base + `,"s\u0074s":"pending"}`,
		"EscapedUnknownName":   `{` + base + `,"x\u0041":1}`,
		"DuplicateKnown":       `{` + base + `,"sub":"user_2"}`,
		"DuplicateNested":      `{` + base + `,"o":{"id":"org_1","id":"org_2"}}`,
		"DuplicateActor":       `{` + base + `,"act":{"sub":"a","sub":"b"}}`,
		"NullKnown":            `{` + base + `,"sts":null}`,
		"NullSub":              `{"sub":null,"exp":1}`,
		"NullObject":           `{` + base + `,"o":null}`,
		"FloatExp":             `{"sub":"user_1","exp":1772600827.5}`,
		"ExponentExp":          `{"sub":"user_1","exp":1.7e9}`,
		"StringExp":            `{"sub":"user_1","exp":"1772600827"}`,
		"HugeExp":              `{"sub":"user_1","exp":10000000000000000}`,
		"LeadingZeroExp":       `{"sub":"user_1","exp":01}`,
		"NumberSid":            `{` + base + `,"sid":1}`,
		"ObjectSts":            `{` + base + `,"sts":{}}`,
		"NumberAzp":            `{` + base + `,"azp":1}`,
		"EscapedString":        `{` + base + `,"iss":"https:\/\/x"}`,
		"InvalidUTF8String":    "{" + base + ",\"sid\":\"\xff\"}",
		"FvaThree":             `{` + base + `,"fva":[1,2,3]}`,
		"FvaFloat":             `{` + base + `,"fva":[1.0,2]}`,
		"PermissionNumber":     `{` + base + `,"org_permissions":["a",1]}`,
		"PermissionsString":    `{` + base + `,"org_permissions":"a"}`,
		"ActorNumber":          `{` + base + `,"act":{"sub":1}}`,
		"OrgArray":             `{` + base + `,"o":[]}`,
		"LeadingSpace":         ` {` + base + `}`,
		"TrailingSpace":        `{` + base + `} `,
		"TrailingData":         `{` + base + `}{}`,
		"TrailingComma":        `{` + base + `,}`,
		"BadUnknown":           `{` + base + `,"x":tru}`,
		"BadNumber":            `{` + base + `,"x":1.}`,
		"BadEscape":            `{` + base + `,"x":"\x"}`,
		"ControlInString":      "{" + base + ",\"x\":\"a\tb\"}",
		"Unterminated":         `{` + base + `,"x":"abc}`,
		"TooDeep":              `{` + base + `,"x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`,
		"NotAnObject":          `[1]`,
		"Empty":                ``,
		"MissingColon":         `{"sub" "user_1"}`,
		"UnquotedName":         `{sub:"user_1"}`,
		"NumberThenGarbage":    `{"sub":"user_1","exp":12a}`,
		"NegativeWithoutDigit": `{"sub":"user_1","exp":-}`,
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			var p Payload
			if _, _, ok := DecodePayloadFast([]byte(b), &p); ok {
				t.Fatalf("fast path accepted %q: %+v", b, p)
			}
			if !reflect.DeepEqual(p, Payload{}) {
				t.Fatalf("declined but left %+v", p)
			}
		})
	}
}

// The fast path accepts, and decodes exactly, the ordinary shapes, including
// whitespace and unknown claims of every JSON type.
func TestPayloadFastPathAccepts(t *testing.T) {
	for i, s := range append(fastPayloadSeeds[:6:6],
		`{"sub":"user_1","exp":1,"email":"é@example.com","meta":{"Plan":"x","n":[1,2.5,-3e-2,{"k":"\u00e9\"\\"}],"ok":true,"no":false,"z":null}}`,
		`{"sub":{"id":1},"v":"2","scp":["a","b"],"exp":-0,"nbf":0,"fva":[-0,999999999999999999]}`,
		`{"sub":"user_1","exp":1,"act":{"sub":"a","iss":"b","x":[{}]},"o":{"id":"org_1","per":"","fpm":""}}`,
		`{"sub":"us\u0065r_1\n","exp":1}`,
		"{\"sub\":\"\xffuser\",\"exp\":1}",
		`{"sub":"","exp":1}`,
		`{"sub":7,"exp":1}`,
		`{}`,
	) {
		b := []byte(s)
		var fast, exact Payload
		sub, subOK, ok := DecodePayloadFast(b, &fast)
		if !ok {
			t.Fatalf("%d: fast path declined %s", i, s)
		}
		if err := UnmarshalExact(b, &exact, PayloadSchema); err != nil {
			t.Fatalf("%d: UnmarshalExact: %v", i, err)
		}
		if !reflect.DeepEqual(fast, exact) {
			t.Fatalf("%d: %s:\n fast  %#v\n exact %#v", i, s, fast, exact)
		}
		if es, esOK := exact.SubString(); es != sub || esOK != subOK {
			t.Fatalf("%d: fast path sub %q %v, SubString %q %v", i, sub, subOK, es, esOK)
		}
	}
}

// payloadFastPathAgrees reports whether the fast path accepts the JSON
// payload b and decodes exactly what UnmarshalExact decodes (used by the
// clerktest-based test in package jwtdecode_test).
func payloadFastPathAgrees(b []byte) (accepted, equal bool) {
	var fast, exact Payload
	sub, subOK, ok := DecodePayloadFast(b, &fast)
	if !ok {
		return false, false
	}
	err := UnmarshalExact(b, &exact, PayloadSchema)
	es, esOK := exact.SubString()
	return true, err == nil && reflect.DeepEqual(fast, exact) && es == sub && esOK == subOK
}

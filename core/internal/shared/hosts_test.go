package shared

import "testing"

func TestValidHostAndFirstValue(t *testing.T) {
	for _, tc := range []struct {
		h  string
		ok bool
	}{
		{"app.example", true}, {"app.example:8443", true}, {"[::1]:80", true}, {"a_b.example", true},
		{"", false}, {"evil.example/x", false}, {"u@evil.example", false}, {"a b", false}, {"a\\b", false},
		{string(make([]byte, 256)), false},
	} {
		if got := ValidHost(tc.h); got != tc.ok {
			t.Errorf("ValidHost(%q) = %v, want %v", tc.h, got, tc.ok)
		}
	}
	long := make([]byte, 255)
	for i := range long {
		long[i] = 'a'
	}
	if !ValidHost(string(long)) || ValidHost(string(long)+"a") {
		t.Error("ValidHost: the 255-byte bound is off")
	}
	for in, want := range map[string]string{"": "", " https , http": "https", "a": "a", ",b": ""} {
		if got := FirstValue(in); got != want {
			t.Errorf("FirstValue(%q) = %q, want %q", in, got, want)
		}
	}
}

package adapter_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/clerkguard/clerkguard/core/adapter"
)

// headerMap is a ResponseHeader over an http.Header.
type headerMap struct{ h http.Header }

func (m headerMap) Del(k string)    { m.h.Del(k) }
func (m headerMap) Add(k, v string) { m.h.Add(k, v) }

func TestReplaceHeader(t *testing.T) {
	h := http.Header{"Content-Type": {"text/plain"}, "X-App": {"kept"}, "Www-Authenticate": {"Basic", "Digest"}}
	adapter.ReplaceHeader(headerMap{h}, http.Header{"Content-Type": {"application/json"}, "Www-Authenticate": {`Bearer error="invalid_token"`}, "Vary": {"Cookie", "Authorization"}})
	want := http.Header{"Content-Type": {"application/json"}, "X-App": {"kept"}, "Www-Authenticate": {`Bearer error="invalid_token"`}, "Vary": {"Cookie", "Authorization"}}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("ReplaceHeader: %v, want %v (each header of the problem replaces the old values, others stay)", h, want)
	}
}

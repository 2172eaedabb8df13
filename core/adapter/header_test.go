package adapter_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/clerkguard/clerkguard/core"
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

func TestAddAnswer(t *testing.T) {
	for _, tc := range []struct {
		name string
		ans  core.Answer
		stop bool
		want http.Header
	}{
		{"Nothing", core.Answer{}, false, http.Header{"X-App": {"kept"}}},
		{"HeadersOnContinue", core.Answer{Header: http.Header{"Set-Cookie": {"a=1", "b=2"}}}, false,
			http.Header{"X-App": {"kept"}, "Set-Cookie": {"a=1", "b=2"}}},
		{"Redirect", core.Answer{Status: http.StatusTemporaryRedirect, Header: http.Header{"Location": {"/sign-in"}, "X-App": {"added"}}}, true,
			http.Header{"X-App": {"kept", "added"}, "Location": {"/sign-in"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"X-App": {"kept"}}
			if stop := adapter.AddAnswer(headerMap{h}, tc.ans); stop != tc.stop {
				t.Errorf("AddAnswer stops: %v, want %v", stop, tc.stop)
			}
			if !reflect.DeepEqual(h, tc.want) {
				t.Errorf("headers %v, want %v (added, never replacing)", h, tc.want)
			}
		})
	}
}

package core_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// behaviour.md §10.10: a flood of forged nonces costs at most the rate
// limit's worth of Backend API calls, and an unreachable budget signs the
// request out without a call.
func TestRule10_10_NonceFloodIsBounded(t *testing.T) {
	e := newBrowserEnv(t, true, core.WithMachineVerification(core.MachineVerification{RateBurst: 3, RatePerSecond: 0.001}))
	for i := 0; i < 20; i++ {
		res, _ := e.outcome(page("http://app.example/?__clerk_handshake_nonce=forged_"+strconv.Itoa(i), "__client_uat=0"))
		wantSignedOut(t, res, core.ReasonSessionTokenMissing)
	}
	if n := e.calls.Load(); n != 3 {
		t.Fatalf("%d Backend API calls for 20 forged nonces, want the burst of 3", n)
	}
}

// behaviour.md §10.10: the calls never follow a redirect, so the secret key
// goes to the API URL only.
func TestRule10_10_NoRedirectFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		_, _ = w.Write([]byte(`{"directives":["__session=x"]}`))
	}))
	defer evil.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer api.Close()
	e := newBrowserEnv(t, true, core.WithAPIURL(api.URL))
	res, _ := e.outcome(page("http://app.example/?__clerk_handshake_nonce=n1", "__client_uat=0"))
	wantSignedOut(t, res, core.ReasonSessionTokenMissing)
	if elsewhere.Load() != 0 {
		t.Fatal("the redirect was followed with the secret key")
	}
}

// behaviour.md §10.10: a Backend API that does not answer in time signs the
// request out after the timeout.
func TestRule10_10_Timeout(t *testing.T) {
	block := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer api.Close()
	defer close(block)
	e := newBrowserEnv(t, true, core.WithAPIURL(api.URL), core.WithMachineVerification(core.MachineVerification{Timeout: 50 * time.Millisecond}))
	start := time.Now()
	res, _ := e.outcome(page("http://app.example/?__clerk_handshake_nonce=n1", "__client_uat=0"))
	wantSignedOut(t, res, core.ReasonSessionTokenMissing)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %s, want about the 50ms timeout", d)
	}
}

package loadgen

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCountsSuccesses(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		served.Add(1)
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	res, err := Run(t.Context(), Config{URL: srv.URL, Header: http.Header{"Authorization": {"Bearer t"}},
		Concurrency: 4, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 {
		t.Fatalf("requests %d errors %d, want >0 and 0", res.Requests, res.Errors)
	}
	if res.Requests > served.Load() {
		t.Fatalf("counted %d requests, the server served %d", res.Requests, served.Load())
	}
	if res.Elapsed < 200*time.Millisecond || res.Elapsed > 2*time.Second {
		t.Fatalf("elapsed %v, want about 200ms", res.Elapsed)
	}
	if res.PerSecond() <= 0 {
		t.Fatalf("rate %v", res.PerSecond())
	}
}

func TestRunCountsUnexpectedStatusAsError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	res, err := Run(t.Context(), Config{URL: srv.URL, Concurrency: 2, Duration: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 0 || res.Errors == 0 {
		t.Fatalf("requests %d errors %d, want 0 and >0", res.Requests, res.Errors)
	}
	// The same server is a success when 401 is the wanted status.
	res, err = Run(t.Context(), Config{URL: srv.URL, Concurrency: 2, Duration: 100 * time.Millisecond,
		WantStatus: http.StatusUnauthorized})
	if err != nil || res.Requests == 0 || res.Errors != 0 {
		t.Fatalf("want 401: requests %d errors %d err %v", res.Requests, res.Errors, err)
	}
}

func TestRunCountsTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	res, err := Run(t.Context(), Config{URL: url, Concurrency: 1, Duration: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 0 || res.Errors == 0 {
		t.Fatalf("requests %d errors %d, want 0 and >0", res.Requests, res.Errors)
	}
}

func TestRunRejectsUnboundedConfig(t *testing.T) {
	for _, cfg := range []Config{
		{URL: "", Concurrency: 1, Duration: time.Second},
		{URL: "http://127.0.0.1:1", Concurrency: 0, Duration: time.Second},
		{URL: "http://127.0.0.1:1", Concurrency: MaxConcurrency + 1, Duration: time.Second},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: 0},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: MaxDuration + time.Second},
		{URL: "://bad", Concurrency: 1, Duration: time.Second},
	} {
		if _, err := Run(t.Context(), cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: err %v, want ErrConfig", cfg, err)
		}
	}
}

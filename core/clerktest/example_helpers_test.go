package clerktest_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// An Example function of an adapter in three lines of setup: an Issuer
// standing in for Clerk, an Authorizer trusting it, and what a client gets
// back printed for // Output:.
func ExampleStartExample() {
	iss, a := clerktest.StartExample()
	defer iss.Close()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := a.AuthenticateHTTP(r)
		if err != nil {
			core.WriteProblem(w, core.ProblemFor(err))
			return
		}
		fmt.Fprint(w, "hello ", c.UserID())
	})
	clerktest.PrintServed(h, clerktest.NewRequest(http.MethodGet, "/", ""))
	clerktest.PrintServed(h, clerktest.NewRequest(http.MethodGet, "/", iss.Mint(clerktest.Session{UserID: "user_1"})))
	// Output:
	// 401 {"error":"unauthorized","reason":"session-token-missing","message":"No session token was found in the request."}
	// 200 hello user_1
}

// StartExample's options come after the Issuer's, and an option core.New
// refuses is a panic (there is no *testing.T to fail), not a nil Authorizer.
func TestStartExampleOptions(t *testing.T) {
	iss, a := clerktest.StartExample(core.WithAcceptsToken(core.M2MToken))
	defer iss.Close()
	if _, err := a.AuthenticateHTTP(clerktest.NewRequest(http.MethodGet, "/", iss.MintM2M(clerktest.Machine{Subject: "mch_1"}))); err != nil {
		t.Errorf("an M2M token with WithAcceptsToken(M2MToken) given to StartExample: %v, want accepted", err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "clock skew") {
			t.Errorf("StartExample(WithClockSkew(-1)) recovered %v, want core.New's clock skew error", r)
		}
	}()
	clerktest.StartExample(core.WithClockSkew(-time.Second))
}

type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, errors.New("read failed") }
func (failingBody) Close() error             { return nil }

func TestPrintResponse(t *testing.T) {
	for _, tc := range []struct {
		name string
		resp *http.Response
		err  error
	}{
		{"CallError", nil, errors.New("dial failed")},
		{"BodyError", &http.Response{StatusCode: 200, Body: failingBody{}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("PrintResponse did not panic")
				}
			}()
			clerktest.PrintResponse(tc.resp, tc.err)
		})
	}
	t.Run("Closes", func(t *testing.T) {
		body := &closeRecorder{Reader: strings.NewReader("ok")}
		clerktest.PrintResponse(&http.Response{StatusCode: 200, Body: body}, nil)
		if !body.closed {
			t.Error("PrintResponse left the body open")
		}
	})
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

// BenchServe checks its warm-up: a route that refuses the benchmark's
// request fails the benchmark instead of measuring the refusal; one that
// answers 200 is measured with the token on every request.
func TestBenchServe(t *testing.T) {
	a, tok := clerktest.BenchAuthorizer(t)
	guarded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := a.AuthenticateHTTP(r)
		if err != nil || core.RequirePermission(clerktest.BenchPermission).Evaluate(&core.Result{Claims: c}) != nil {
			w.WriteHeader(http.StatusForbidden)
		}
	})
	if res := testing.Benchmark(func(b *testing.B) { clerktest.BenchServe(b, guarded, "/invoices", "") }); res.N != 0 {
		t.Errorf("BenchServe without the token ran %d iterations against a 403, want a failed warm-up", res.N)
	}
	if res := testing.Benchmark(func(b *testing.B) { clerktest.BenchServe(b, guarded, "/invoices", tok) }); res.N == 0 {
		t.Error("BenchServe with BenchAuthorizer's token failed against a route requiring BenchPermission")
	}
}

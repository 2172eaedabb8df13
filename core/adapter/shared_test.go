package adapter_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func bearer(tok string) core.Request {
	r := httptest.NewRequest("GET", "/", nil)
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	return core.HTTPRequest(r)
}

type userKey struct{}

// A signed-in request on context.Background() shares the State of earlier
// requests with the same cached claims (fiber's steady state allocates
// nothing); any other request gets its own State, and claims never mix.
func TestNewStateSharing(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	cfg := adapter.NewMiddlewareConfig[any, int](nil)
	alice := e.iss.Mint(clerktest.Session{UserID: "user_alice"})
	bob := e.iss.Mint(clerktest.Session{UserID: "user_bob"})
	bg := context.Background()

	first := cfg.NewState(bg, a, 0, bearer(alice))
	if again := cfg.NewState(bg, a, 0, bearer(alice)); again != first {
		t.Error("a cached token on context.Background() must reuse its State")
	}
	other := cfg.NewState(bg, a, 0, bearer(bob))
	if other == first || other.Result().Claims.Subject != "user_bob" || first.Result().Claims.Subject != "user_alice" {
		t.Fatalf("two users must never share a State: %q, %q", first.Result().Claims.Subject, other.Result().Claims.Subject)
	}
	withValue := context.WithValue(bg, userKey{}, "request-scoped")
	own := cfg.NewState(withValue, a, 0, bearer(alice))
	if own == first || own.Value(userKey{}) != "request-scoped" {
		t.Error("a request with its own parent context must get its own State, showing that parent")
	}
	signedOut := cfg.NewState(bg, a, 0, bearer(""))
	if signedOut == cfg.NewState(bg, a, 0, bearer("")) {
		t.Error("signed-out States are never shared")
	}
	if other := adapter.NewMiddlewareConfig[any, int](nil).NewState(bg, a, 0, bearer(alice)); other == first {
		t.Error("each middleware has its own shared States (its own error handler)")
	}
}

// behaviour.md §7.5: concurrent requests of different users on shared
// States each see their own claims.
func TestNewStateSharingConcurrent(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	cfg := adapter.NewMiddlewareConfig[any, int](nil)
	users := []string{"user_a", "user_b", "user_c", "user_d"}
	toks := make([]string, len(users))
	for i, u := range users {
		toks[i] = e.iss.Mint(clerktest.Session{UserID: u})
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (w + i) % len(users)
				st := cfg.NewState(context.Background(), a, 0, bearer(toks[k]))
				if c, ok := core.ClaimsFromContext(st); !ok || c.Subject != users[k] {
					t.Errorf("request of %s saw claims %v", users[k], c)
					return
				}
			}
		})
	}
	wg.Wait()
}

// NewRequest returns a copy of the request whose context is the State.
func TestNewRequest(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	cfg := adapter.NewMiddlewareConfig([]adapter.MiddlewareOption[any, string]{
		adapter.SkipperOption[any](func(path string) bool { return path == "/health" })})
	for _, tc := range []struct {
		path, want string
		signedIn   bool
	}{{"/me", "user_1", true}, {"/health", "", false}} {
		r := httptest.NewRequest("GET", tc.path, nil)
		r.Header.Set("Authorization", "Bearer "+e.iss.Mint(clerktest.Session{UserID: "user_1"}))
		r2, st := cfg.NewRequest(a, tc.path, r)
		if r2 == r || r2.Context() != context.Context(st) || r.Context() == context.Context(st) {
			t.Fatal("NewRequest must return a copy whose context is the State, leaving the original alone")
		}
		if r2.URL.Path != tc.path || r2.Header.Get("Authorization") == "" {
			t.Fatal("the copy must keep the request")
		}
		if c, ok := core.ClaimsFromContext(r2.Context()); ok != tc.signedIn || (ok && c.Subject != tc.want) {
			t.Fatalf("%s: claims %v, %v; want signed in %v (a skipped request is signed out)", tc.path, c, ok, tc.signedIn)
		}
	}
}

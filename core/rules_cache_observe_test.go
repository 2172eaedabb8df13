package core_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

type outcomes struct {
	mu   sync.Mutex
	list []core.Outcome
}

func (o *outcomes) add(x core.Outcome) { o.mu.Lock(); o.list = append(o.list, x); o.mu.Unlock() }
func (o *outcomes) last() core.Outcome {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.list[len(o.list)-1]
}

// The verified-token cache: hits skip the signature, every check still runs,
// entries never outlive exp.
func TestTokenCache(t *testing.T) {
	e := newRuleEnv(t)
	obs := &outcomes{}
	a := e.authorizer(t, core.WithObserver(obs.add), core.WithClockSkew(0))
	tok := e.iss.Mint(clerktest.Session{TTL: 30 * time.Second})
	if _, err := a.VerifyToken(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	if obs.last().CacheHit {
		t.Fatal("first use reported as a cache hit")
	}
	c, err := a.VerifyToken(t.Context(), tok)
	if err != nil || !obs.last().CacheHit || c.Subject != "user_test" {
		t.Fatalf("second use: %v hit=%v", err, obs.last().CacheHit)
	}
	t.Run("ExpiryEnforcedOnHit", func(t *testing.T) {
		e.clock.Advance(31 * time.Second)
		defer e.clock.Advance(-31 * time.Second)
		_, err := a.VerifyToken(t.Context(), tok)
		if core.ReasonOf(err) != core.ReasonTokenExpired {
			t.Fatalf("expired token served from cache: %v", err)
		}
	})
	t.Run("ChecksRunOnHits", func(t *testing.T) {
		strict := e.authorizer(t, core.WithAuthorizedParties("https://only.example"))
		other := e.iss.Mint(clerktest.Session{AuthorizedParty: "https://evil.example"})
		for i := 0; i < 2; i++ {
			if _, err := strict.VerifyToken(t.Context(), other); core.ReasonOf(err) != core.ReasonTokenInvalidAuthorizedParties {
				t.Fatalf("use %d: %v", i, err)
			}
		}
		pending := e.iss.Mint(clerktest.Session{Status: "pending"})
		for i := 0; i < 2; i++ {
			if _, err := a.VerifyToken(t.Context(), pending); core.ReasonOf(err) != core.ReasonSessionPending {
				t.Fatalf("pending use %d: %v", i, err)
			}
		}
	})
	t.Run("NotActiveYetBecomesValid", func(t *testing.T) {
		future := e.iss.Mint(clerktest.Session{NotBefore: e.clock.Now().Add(10 * time.Second)})
		if _, err := a.VerifyToken(t.Context(), future); core.ReasonOf(err) != core.ReasonTokenNotActiveYet {
			t.Fatal(err)
		}
		e.clock.Advance(11 * time.Second)
		defer e.clock.Advance(-11 * time.Second)
		if _, err := a.VerifyToken(t.Context(), future); err != nil {
			t.Fatalf("nbf passed: %v", err)
		}
	})
	t.Run("Disabled", func(t *testing.T) {
		obs := &outcomes{}
		off := e.authorizer(t, core.WithTokenCache(0), core.WithObserver(obs.add))
		for i := 0; i < 2; i++ {
			if _, err := off.VerifyToken(t.Context(), tok); err != nil || obs.last().CacheHit {
				t.Fatalf("use %d: %v hit=%v", i, err, obs.last().CacheHit)
			}
		}
	})
	t.Run("FailuresNotCached", func(t *testing.T) {
		bad := e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature())
		for i := 0; i < 2; i++ {
			if _, err := a.VerifyToken(t.Context(), bad); core.ReasonOf(err) != core.ReasonTokenInvalidSignature || obs.last().CacheHit {
				t.Fatalf("use %d: %v", i, err)
			}
		}
	})
	t.Run("BoundedEviction", func(t *testing.T) {
		obs := &outcomes{}
		small := e.authorizer(t, core.WithTokenCache(2), core.WithObserver(obs.add))
		toks := []string{e.iss.Mint(clerktest.Session{UserID: "user_a"}), e.iss.Mint(clerktest.Session{UserID: "user_b"}), e.iss.Mint(clerktest.Session{UserID: "user_c"})}
		for _, tk := range toks {
			if _, err := small.VerifyToken(t.Context(), tk); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := small.VerifyToken(t.Context(), toks[0]); err != nil || obs.last().CacheHit {
			t.Fatalf("least recently used entry survived: hit=%v", obs.last().CacheHit)
		}
		if _, err := small.VerifyToken(t.Context(), toks[2]); err != nil || !obs.last().CacheHit {
			t.Fatalf("recent entry evicted: hit=%v", obs.last().CacheHit)
		}
	})
	t.Run("ConcurrentMixed", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			user := fmt.Sprintf("user_%d", i%5)
			tk := e.iss.Mint(clerktest.Session{UserID: user})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 10; j++ {
					c, err := a.VerifyToken(context.Background(), tk)
					if err != nil || c.Subject != user {
						t.Errorf("got %v %v, want %s", c, err, user)
						return
					}
				}
			}()
		}
		wg.Wait()
	})
}

// Observability: the observer sees every outcome; rejections are logged with
// reason, path and user ID, never the token.
func TestObservability(t *testing.T) {
	e := newRuleEnv(t)
	obs := &outcomes{}
	a := e.authorizer(t, core.WithObserver(obs.add), core.WithAuthorizedParties("https://app.example"))
	tokens := map[string]string{
		"azp":       e.iss.Mint(clerktest.Session{UserID: "user_logged"}),
		"signature": e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()),
		"malformed": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0",
	}
	for _, tk := range tokens {
		if _, err := a.Authenticate(t.Context(), req("Bearer "+tk, "")); err == nil {
			t.Fatal("expected a rejection")
		}
	}
	if _, err := a.Authenticate(t.Context(), req("", "")); err == nil {
		t.Fatal("expected signed out")
	}
	o := obs.last()
	if o.Reason != core.ReasonSessionTokenMissing || o.Source != "" || o.Err == nil {
		t.Fatalf("missing-token outcome %+v", o)
	}
	good := e.iss.Mint(clerktest.Session{AuthorizedParty: "https://app.example"})
	if _, err := a.Authenticate(t.Context(), req("", good)); err != nil {
		t.Fatal(err)
	}
	o = obs.last()
	if o.Reason != "" || o.Source != core.SourceCookie || o.TokenType != core.SessionToken || o.Latency <= 0 {
		t.Fatalf("signed-in outcome %+v", o)
	}
	logs := e.logs.String()
	for name, tk := range tokens {
		if strings.Contains(logs, tk) || strings.Contains(logs, tk[len(tk)-20:]) {
			t.Fatalf("behaviour.md §7.3: the %s token appears in the logs", name)
		}
	}
	if strings.Contains(logs, good) {
		t.Fatal("behaviour.md §7.3: a token appears in the logs")
	}
	for _, want := range []string{"reason=token-invalid-authorized-parties", "user_id=user_logged", "path=/path",
		"reason=token-invalid-signature", "reason=token-invalid "} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "session-token-missing") {
		t.Error("a request without a token is not a rejection and must not be logged")
	}
}

// behaviour.md §3.7: cookie auth without authorized parties warns once, at
// construction.
func TestRule3_7_CSRFWarningAtConstruction(t *testing.T) {
	e := newRuleEnv(t)
	e.authorizer(t)
	if n := strings.Count(e.logs.String(), "open to CSRF"); n != 1 {
		t.Fatalf("warning count %d, want 1", n)
	}
	e2 := newRuleEnv(t)
	e2.authorizer(t, core.WithAuthorizedParties("https://a.example"))
	e2.authorizer(t, core.WithCookieAuth(false))
	if strings.Contains(e2.logs.String(), "CSRF") {
		t.Fatal("warned although parties are set or cookies are off")
	}
}

// The header cache is bounded and never changes a decision: more distinct
// headers than it holds still verify, and a cached header never vouches for
// a broken token.
func TestHeaderCacheBoundedAndSafe(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithTokenCache(0))
	for i := 0; i < 300; i++ {
		tok := e.iss.Mint(clerktest.Session{}, clerktest.WithKID(fmt.Sprintf("kid-%d", i)))
		if _, err := a.VerifyToken(t.Context(), tok); err != nil {
			t.Fatalf("header %d: %v", i, err)
		}
	}
	good := e.iss.Mint(clerktest.Session{})
	bad := e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature())
	if strings.Split(good, ".")[0] != strings.Split(bad, ".")[0] {
		t.Fatal("test needs the same header on both tokens")
	}
	if _, err := a.VerifyToken(t.Context(), good); err != nil {
		t.Fatal(err)
	}
	if _, err := a.VerifyToken(t.Context(), bad); core.ReasonOf(err) != core.ReasonTokenInvalidSignature {
		t.Fatalf("cached header vouched for a bad signature: %v", err)
	}
}

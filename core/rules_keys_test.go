package core_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// jwksEnv is a fresh issuer (its own JWKS counters) per test.
func jwksEnv(t *testing.T) (*clerktest.Issuer, *clerktest.Clock) {
	t.Helper()
	clk := clerktest.NewClock(time.Time{})
	return clerktest.Start(t, clerktest.WithClock(clk.Now)), clk
}

func jwksAuthorizer(t *testing.T, iss *clerktest.Issuer, clk *clerktest.Clock, opts ...core.Option) *core.Authorizer {
	t.Helper()
	a, err := core.New(append([]core.Option{core.WithJWKSURL(iss.JWKSURL()), core.WithClock(clk.Now), core.WithLogger(quietLogger())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// behaviour.md §2.1: networkless PEM, in every accepted spelling, for any kid.
func TestRule2_1_PEMKey(t *testing.T) {
	e := newRuleEnv(t)
	pemKey := e.iss.PublicKeyPEM()
	block, _ := pem.Decode([]byte(pemKey))
	bare := base64.StdEncoding.EncodeToString(block.Bytes)
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&e.iss.PrivateKey().PublicKey)}))
	for name, k := range map[string]string{
		"PEM": pemKey, "BareBase64": bare, "EscapedNewlines": strings.ReplaceAll(pemKey, "\n", `\n`), "PKCS1": pkcs1,
	} {
		t.Run(name, func(t *testing.T) {
			a, err := core.New(core.WithJWTKey(k), core.WithClock(e.clock.Now), core.WithLogger(quietLogger()))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{}, clerktest.WithKID("any-kid-at-all"))); err != nil {
				t.Fatalf("behaviour.md §2.1: %v", err)
			}
			if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("kid", nil))); err != nil {
				t.Fatalf("behaviour.md §2.1 without kid: %v", err)
			}
		})
	}
}

// New validates every option and never touches the network.
func TestNew_Validation(t *testing.T) {
	iss, _ := jwksEnv(t)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	der, _ := x509.MarshalPKIXPublicKey(&small.PublicKey)
	smallPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	cases := map[string][]core.Option{
		"NoKeySource":        {},
		"BadPEM":             {core.WithJWTKey("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----")},
		"EmptyPEM":           {core.WithJWTKey("")},
		"Short1024BitKey":    {core.WithJWTKey(smallPEM)},
		"EmptyJWKSURL":       {core.WithJWKSURL("")},
		"RelativeJWKSURL":    {core.WithJWKSURL("/jwks.json")},
		"FTPJWKSURL":         {core.WithJWKSURL("ftp://x/jwks")},
		"BadAPIURL":          {core.WithJWKSURL(iss.JWKSURL()), core.WithAPIURL("api.clerk.com")},
		"BadSecretKey":       {core.WithSecretKey("pk_test_abc")},
		"SecretKeyWithSpace": {core.WithSecretKey("sk_test_a b")},
		"BadPublishableKey":  {core.WithJWKSURL(iss.JWKSURL()), core.WithPublishableKey("pk_test_@@@")},
		"NegativeSkew":       {core.WithJWKSURL(iss.JWKSURL()), core.WithClockSkew(-time.Second)},
		"HugeSkew":           {core.WithJWKSURL(iss.JWKSURL()), core.WithClockSkew(time.Hour)},
		"NilClock":           {core.WithJWKSURL(iss.JWKSURL()), core.WithClock(nil)},
		"NilLogger":          {core.WithJWKSURL(iss.JWKSURL()), core.WithLogger(nil)},
		"NilHTTPClient":      {core.WithJWKSURL(iss.JWKSURL()), core.WithHTTPClient(nil)},
		"NilObserver":        {core.WithJWKSURL(iss.JWKSURL()), core.WithObserver(nil)},
		"EmptyParty":         {core.WithJWKSURL(iss.JWKSURL()), core.WithAuthorizedParties("https://a", " ")},
		"BadIssuer":          {core.WithJWKSURL(iss.JWKSURL()), core.WithIssuer("clerk.example")},
		"NegativeCache":      {core.WithJWKSURL(iss.JWKSURL()), core.WithTokenCache(-1)},
		"NegativeRefresh":    {core.WithJWKSURL(iss.JWKSURL()), core.WithJWKSRefresh(core.JWKSRefresh{MaxWait: -1})},
		"TinyMaxTokenSize":   {core.WithJWKSURL(iss.JWKSURL()), core.WithMaxTokenSize(10)},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := core.New(opts...); !errors.Is(err, core.ErrConfig) {
				t.Fatalf("New = %v, want an error wrapping ErrConfig", err)
			}
		})
	}
	t.Run("NoNetworkInNew", func(t *testing.T) {
		if _, err := core.New(core.WithJWKSURL(iss.JWKSURL()), core.WithLogger(quietLogger())); err != nil {
			t.Fatal(err)
		}
		if _, err := core.New(core.WithSecretKey(iss.SecretKey()), core.WithAPIURL(iss.APIURL()), core.WithLogger(quietLogger())); err != nil {
			t.Fatal(err)
		}
		if n := iss.JWKSRequests(); n != 0 {
			t.Fatalf("New fetched the JWKS %d times", n)
		}
	})
	t.Run("BootsWhileClerkUnreachable", func(t *testing.T) {
		if _, err := core.New(core.WithJWKSURL("http://127.0.0.1:1/jwks.json"), core.WithLogger(quietLogger())); err != nil {
			t.Fatalf("New must not need the network: %v", err)
		}
	})
}

// NewFromEnv reads the documented variables.
func TestNewFromEnv(t *testing.T) {
	e := newRuleEnv(t)
	t.Setenv(core.EnvJWTKey, e.iss.PublicKeyPEM())
	t.Setenv(core.EnvAuthorizedParties, " https://a.example , ,https://b.example ")
	t.Setenv(core.EnvPublishableKey, e.iss.PublishableKey())
	t.Setenv(core.EnvSecretKey, "")
	a, err := core.NewFromEnv(core.WithClock(e.clock.Now), core.WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{AuthorizedParty: "https://b.example"})); err != nil {
		t.Fatalf("trimmed party b: %v", err)
	}
	if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{AuthorizedParty: "https://c.example"})); !errors.Is(err, core.ErrTokenInvalidAuthorizedParties) {
		t.Fatalf("party c: %v", err)
	}
	if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{AuthorizedParty: "https://a.example",
		Claims: map[string]any{"iss": "https://x.example"}})); !errors.Is(err, core.ErrTokenInvalidIssuer) {
		t.Fatalf("issuer from CLERK_PUBLISHABLE_KEY not enforced: %v", err)
	}
	t.Setenv(core.EnvJWTKey, "")
	if _, err := core.NewFromEnv(); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("no key in env: %v", err)
	}
}

// behaviour.md §2.2: Backend API JWKS with the secret key as bearer.
func TestRule2_2_BackendAPIJWKS(t *testing.T) {
	iss, clk := jwksEnv(t)
	a, err := core.New(core.WithSecretKey(iss.SecretKey()), core.WithAPIURL(iss.APIURL()), core.WithClock(clk.Now), core.WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
		t.Fatalf("behaviour.md §2.2: %v", err)
	}
	wrong, _ := core.New(core.WithSecretKey("sk_test_wrong_secret"), core.WithAPIURL(iss.APIURL()), core.WithClock(clk.Now), core.WithLogger(quietLogger()))
	_, err = wrong.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}))
	if p := core.ProblemFor(err); p.Status != http.StatusServiceUnavailable || p.Reason != core.ReasonJWKRemoteFailedToLoad {
		t.Fatalf("behaviour.md §2.5: wrong secret key gave %d %s", p.Status, p.Reason)
	}
}

// behaviour.md §2.4, 2.5: caching, outages, unknown kids.
func TestRule2_4_KeyHandling(t *testing.T) {
	t.Run("DownBeforeWarmUp503", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		iss.SetJWKSDown(true)
		a := jwksAuthorizer(t, iss, clk)
		_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}))
		if p := core.ProblemFor(err); p.Status != 503 || p.Reason != core.ReasonJWKRemoteFailedToLoad {
			t.Fatalf("behaviour.md §2.5: %d %s", p.Status, p.Reason)
		}
	})
	t.Run("DownAfterWarmUpCachedKeysVerify", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk, core.WithTokenCache(0))
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
		iss.SetJWKSDown(true)
		clk.Advance(2 * time.Hour) // past the TTL: a background refresh fails
		for i := 0; i < 3; i++ {
			if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
				t.Fatalf("behaviour.md §2.4: cached keys must keep verifying: %v", err)
			}
		}
	})
	t.Run("UnknownKidAfterRefresh", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk)
		_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithKID("ins_unknown")))
		if !errors.Is(err, core.ErrJWKKidMismatch) {
			t.Fatalf("behaviour.md §2.5: %v", err)
		}
	})
	t.Run("RotationPickedUp", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk)
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
		if err := iss.Rotate(false); err != nil {
			t.Fatal(err)
		}
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatalf("behaviour.md §2.4: new kid must trigger one refetch: %v", err)
		}
		if n := iss.JWKSRequests(); n != 2 {
			t.Fatalf("JWKS requests = %d, want 2", n)
		}
	})
	t.Run("KidStormBounded", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk, core.WithJWKSRefresh(core.JWKSRefresh{MaxWait: 300 * time.Millisecond}))
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
		iss.SetJWKSDelay(100 * time.Millisecond)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var slowest time.Duration
		for i := 0; i < 200; i++ {
			tok := iss.Mint(clerktest.Session{}, clerktest.WithKID(fmt.Sprintf("forged-%d", i)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				_, err := a.VerifyToken(context.Background(), tok)
				d := time.Since(start)
				mu.Lock()
				slowest = max(slowest, d)
				mu.Unlock()
				if r := core.ReasonOf(err); r != core.ReasonJWKKidMismatch && r != core.ReasonJWKRemoteFailedToLoad {
					t.Errorf("forged kid: %v", err)
				}
			}()
		}
		wg.Wait()
		if n := iss.JWKSRequests(); n > 3 {
			t.Fatalf("behaviour.md §2.4: %d JWKS requests for a forged-kid storm (1 warm-up + at most 2)", n)
		}
		if slowest > 2*time.Second {
			t.Fatalf("behaviour.md §2.4: a request waited %s", slowest)
		}
	})
	t.Run("SlowJWKSBoundedByMaxWait", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		iss.SetJWKSDelay(2 * time.Second)
		a := jwksAuthorizer(t, iss, clk, core.WithJWKSRefresh(core.JWKSRefresh{MaxWait: 100 * time.Millisecond}))
		start := time.Now()
		_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}))
		if !errors.Is(err, core.ErrJWKRemoteFailedToLoad) || time.Since(start) > time.Second {
			t.Fatalf("behaviour.md §2.4: %v after %s", err, time.Since(start))
		}
	})
	t.Run("RequestContextBoundsWait", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		iss.SetJWKSDelay(2 * time.Second)
		a := jwksAuthorizer(t, iss, clk)
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := a.VerifyToken(ctx, iss.Mint(clerktest.Session{}))
		if !errors.Is(err, core.ErrJWKRemoteFailedToLoad) || time.Since(start) > time.Second {
			t.Fatalf("behaviour.md §2.4: %v after %s", err, time.Since(start))
		}
	})
	t.Run("TTLRefreshInBackground", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk, core.WithTokenCache(0), core.WithJWKSRefresh(core.JWKSRefresh{TTL: time.Minute}))
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Minute)
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Second)
		for iss.JWKSRequests() < 2 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := iss.JWKSRequests(); n != 2 {
			t.Fatalf("stale key set not refreshed: %d requests", n)
		}
	})
	t.Run("RecoversAfterOutage", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		iss.SetJWKSDown(true)
		a := jwksAuthorizer(t, iss, clk, core.WithJWKSRefresh(core.JWKSRefresh{RetryInterval: time.Second}))
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); !errors.Is(err, core.ErrJWKRemoteFailedToLoad) {
			t.Fatal(err)
		}
		iss.SetJWKSDown(false)
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); !errors.Is(err, core.ErrJWKRemoteFailedToLoad) {
			t.Fatalf("within the retry interval requests fail fast: %v", err)
		}
		clk.Advance(2 * time.Second)
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatalf("after the retry interval: %v", err)
		}
	})
}

package core_test

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// This file tests key handling under attack (behaviour.md §2.6): no key fetch
// follows a redirect, remote keys require a kid, and only signing keys of the
// RS* family verify.

// testJWK is pub as a JWK under kid; use and alg are left out when empty.
func testJWK(kid, use, alg string, pub *rsa.PublicKey) map[string]string {
	b64 := base64.RawURLEncoding.EncodeToString
	m := map[string]string{"kty": "RSA", "kid": kid, "n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())}
	if use != "" {
		m["use"] = use
	}
	if alg != "" {
		m["alg"] = alg
	}
	return m
}

// serveTestJWKS serves a fixed JWKS holding keys and returns its URL.
func serveTestJWKS(t *testing.T, keys ...map[string]string) string {
	t.Helper()
	body, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/.well-known/jwks.json"
}

// recordingServer counts its requests and those that carried an
// Authorization header.
type recordingServer struct {
	*httptest.Server
	hits, withAuth atomic.Int64
}

func newRecordingServer(t *testing.T, h http.Handler) *recordingServer {
	t.Helper()
	rs := &recordingServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			rs.withAuth.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(rs.Close)
	return rs
}

// behaviour.md §2.6: a redirect answer to a key fetch is a fetch failure; the
// secret key is sent to the configured URL only.
func TestKeyFetchNeverFollowsRedirects(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run("JWKSURL/"+http.StatusText(status), func(t *testing.T) {
			iss, clk := jwksEnv(t)
			redirector := newRecordingServer(t, http.RedirectHandler(iss.JWKSURL(), status))
			a := jwksAuthorizer(t, iss, clk, core.WithJWKSURL(redirector.URL+"/.well-known/jwks.json"))
			_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}))
			if p := core.ProblemFor(err); p.Status != http.StatusServiceUnavailable || p.Reason != core.ReasonJWKRemoteFailedToLoad {
				t.Fatalf("a JWKS URL answering a redirect must be a key fetch failure (503 jwk-remote-failed-to-load, behaviour.md §2.6); got %d %s (%v)", p.Status, p.Reason, err)
			}
			if n := iss.JWKSRequests(); n != 0 {
				t.Fatalf("the redirect target was fetched %d times; no key fetch may follow a redirect (behaviour.md §2.6)", n)
			}
		})
		t.Run("SecretKey/"+http.StatusText(status), func(t *testing.T) {
			iss, clk := jwksEnv(t)
			// The trap is the same host on another port, as an attacker who
			// controls a redirect would choose.
			trap := newRecordingServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(iss.JWKS())
			}))
			api := newRecordingServer(t, http.RedirectHandler(trap.URL+"/v1/jwks", status))
			a, err := core.New(core.WithSecretKey(iss.SecretKey()), core.WithAPIURL(api.URL), core.WithClock(clk.Now), core.WithLogger(quietLogger()))
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}))
			if p := core.ProblemFor(err); p.Status != http.StatusServiceUnavailable || p.Reason != core.ReasonJWKRemoteFailedToLoad {
				t.Fatalf("a Backend API JWKS answering a redirect must be a key fetch failure (503 jwk-remote-failed-to-load, behaviour.md §2.6); got %d %s (%v)", p.Status, p.Reason, err)
			}
			if api.withAuth.Load() != 1 {
				t.Fatalf("the configured Backend API saw %d authorized requests, want 1", api.withAuth.Load())
			}
			if n := trap.hits.Load(); n != 0 {
				t.Fatalf("the redirect target received %d requests (%d with the secret key); the secret key is sent to the configured URL only (behaviour.md §2.6)", n, trap.withAuth.Load())
			}
		})
	}
}

// behaviour.md §2.6: with remote keys a token must carry a kid; a networkless
// PEM key serves any kid, or none (§2.1).
func TestRemoteKeysRequireKid(t *testing.T) {
	iss, clk := jwksEnv(t)
	sources := map[string]core.Option{
		"JWKSURL":   core.WithJWKSURL(iss.JWKSURL()),
		"SecretKey": core.WithSecretKey(iss.SecretKey()),
	}
	tokens := map[string]string{
		"NoKid":    iss.Mint(clerktest.Session{}, clerktest.WithHeader("kid", nil)),
		"EmptyKid": iss.Mint(clerktest.Session{}, clerktest.WithKID("")),
	}
	for srcName, src := range sources {
		for tokName, tok := range tokens {
			t.Run(srcName+"/"+tokName, func(t *testing.T) {
				a, err := core.New(src, core.WithAPIURL(iss.APIURL()), core.WithClock(clk.Now), core.WithLogger(quietLogger()))
				if err != nil {
					t.Fatal(err)
				}
				before := iss.JWKSRequests()
				for i := range 3 {
					if _, err := a.VerifyToken(t.Context(), tok); core.ReasonOf(err) != core.ReasonJWKKidMismatch {
						t.Fatalf("use %d: with remote keys a token without a kid must be rejected jwk-kid-mismatch (behaviour.md §2.6); got %v", i, err)
					}
				}
				if n := iss.JWKSRequests() - before; n != 0 {
					t.Fatalf("a token without a kid cost %d JWKS fetches; it can never match a key, so it must cost none", n)
				}
			})
		}
	}
	t.Run("PEM/NoKid", func(t *testing.T) {
		a, err := core.New(core.WithJWTKey(iss.PublicKeyPEM()), core.WithClock(clk.Now), core.WithLogger(quietLogger()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.VerifyToken(t.Context(), tokens["NoKid"]); err != nil {
			t.Fatalf("a networkless PEM key verifies a token without a kid (behaviour.md §2.1): %v", err)
		}
	})
}

// behaviour.md §2.6: a JWK whose use is present and not sig, or whose alg is
// present and not RS256/RS384/RS512, never verifies, whatever the token's
// kid.
func TestJWKUseAndAlgRestrictVerification(t *testing.T) {
	iss, clk := jwksEnv(t)
	pub := &iss.PrivateKey().PublicKey
	rows := []struct {
		name     string
		use, alg string
		usable   bool
	}{
		{"NoUseNoAlg", "", "", true},
		{"SigRS256", "sig", "RS256", true},
		{"SigRS384", "sig", "RS384", true},
		{"SigRS512", "sig", "RS512", true},
		{"NoUseRS256", "", "RS256", true},
		{"Enc", "enc", "", false},
		{"EncRS256", "enc", "RS256", false},
		{"UseUpperCaseSIG", "SIG", "RS256", false},
		{"UseOther", "other", "", false},
		{"AlgPS256", "sig", "PS256", false},
		{"AlgHS256", "sig", "HS256", false},
		{"AlgNone", "", "none", false},
		{"AlgLowerCase", "sig", "rs256", false},
		{"AlgRSAOAEP", "", "RSA-OAEP", false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			// An ordinary signing key under another kid lets the set load, so
			// the row's key is judged on its own.
			url := serveTestJWKS(t, testJWK("anchor", "sig", "RS256", pub), testJWK("candidate", row.use, row.alg, pub))
			a := jwksAuthorizer(t, iss, clk, core.WithJWKSURL(url))
			for _, alg := range []string{"RS256", "RS384", "RS512"} {
				_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithKID("candidate"), clerktest.WithAlg(alg)))
				switch {
				case row.usable && err != nil:
					t.Fatalf("%s: a JWK with use %q and alg %q is a signing key of the RS* family and must verify: %v", alg, row.use, row.alg, err)
				case !row.usable && core.ReasonOf(err) != core.ReasonJWKKidMismatch:
					t.Fatalf("%s: a JWK with use %q and alg %q must never verify (behaviour.md §2.6: it is ignored, so its kid is jwk-kid-mismatch); got %v", alg, row.use, row.alg, err)
				}
			}
		})
	}
	t.Run("OnlyUnusableKeysIsAFetchFailure", func(t *testing.T) {
		url := serveTestJWKS(t, testJWK("candidate", "enc", "", pub))
		a := jwksAuthorizer(t, iss, clk, core.WithJWKSURL(url))
		_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithKID("candidate")))
		if core.ReasonOf(err) != core.ReasonJWKRemoteFailedToLoad {
			t.Fatalf("a JWKS without a single usable signing key yields no keys at all (503 jwk-remote-failed-to-load, behaviour.md §2.5); got %v", err)
		}
	})
}

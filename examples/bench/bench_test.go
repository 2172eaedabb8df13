package bench

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// One table, same tokens, same machine:
//
//	go test -run '^$' -bench . -benchmem -count 6 | tee /tmp/bench.txt
//	benchstat /tmp/bench.txt
//	awk -f ratios.awk /tmp/bench.txt
//
// Fresh: every request verifies the signature (clerkguard's verified-token
// cache is off; the peers have no such cache). Repeated: the same token
// again, clerkguard's default configuration. Permission: a v2 org token and
// the check "org:invoices:create". Every handler case starts with one
// warm-up request (keys loaded, caches filled), then times ServeHTTP with a
// fresh httptest.ResponseRecorder per request, checks every status, and
// fails if the Issuer saw a JWKS request during the timed loop.

// runHandler times h serving req.
func runHandler(b *testing.B, e *Env, h http.Handler, token string, want int) {
	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if rec := serve(h, req); rec.Code != want {
		b.Fatalf("warm-up: status %d, want %d", rec.Code, want)
	}
	fetches := e.Issuer.JWKSRequests()
	b.ReportAllocs()
	for b.Loop() { // b.Loop resets the timer: the warm-up is not timed
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("status %d, want %d", rec.Code, want)
		}
	}
	if n := e.Issuer.JWKSRequests() - fetches; n != 0 {
		b.Fatalf("%d JWKS requests during the timed loop", n)
	}
}

// runCore times the core Authorizer alone: no HTTP handler, no recorder.
func runCore(b *testing.B, e *Env, a *core.Authorizer, token, perm string) {
	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	check := func() {
		c, err := a.AuthenticateHTTP(req)
		if err != nil {
			b.Fatal(err)
		}
		if perm != "" && !c.HasPermission(perm) {
			b.Fatalf("permission %s not granted", perm)
		}
	}
	check()
	fetches := e.Issuer.JWKSRequests()
	b.ReportAllocs()
	for b.Loop() {
		check()
	}
	if n := e.Issuer.JWKSRequests() - fetches; n != 0 {
		b.Fatalf("%d JWKS requests during the timed loop", n)
	}
}

// handlers builds the HTTP contestants for one benchmark; perm is "" for
// authentication only.
func handlers(b *testing.B, e *Env, perm string, guardOpts ...core.Option) map[string]http.Handler {
	b.Helper()
	cg, err := e.Clerkguard(perm, guardOpts...)
	if err != nil {
		b.Fatal(err)
	}
	a0, err := e.Auth0(perm)
	if err != nil {
		b.Fatal(err)
	}
	return map[string]http.Handler{"clerkguard-chi": cg, "clerk-sdk-go": e.ClerkSDK(perm), "auth0": a0}
}

func authorizer(b *testing.B, e *Env, opts ...core.Option) *core.Authorizer {
	b.Helper()
	a, err := e.Authorizer(opts...)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkFresh: a token seen for the first time, so a full verification
// every request; raw-rsa is the floor (SHA-256 and rsa.VerifyPKCS1v15 of
// the same token, nothing else).
func BenchmarkFresh(b *testing.B) {
	e := newEnv(b)
	hs := handlers(b, e, "", core.WithTokenCache(0))
	a := authorizer(b, e, core.WithTokenCache(0))
	for _, name := range []string{"clerkguard-chi", "clerk-sdk-go", "auth0"} {
		b.Run(name, func(b *testing.B) { runHandler(b, e, hs[name], e.UserToken, http.StatusOK) })
	}
	b.Run("clerkguard-core", func(b *testing.B) { runCore(b, e, a, e.UserToken, "") })
	b.Run("raw-rsa", func(b *testing.B) { rawRSA(b, e, e.UserToken) })
}

// BenchmarkRepeated: the same token again, each contestant in its default
// configuration (clerkguard's verified-token cache on); no-auth is the
// handler and recorder alone, the floor of every handler case.
func BenchmarkRepeated(b *testing.B) {
	e := newEnv(b)
	hs := handlers(b, e, "")
	a := authorizer(b, e)
	for _, name := range []string{"clerkguard-chi", "clerk-sdk-go", "auth0"} {
		b.Run(name, func(b *testing.B) { runHandler(b, e, hs[name], e.UserToken, http.StatusOK) })
	}
	b.Run("clerkguard-core", func(b *testing.B) { runCore(b, e, a, e.UserToken, "") })
	b.Run("no-auth", func(b *testing.B) { runHandler(b, e, NoAuth(), "", http.StatusOK) })
}

// BenchmarkPermission: "org:invoices:create" on a v2 org token (fea, o.per,
// o.fpm). clerkguard-chi is Middleware + RequirePermission with the default
// cache (a repeated token), clerkguard-chi-fresh the same with the cache off;
// clerk-sdk-go decodes v2 permissions itself (SessionClaims.HasPermission);
// auth0 decodes nothing Clerk-specific, so its handler runs this package's
// ClerkClaims.HasPermission on custom claims.
func BenchmarkPermission(b *testing.B) {
	e := newEnv(b)
	hs := handlers(b, e, Permission)
	fresh, err := e.Clerkguard(Permission, core.WithTokenCache(0))
	if err != nil {
		b.Fatal(err)
	}
	hs["clerkguard-chi-fresh"] = fresh
	a := authorizer(b, e)
	for _, name := range []string{"clerkguard-chi", "clerkguard-chi-fresh", "clerk-sdk-go", "auth0"} {
		b.Run(name, func(b *testing.B) { runHandler(b, e, hs[name], e.OrgToken, http.StatusOK) })
	}
	b.Run("clerkguard-core", func(b *testing.B) { runCore(b, e, a, e.OrgToken, Permission) })
}

// rawRSA times SHA-256 of the signing input plus rsa.VerifyPKCS1v15.
func rawRSA(b *testing.B, e *Env, token string) {
	i := strings.LastIndexByte(token, '.')
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	pub := &e.Issuer.PrivateKey().PublicKey
	signing := token[:i]
	b.ReportAllocs()
	for b.Loop() {
		h := sha256.Sum256([]byte(signing))
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

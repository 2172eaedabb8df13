package bench

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	jwtmiddleware "github.com/auth0/go-jwt-middleware/v2"
	"github.com/auth0/go-jwt-middleware/v2/validator"
	"github.com/clerk/clerk-sdk-go/v2"
	clerkhttp "github.com/clerk/clerk-sdk-go/v2/http"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	jose "gopkg.in/go-jose/go-jose.v2"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
)

// writeUser is the body of the trivial handler every contestant wraps.
func writeUser(w http.ResponseWriter, userID string) { _, _ = io.WriteString(w, userID) }

// NoAuth is the trivial handler without authentication: 200 and
// "anonymous". It is the baseline of the load run.
func NoAuth() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeUser(w, "anonymous") })
}

// Authorizer returns a core Authorizer trusting e's Issuer (its JWKS URL and
// issuer), accepting Party, with a silent logger; opts are applied last
// (core.WithTokenCache(0) turns the verified-token cache off).
func (e *Env) Authorizer(opts ...core.Option) (*core.Authorizer, error) {
	base := append(e.Issuer.AuthorizerOptions(),
		core.WithAuthorizedParties(Party),
		core.WithLogger(slog.New(slog.DiscardHandler)))
	return core.New(append(base, opts...)...)
}

// Clerkguard returns clerkchi.Middleware followed by clerkchi.RequireAuth,
// or clerkchi.RequirePermission(perm) when perm is not empty, around the
// trivial handler. No router is involved: the peers are plain middleware
// too. opts configure the Authorizer (see Authorizer).
func (e *Env) Clerkguard(perm string, opts ...core.Option) (http.Handler, error) {
	a, err := e.Authorizer(opts...)
	if err != nil {
		return nil, err
	}
	guard := clerkchi.RequireAuth()
	if perm != "" {
		guard = clerkchi.RequirePermission(perm)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		writeUser(w, c.UserID())
	})
	return clerkchi.Middleware(a)(guard(h)), nil
}

// ClerkSDK returns clerk-sdk-go's http.WithHeaderAuthorization around the
// trivial handler, configured as its documentation suggests for one
// instance: a jwks.Client pointed at e's Issuer (the Backend API's /v1/jwks
// with the secret key), AuthorizedPartyMatches(Party) and a leeway of Skew.
// The middleware lets requests without valid claims through, so the handler
// answers 401 itself when clerk.SessionClaimsFromContext finds none, and 403
// when perm is not empty and SessionClaims.HasPermission(perm) is false.
//
// The SDK caches JWKs by kid for an hour in a package-level cache: the first
// request fetches the key set, later ones do not (JWKSRequests proves it).
func (e *Env) ClerkSDK(perm string) http.Handler {
	jc := jwks.NewClient(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
		HTTPClient: &http.Client{Timeout: 5 * time.Second},
		URL:        clerk.String(e.Issuer.APIURL() + "/v1"),
		Key:        clerk.String(e.Issuer.SecretKey()),
	}})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := clerk.SessionClaimsFromContext(r.Context())
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if perm != "" && !c.HasPermission(perm) {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		writeUser(w, c.Subject)
	})
	return clerkhttp.WithHeaderAuthorization(
		clerkhttp.JWKSClient(jc),
		clerkhttp.AuthorizedPartyMatches(Party),
		clerkhttp.Leeway(Skew),
	)(h)
}

// Auth0 returns go-jwt-middleware/v2's CheckJWT around the trivial handler:
// validator.New with RS256, e's issuer, the audience Audience, a leeway of
// Skew and ClerkClaims as custom claims (which check azp), and a key
// function over a keyfunc/v3 key set loaded from e's JWKS URL. The
// validator's key function receives no token, so it hands go-jose the whole
// key set and go-jose picks the key by kid.
//
// With perm not empty the handler answers 403 unless
// ClerkClaims.HasPermission(perm): go-jwt-middleware knows nothing about
// Clerk, so the v2 permissions are decoded by this package's own code, as a
// user of that library would have to.
func (e *Env) Auth0(perm string) (http.Handler, error) {
	kf, err := keyfunc.NewDefaultCtx(e.ctx, []string{e.Issuer.JWKSURL()})
	if err != nil {
		return nil, err
	}
	keys := func(ctx context.Context) (any, error) { return joseKeySet(ctx, kf.Storage()) }
	v, err := validator.New(keys, validator.RS256, e.Issuer.IssuerURL(), []string{Audience},
		validator.WithCustomClaims(func() validator.CustomClaims { return &ClerkClaims{} }),
		validator.WithAllowedClockSkew(Skew))
	if err != nil {
		return nil, err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vc, ok := r.Context().Value(jwtmiddleware.ContextKey{}).(*validator.ValidatedClaims)
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if perm != "" {
			cc, _ := vc.CustomClaims.(*ClerkClaims)
			if !cc.HasPermission(perm) {
				w.WriteHeader(http.StatusForbidden)
				return
			}
		}
		writeUser(w, vc.RegisteredClaims.Subject)
	})
	return jwtmiddleware.New(v.ValidateToken).CheckJWT(h), nil
}

// joseKeySet converts the keys of a keyfunc/v3 storage into the go-jose v2
// key set go-jwt-middleware/v2's validator understands.
func joseKeySet(ctx context.Context, s jwkset.Storage) (*jose.JSONWebKeySet, error) {
	all, err := s.KeyReadAll(ctx)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, errors.New("bench: the key set is empty")
	}
	set := &jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(all))}
	for _, k := range all {
		m := k.Marshal()
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.Key(), KeyID: m.KID,
			Algorithm: string(m.ALG), Use: string(m.USE)})
	}
	return set, nil
}

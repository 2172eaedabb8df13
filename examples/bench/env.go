package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

const (
	// Party is the authorized party (azp) every contestant is configured to
	// accept, and the azp of every minted token.
	Party = clerktest.DefaultAuthorizedParty
	// Audience is the `aud` claim added to every minted token.
	// go-jwt-middleware/v2's validator requires a non-empty audience and
	// rejects tokens that do not carry it; Clerk session tokens carry no
	// `aud` unless the session token is customised to add one, so the shared
	// tokens carry it and the other contestants ignore it.
	Audience = "clerkguard-bench"
	// Permission is the v2 org permission checked by the Permission cases.
	Permission = "org:invoices:create"
	// Skew is the clock leeway every contestant is given (clerkguard's
	// default, core.DefaultClockSkew).
	Skew = 5 * time.Second
	// TokenTTL is the lifetime of the minted tokens: long enough for a
	// benchmark run, since go-jwt-middleware/v2 reads the real clock.
	TokenTTL = 2 * time.Hour
)

// kidSeq makes every Issuer's key ID unique in the process: clerk-sdk-go
// caches JWKs by kid in a package-level cache, so two issuers sharing a kid
// would see each other's keys.
var kidSeq atomic.Int64

// Env is one Clerk-like issuer and the tokens every contestant is given.
// It reads the real clock, because go-jwt-middleware/v2 cannot be given
// another one.
type Env struct {
	// Issuer serves the JWKS (and the Backend API's /v1/jwks) and mints
	// tokens.
	Issuer *clerktest.Issuer
	// UserToken is a v2 session token of a user with no active
	// organization.
	UserToken string
	// OrgToken is a v2 session token with an active organization whose
	// permissions, encoded in fea/o.per/o.fpm, include Permission.
	OrgToken string

	ctx    context.Context // ends the key refresh goroutines of peers
	cancel context.CancelFunc
}

// NewEnv starts an Issuer with a fresh key under a process-unique kid and
// mints the shared tokens. Call Close when done.
func NewEnv() (*Env, error) {
	key, err := clerktest.NewKey()
	if err != nil {
		return nil, err
	}
	kid := fmt.Sprintf("ins_bench_%d", kidSeq.Add(1))
	iss, err := clerktest.NewIssuer(clerktest.WithKey(kid, key))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Env{Issuer: iss, ctx: ctx, cancel: cancel}
	e.UserToken = e.Mint(clerktest.Session{UserID: "user_bench"})
	e.OrgToken = e.Mint(clerktest.Session{UserID: "user_bench", OrgID: "org_bench", OrgSlug: "bench",
		OrgRole: "admin", OrgPermissions: []string{Permission, "org:invoices:read", "org:reports:read"}})
	return e, nil
}

// Close stops the Issuer and the peers' key refresh goroutines.
func (e *Env) Close() {
	e.cancel()
	e.Issuer.Close()
}

// Mint mints a session token described by s with the shared conventions:
// the `aud` claim Audience, and a lifetime of TokenTTL unless s.TTL says
// otherwise.
func (e *Env) Mint(s clerktest.Session, opts ...clerktest.MintOption) string {
	if s.TTL == 0 {
		s.TTL = TokenTTL
	}
	claims := map[string]any{"aud": Audience}
	for k, v := range s.Claims {
		claims[k] = v
	}
	s.Claims = claims
	return e.Issuer.Mint(s, opts...)
}

package clerktest

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// DevTokenTTL is how long Dev's tokens stay valid unless a TTL is given:
// eight hours, a working day of trying an API by hand with curl. (Session
// tokens of a real Clerk instance, like Issuer.Mint's default, live one
// minute; the frontend SDK refreshes them.)
const DevTokenTTL = 8 * time.Hour

// MaxDevTokenTTL is the longest TTL Dev mints: a dev token is a bearer
// credential for a throwaway key, and even that should not live for ever.
// Token and MachineToken clamp longer TTLs to it.
const MaxDevTokenTTL = 30 * 24 * time.Hour

// DevIssuerURL is the `iss` of Dev's tokens. Its host ends in .localhost,
// a name that never leaves the machine, so the publishable key Dev derives
// from it cannot be mistaken for a real instance's.
const DevIssuerURL = "https://dev-issuer.clerkguard.localhost"

// Dev is a local Clerk stand-in for development, not for tests: an Issuer
// (embedded, so every Issuer method works) serving its JWKS on loopback and
// minting long-lived tokens to paste into curl. Point an app at it with Env
// (as environment variables, read by core.NewFromEnv) or AuthorizerOptions.
//
// Everything Dev signs is trusted only by an Authorizer configured with its
// JWKS URL or key; never configure a production service that way.
type Dev struct {
	*Issuer
}

// StartDev starts a Dev issuer: a fresh RSA key (or the one given with
// WithKey, so that tokens survive a restart), issuer URL DevIssuerURL, its
// JWKS served on 127.0.0.1 until Close. Options given later win.
func StartDev(opts ...IssuerOption) (*Dev, error) {
	i, err := NewIssuer(append([]IssuerOption{WithIssuerURL(DevIssuerURL)}, opts...)...)
	if err != nil {
		return nil, err
	}
	return &Dev{Issuer: i}, nil
}

// Token mints a session token as Issuer.Mint does, except that a zero TTL
// means DevTokenTTL and a TTL over MaxDevTokenTTL is clamped to it.
func (d *Dev) Token(s Session) string {
	s.TTL = devTTL(s.TTL)
	return d.Mint(s)
}

// MachineToken mints a JWT-format M2M token (Issuer.MintM2M) with Token's
// TTL rules. An Authorizer accepts it with core.WithAcceptsToken(core.M2MToken).
func (d *Dev) MachineToken(m Machine) string {
	m.TTL = devTTL(m.TTL)
	return d.MintM2M(m)
}

func devTTL(ttl time.Duration) time.Duration {
	switch {
	case ttl == 0:
		return DevTokenTTL
	case ttl > MaxDevTokenTTL:
		return MaxDevTokenTTL
	}
	return ttl
}

// Env returns the environment, as NAME=value pairs, that makes
// core.NewFromEnv trust this Dev issuer: CLERK_JWKS_URL (its JWKS on
// loopback), CLERK_PUBLISHABLE_KEY (which sets the expected issuer to
// DevIssuerURL) and CLERK_AUTHORIZED_PARTIES (DefaultAuthorizedParty, the
// azp of its session tokens).
func (d *Dev) Env() []string {
	return []string{
		core.EnvJWKSURL + "=" + d.JWKSURL(),
		core.EnvPublishableKey + "=" + d.PublishableKey(),
		core.EnvAuthorizedParties + "=" + DefaultAuthorizedParty,
	}
}

// DevKID is the kid a Dev issuer started WithKey(DevKID(&key.PublicKey),
// key) publishes: derived from the public key alone, so a token minted from
// the same key file elsewhere (clerkguard mint -key) names the key that
// clerkguard dev -key serves.
func DevKID(pub *rsa.PublicKey) string {
	sum := sha256.Sum256(x509.MarshalPKCS1PublicKey(pub))
	return "dev_" + hex.EncodeToString(sum[:8])
}

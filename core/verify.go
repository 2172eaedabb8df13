package core

import (
	"context"
	"time"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
	"github.com/golang-jwt/jwt/v5"
)

// signingMethods are the only algorithms accepted (behaviour.md §3.3); the signature
// itself is checked by golang-jwt.
var signingMethods = map[string]*jwt.SigningMethodRSA{
	"RS256": jwt.SigningMethodRS256,
	"RS384": jwt.SigningMethodRS384,
	"RS512": jwt.SigningMethodRS512,
}

// verify runs behaviour.md §3 on one token. Order matters: structure, type, algorithm
// and category, then the signature, and only then the claims.
func (a *Authorizer) verify(ctx context.Context, token, source string) (*Claims, bool, TokenType, error) {
	if a.multi != nil {
		return a.multi.verify(ctx, token, source)
	}
	if len(token) > a.cfg.maxTokenSize {
		return nil, false, "", errorf(ReasonTokenInvalid, "token is larger than %d bytes", a.cfg.maxTokenSize)
	}
	// behaviour.md §6.2-6.4: opaque machine tokens, never from cookies, never
	// verified unless accepted.
	if tt, ok := opaqueTokenType(token); ok {
		if !machineTokensFrom(source) || !a.accepts(tt) {
			return nil, false, tt, errorf(ReasonTokenTypeMismatch, "%s is not accepted here", tt)
		}
		c, hit, err := a.backend.verify(ctx, tt, token)
		return c, hit, tt, err
	}
	now := a.cfg.clock()
	if c, ok := a.cache.get(token, now); ok {
		tt := c.TokenType
		c, err := a.useCached(c, source, now)
		return c, true, tt, err
	}
	c, tt, st, err := a.verifyJWT(ctx, token, source)
	if err != nil {
		if tt == "" {
			// Not a machine token, not even a JWT: by behaviour.md §6.2 a (malformed)
			// session token, so where session tokens are not accepted it is
			// refused for its type, unverified (behaviour.md §6.3).
			tt = SessionToken
			if !a.accepts(SessionToken) {
				err = errorf(ReasonTokenTypeMismatch, "%s is not accepted", tt)
			}
		}
		return nil, false, tt, err
	}
	if a.cfg.onVerified == nil {
		a.cache.putVerified(token, c, now, st)
	}
	if err := a.checkClaims(c, now); err != nil {
		return nil, false, tt, err
	}
	if a.cfg.onVerified != nil {
		return a.afterVerified(ctx, token, c, tt, now, st)
	}
	return c, false, tt, nil
}

// verifyJWT runs the stateless part of behaviour.md §3 (3.1–3.6) and decodes the
// claims (behaviour.md §4). The result is safe to cache: checkClaims runs on every use;
// the stamp says which key verified it (behaviour.md §2.7).
func (a *Authorizer) verifyJWT(ctx context.Context, token, source string) (*Claims, TokenType, keyStamp, error) {
	var j jwtdecode.Parts
	if err := splitJWT(&j, token, &a.headers); err != nil {
		return nil, "", keyStamp{}, err
	}
	hdr, p, sub := j.Hdr, &j.P, j.Sub
	typ, typSet, cat, catSet, kid := hdr.Typ, hdr.TypSet, hdr.Cat, hdr.CatSet, hdr.Kid

	// behaviour.md §6.2/6.3: detect the token type; a type not accepted is refused
	// without verifying it. Machine tokens are never read from cookies.
	tt := jwtTokenType(&j)
	if (tt != SessionToken && !machineTokensFrom(source)) || !a.accepts(tt) {
		return nil, tt, keyStamp{}, errorf(ReasonTokenTypeMismatch, "%s is not accepted", tt)
	}
	// behaviour.md §3.2: typ absent or JWT (OAuth access tokens: at+jwt, behaviour.md §6.4).
	if typSet && typ != "JWT" && !(tt == OAuthToken && jwtdecode.IsOAuthTyp(typ)) {
		return nil, tt, keyStamp{}, errorf(ReasonTokenInvalid, "header typ %q is not JWT", truncate(typ))
	}
	// behaviour.md §3.3: RS256, RS384, RS512 only.
	alg := hdr.Alg
	method, ok := signingMethods[alg]
	if !ok {
		return nil, tt, keyStamp{}, errorf(ReasonTokenInvalidAlgorithm, "algorithm %q is not allowed", truncate(alg))
	}
	// behaviour.md §3.4: session or ignore category only for session tokens; the
	// M2M category for M2M tokens.
	if catSet && !catAllowed(tt, cat) {
		return nil, tt, keyStamp{}, errorf(ReasonTokenTypeMismatch, "token category %q is not a session token", truncate(cat))
	}
	// behaviour.md §12.4: an issuer that is not accepted is refused before
	// any key is looked up or fetched.
	if tt == SessionToken && len(a.issuers) > 0 {
		if iss := j.UnverifiedIssuer(); !a.issuerAccepted(iss) {
			return nil, tt, keyStamp{}, errorf(ReasonTokenInvalidIssuer, "iss %q is not an accepted issuer", truncate(iss))
		}
	}
	// behaviour.md §3.5: signature.
	key, gen, err := a.keys.key(ctx, kid, alg)
	if err != nil {
		return nil, tt, keyStamp{}, err
	}
	signingString := token[:len(j.H64)+1+len(j.P64)]
	if method.Verify(signingString, j.Sig, key) != nil {
		return nil, tt, keyStamp{}, errorf(ReasonTokenInvalidSignature, "signature does not verify")
	}
	// behaviour.md §3.6, 3.9: typed claims, string sub, numeric exp.
	if j.DecodeErr != nil {
		return nil, tt, keyStamp{}, newError(ReasonTokenVerificationFailed, "a claim has the wrong type", j.DecodeErr)
	}
	if !j.SubOK || sub == "" {
		return nil, tt, keyStamp{}, errorf(ReasonTokenVerificationFailed, "sub is missing, empty or not a string")
	}
	if !p.Exp.Set {
		return nil, tt, keyStamp{}, &Error{Reason: ReasonTokenVerificationFailed, Detail: "exp is missing", subject: sub}
	}
	st := keyStamp{kid: kid, key: key, gen: gen}
	if tt != SessionToken {
		return machineClaims(p, tt, j.PayJSON, sub), tt, st, nil
	}
	return sessionClaims(p, j.PayJSON, sub), tt, st, nil
}

// useCached applies the checks a cached token still needs (the cache is
// keyed by the token alone: the source rules of behaviour.md §1.2 still
// apply, a machine JWT first seen in the header must not pass when it comes
// back in the cookie) and returns its claims, or nil and the error.
func (a *Authorizer) useCached(c *Claims, source string, now time.Time) (*Claims, error) {
	if !machineTokensFrom(source) && c.TokenType != SessionToken {
		return nil, errorf(ReasonTokenTypeMismatch, "%s is not accepted from %s", c.TokenType, source)
	}
	if err := a.checkClaims(c, now); err != nil {
		return nil, err
	}
	return c, nil
}

// catAllowed reports whether header category cat fits token type tt.
func catAllowed(tt TokenType, cat string) bool {
	switch tt {
	case SessionToken:
		return cat == catSession || cat == catIgnore
	case M2MToken:
		return cat == catM2M
	}
	return true // OAuth access tokens are recognised by typ; cat is not Clerk's session category system
}

// checkClaims runs the checks that depend on configuration and time (behaviour.md
// §3.7–3.10). They run on every use, cached or not.
func (a *Authorizer) checkClaims(c *Claims, now time.Time) error {
	return a.checkClaimsSkew(c, now, a.cfg.skew)
}

// checkClaimsSkew is checkClaims with the clock skew skew.
func (a *Authorizer) checkClaimsSkew(c *Claims, now time.Time, skew time.Duration) error {
	fail := func(r Reason, detail string) error {
		return &Error{Reason: r, Detail: detail, subject: c.Subject}
	}
	// behaviour.md §3.12: audience, for every JWT, when configured.
	if err := a.checkAudience(c); err != nil {
		return err
	}
	if c.TokenType != SessionToken {
		return a.checkTimes(c, now, skew, fail)
	}
	// behaviour.md §3.7: authorized parties, exact match.
	if len(a.cfg.parties) > 0 {
		found := false
		for _, p := range a.cfg.parties {
			if c.AuthorizedParty == p {
				found = true
				break
			}
		}
		if !found || c.AuthorizedParty == "" {
			return fail(ReasonTokenInvalidAuthorizedParties, "azp "+quote(truncate(c.AuthorizedParty))+" is not an authorized party")
		}
	}
	// behaviour.md §3.8, 12.3: issuer, exact match, when configured or derived.
	if !a.issuerAccepted(c.Issuer) {
		return fail(ReasonTokenInvalidIssuer, "iss "+quote(truncate(c.Issuer))+" is not an accepted issuer")
	}
	if err := a.checkTimes(c, now, skew, fail); err != nil {
		return err
	}
	// behaviour.md §3.10: pending sessions.
	if c.SessionStatus == "pending" && !a.cfg.acceptPending {
		return fail(ReasonSessionPending, "session is pending")
	}
	return nil
}

// checkTimes implements behaviour.md §3.9: exp, nbf and iat with the clock skew.
func (a *Authorizer) checkTimes(c *Claims, now time.Time, skew time.Duration, fail func(Reason, string) error) error {
	if !c.Expiry.After(now.Add(-skew)) {
		return fail(ReasonTokenExpired, "expired at "+c.Expiry.UTC().Format(time.RFC3339))
	}
	if !c.NotBefore.IsZero() && c.NotBefore.After(now.Add(skew)) {
		return fail(ReasonTokenNotActiveYet, "not before "+c.NotBefore.UTC().Format(time.RFC3339))
	}
	if !c.IssuedAt.IsZero() && c.IssuedAt.After(now.Add(skew)) {
		return fail(ReasonTokenIatInTheFuture, "issued at "+c.IssuedAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// truncate bounds attacker-controlled values echoed into log details.
func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

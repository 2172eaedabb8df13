package core

import "github.com/clerkguard/clerkguard/core/internal/jwtdecode"

// This file builds Claims from what the decoding layer (internal/jwtdecode,
// shared with the clerkguard inspector) reads from a token (behaviour.md
// §3.1, 3.11, 4). Known claims are strictly typed there: a wrong-typed known
// claim makes the token fail with token-verification-failed (behaviour.md
// §3.9); azp and iss are only compared with configured values (behaviour.md
// §3.7/3.8). Unknown claims are ignored and stay reachable through
// Claims.Raw.

// splitJWT is jwtdecode's Parts.Split, its structural error reported as the
// token-invalid *Error of behaviour.md §3.1.
func splitJWT(j *jwtdecode.Parts, token string, hc *jwtdecode.HeaderCache) error {
	if err := j.Split(token, hc); err != nil {
		return malformedToken(err)
	}
	return nil
}

// malformedToken is the token-invalid *Error of a *jwtdecode.MalformedError.
func malformedToken(err error) *Error {
	return &Error{Reason: ReasonTokenInvalid, Detail: err.Error()}
}

// sessionClaims builds the Claims of a session token from a decoded payload.
func sessionClaims(p *jwtdecode.Payload, raw []byte, sub string) *Claims {
	s := p.Session()
	return &Claims{
		TokenType:             SessionToken,
		Subject:               sub,
		SessionID:             s.SessionID,
		AuthorizedParty:       s.AuthorizedParty,
		Issuer:                s.Issuer,
		IssuedAt:              s.IssuedAt,
		NotBefore:             s.NotBefore,
		Expiry:                s.Expiry,
		SessionStatus:         s.SessionStatus,
		FactorVerificationAge: s.FactorVerificationAge,
		Actor:                 (*Actor)(s.Actor),
		Version:               s.Version,
		OrgID:                 s.OrgID,
		OrgSlug:               s.OrgSlug,
		OrgRole:               s.OrgRole,
		OrgPermissions:        s.OrgPermissions,
		OrgFeatures:           s.Features.Org,
		UserFeatures:          s.Features.User,
		OrgPlans:              s.Plans.Org,
		UserPlans:             s.Plans.User,
		raw:                   raw,
	}
}

// machineClaims builds the Claims of a JWT-format M2M or OAuth token (behaviour.md
// §6.4). Session-only dimensions (org, features, plans) stay empty.
func machineClaims(p *jwtdecode.Payload, tt TokenType, raw []byte, sub string) *Claims {
	return &Claims{
		TokenType: tt,
		Subject:   sub,
		Issuer:    p.Iss.V,
		IssuedAt:  p.Iat.T,
		NotBefore: p.Nbf.T,
		Expiry:    p.Exp.T,
		TokenID:   p.Jti.V,
		Name:      p.Name.V,
		ClientID:  p.CID.V,
		Version:   p.Version(),
		Scopes:    p.MachineScopes(),
		raw:       raw,
	}
}

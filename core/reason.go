package core

import "net/http"

// Reason is a stable, machine-readable code that says why a request is signed
// out, could not be authenticated, or was refused by a guard (behaviour.md §8). Reasons
// appear in the X-Clerk-Auth-Reason header and in the "reason" field of every
// error body. They use Clerk's names where Clerk has one.
type Reason string

// Authentication reasons (behaviour.md §8). A request that carries no token is signed
// out with ReasonSessionTokenMissing; every other reason means a token was
// presented and rejected, or could not be checked.
const (
	ReasonSessionTokenMissing           Reason = "session-token-missing"
	ReasonTokenInvalid                  Reason = "token-invalid"
	ReasonTokenInvalidAlgorithm         Reason = "token-invalid-algorithm"
	ReasonTokenInvalidSignature         Reason = "token-invalid-signature"
	ReasonTokenInvalidAuthorizedParties Reason = "token-invalid-authorized-parties"
	ReasonTokenInvalidIssuer            Reason = "token-invalid-issuer"
	ReasonTokenExpired                  Reason = "token-expired"
	ReasonTokenNotActiveYet             Reason = "token-not-active-yet"
	ReasonTokenIatInTheFuture           Reason = "token-iat-in-the-future"
	ReasonTokenVerificationFailed       Reason = "token-verification-failed"
	ReasonTokenInvalidAudience          Reason = "token-invalid-audience"
	ReasonTokenTypeMismatch             Reason = "token-type-mismatch"
	ReasonSessionPending                Reason = "session-pending"
	ReasonJWKRemoteFailedToLoad         Reason = "jwk-remote-failed-to-load"
	ReasonJWKKidMismatch                Reason = "jwk-kid-mismatch"
	ReasonJWKFailedToResolve            Reason = "jwk-failed-to-resolve"
	ReasonSecretKeyInvalid              Reason = "secret-key-invalid"
	ReasonUnexpectedError               Reason = "unexpected-error"
	// ReasonIdentityNotFound: the token verified, but the user or the
	// active organization it names does not exist (or was deleted) where a
	// WithOnVerified hook looked for it: a permanent condition, not an
	// outage (behaviour.md §11.5).
	ReasonIdentityNotFound Reason = "identity-not-found"
)

// Authorization reasons: a signed-in request refused by a guard (behaviour.md §7.3,
// HTTP 403).
const (
	ReasonMissingPermission Reason = "missing-permission"
	ReasonMissingRole       Reason = "missing-role"
	ReasonMissingFeature    Reason = "missing-feature"
	ReasonMissingPlan       Reason = "missing-plan"
	ReasonMissingScope      Reason = "missing-scope"
	ReasonForbidden         Reason = "forbidden"
	// ReasonReverificationError: the session must verify its credentials
	// again (RequireReverification, behaviour.md §5.6); Clerk's name.
	ReasonReverificationError Reason = "reverification-error"
)

// ReasonMiddlewareMissing is the reason of the wiring error raised when a
// guard runs without the authentication middleware in front of it (behaviour.md §7.2):
// HTTP 500, never a pass.
const ReasonMiddlewareMissing Reason = "auth-middleware-missing"

// reasonInfo is the fixed, documented rendering of one reason. Responses use
// only these texts, never an underlying error's text (behaviour.md §7.3).
type reasonInfo struct {
	status  int
	message string
}

var reasons = map[Reason]reasonInfo{
	ReasonSessionTokenMissing:           {http.StatusUnauthorized, "No session token was found in the request."},
	ReasonTokenInvalid:                  {http.StatusUnauthorized, "The token is malformed."},
	ReasonTokenInvalidAlgorithm:         {http.StatusUnauthorized, "The token is signed with an algorithm that is not allowed."},
	ReasonTokenInvalidSignature:         {http.StatusUnauthorized, "The token signature is invalid."},
	ReasonTokenInvalidAuthorizedParties: {http.StatusUnauthorized, "The token was issued for a party that is not authorized."},
	ReasonTokenInvalidIssuer:            {http.StatusUnauthorized, "The token was issued by an unexpected issuer."},
	ReasonTokenExpired:                  {http.StatusUnauthorized, "The token has expired."},
	ReasonTokenNotActiveYet:             {http.StatusUnauthorized, "The token is not active yet."},
	ReasonTokenIatInTheFuture:           {http.StatusUnauthorized, "The token was issued in the future."},
	ReasonTokenVerificationFailed:       {http.StatusUnauthorized, "The token claims could not be verified."},
	ReasonTokenInvalidAudience:          {http.StatusUnauthorized, "The token was issued for another audience."},
	ReasonTokenTypeMismatch:             {http.StatusUnauthorized, "The token type is not accepted here."},
	ReasonSessionPending:                {http.StatusUnauthorized, "The session is pending and is treated as signed out."},
	ReasonJWKRemoteFailedToLoad:         {http.StatusServiceUnavailable, "The signing keys could not be loaded; try again later."},
	ReasonJWKKidMismatch:                {http.StatusUnauthorized, "The token was signed with an unknown key."},
	ReasonJWKFailedToResolve:            {http.StatusUnauthorized, "The signing key for the token could not be resolved."},
	ReasonSecretKeyInvalid:              {http.StatusServiceUnavailable, "The server could not verify the token with the authentication provider."},
	ReasonUnexpectedError:               {http.StatusServiceUnavailable, "The token could not be verified; try again later."},
	ReasonIdentityNotFound:              {http.StatusUnauthorized, "The signed-in user or organization does not exist."},
	ReasonMissingPermission:             {http.StatusForbidden, "The signed-in user lacks the required permission."},
	ReasonMissingRole:                   {http.StatusForbidden, "The signed-in user lacks the required role."},
	ReasonMissingFeature:                {http.StatusForbidden, "The required feature is not enabled for the signed-in user."},
	ReasonMissingPlan:                   {http.StatusForbidden, "The required plan is not active for the signed-in user."},
	ReasonMissingScope:                  {http.StatusForbidden, "The token lacks the required scope."},
	ReasonForbidden:                     {http.StatusForbidden, "The signed-in user is not allowed to access this resource."},
	ReasonReverificationError:           {http.StatusForbidden, "The signed-in user must verify their credentials again."},
	ReasonMiddlewareMissing:             {http.StatusInternalServerError, "Authentication is not configured for this route."},
}

// Status is the HTTP status an adapter answers with for this reason (behaviour.md
// §7.3): 401 for signed-out reasons, 403 for guard refusals, 503 for
// infrastructure failures, 500 for wiring errors. Unknown reasons give 401.
func (r Reason) Status() int {
	if info, ok := reasons[r]; ok {
		return info.status
	}
	return http.StatusUnauthorized
}

// Message is the fixed, human-readable text for this reason used in response
// bodies. It never contains request data.
func (r Reason) Message() string {
	if info, ok := reasons[r]; ok {
		return info.message
	}
	return "The request could not be authenticated."
}

// String returns the reason code.
func (r Reason) String() string { return string(r) }

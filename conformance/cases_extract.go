package conformance

import (
	"fmt"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// extractCases cover behaviour.md §1: where the token comes from.
func extractCases() []tcase {
	return []tcase{
		{Name: "Bearer", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_a"))), "behaviour.md §1.1", "user_a")
		}},
		{Name: "BearerCaseInsensitive", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.user("user_a")
			for _, scheme := range []string{"bearer", "BEARER", "bEaReR"} {
				e.expectSignedIn(e.do(pathAuth, authorization(scheme+" "+tok)), "behaviour.md §1.1: scheme "+scheme+" is Bearer (case-insensitive, RFC 7235)", "user_a")
			}
		}},
		{Name: "HeaderWithoutSchemeTakenWhole", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedIn(e.do(pathAuth, authorization(s.user("user_a"))), "behaviour.md §1.1: a header value without a space is the token", "user_a")
		}},
		{Name: "BasicIgnoredCookieUsed", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			res := e.do(pathAuth, authorization("Basic dXNlcjpwYXNz"), cookie(s.user("user_cookie")))
			e.expectSignedIn(res, "behaviour.md §1.1/1.2: a Basic header is ignored and the __session cookie is used", "user_cookie")
		}},
		{Name: "BasicIgnoredNoToken", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectProblem(e.do(pathAuth, authorization("Basic dXNlcjpwYXNz")), "behaviour.md §1.1/1.4: a Basic header is as if no header were sent", core.ReasonSessionTokenMissing)
		}},
		{Name: "OtherSchemesIgnored", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.user("user_header")
			// Only the scheme Bearer gives a token: near misses are other
			// schemes, ignored as if no header were sent.
			for _, v := range []string{"Basic " + tok, "Digest " + tok, "Token " + tok, "Bearerx " + tok, "Bearer_ " + tok, "Bear " + tok} {
				res := e.do(pathAuth, authorization(v), cookie(s.user("user_cookie")))
				e.expectSignedIn(res, fmt.Sprintf("behaviour.md §1.1/1.2: Authorization %.8q… is another scheme, ignored; the cookie is used", v), "user_cookie")
				e.expectProblem(e.do(pathAuth, authorization(v)), fmt.Sprintf("behaviour.md §1.1/1.4: Authorization %.8q… is another scheme, as if no header were sent", v), core.ReasonSessionTokenMissing)
			}
		}},
		{Name: "EmptyHeaderIgnored", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedIn(e.do(pathAuth, authorization(""), cookie(s.user("user_cookie"))), "behaviour.md §1.1/1.2: an empty Authorization header yields no token; the cookie is used", "user_cookie")
			e.expectProblem(e.do(pathAuth, authorization("")), "behaviour.md §1.4: an empty Authorization header is no token", core.ReasonSessionTokenMissing)
		}},
		{Name: "HeaderWithoutSchemeWinsOverCookie", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			for _, v := range []string{"garbage-without-a-space", "Bearerx"} {
				res := e.do(pathAuth, authorization(v), cookie(s.user("user_cookie")))
				e.expectProblem(res, fmt.Sprintf("behaviour.md §1.1/1.3: Authorization %q has no space, so it is the token (and the cookie is not consulted)", v), core.ReasonTokenInvalid)
			}
		}},
		{Name: "BearerEmptyCredentialsCookieUsed", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			// behaviour.md §1.1: Bearer with empty credentials yields no
			// token; the __session cookie is then consulted. "Bearer " is
			// sent as "Bearer" once the transport trims it.
			for _, v := range []string{"Bearer", "Bearer ", "bearer", "BEARER   "} {
				res := e.do(pathAuth, authorization(v), cookie(s.user("user_cookie")))
				e.expectSignedIn(res, fmt.Sprintf("behaviour.md §1.1: Authorization %q has empty credentials: no token from the header, the cookie is used", v), "user_cookie")
				e.expectProblem(e.do(pathAuth, authorization(v)), fmt.Sprintf("behaviour.md §1.1/§1.4: Authorization %q without a cookie is no token at all", v), core.ReasonSessionTokenMissing)
			}
		}},
		{Name: "HeaderWinsOverCookie", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			res := e.do(pathAuth, bearer(s.user("user_header")), cookie(s.user("user_cookie")))
			e.expectSignedIn(res, "behaviour.md §1.3: the header wins over the cookie", "user_header")
		}},
		{Name: "HeaderWinsEvenWhenInvalid", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			bad := s.mint(clerktest.Session{UserID: "user_header"}, clerktest.TamperedSignature())
			res := e.do(pathAuth, bearer(bad), cookie(s.user("user_cookie")))
			e.expectProblem(res, "behaviour.md §1.3: the cookie is never consulted when the header yields a token, even an invalid one", core.ReasonTokenInvalidSignature)
			res = e.do(pathPublic, bearer(bad), cookie(s.user("user_cookie")))
			e.expectSignedOut(res, "behaviour.md §1.3", core.ReasonTokenInvalidSignature)
		}},
		{Name: "CookieOnly", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedIn(e.do(pathAuth, cookie(s.user("user_cookie"))), "behaviour.md §1.2: the __session cookie", "user_cookie")
		}},
		{Name: "CookieInvalidToken", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			bad := s.withClaims(nil, clerktest.TamperedSignature())
			e.expectProblem(e.do(pathAuth, cookie(bad)), "behaviour.md §1.2/7.3: a rejected cookie token is a presented token: 401 with error=\"invalid_token\"", core.ReasonTokenInvalidSignature)
			e.expectSignedOut(e.do(pathPublic, cookie(bad)), "behaviour.md §1.2/7.1", core.ReasonTokenInvalidSignature)
		}},
		{Name: "CookieAuthDisabled", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithCookieAuth(false)}})
			tok := s.user("user_cookie")
			e.expectProblem(e.do(pathAuth, cookie(tok)), "behaviour.md §1.2: with cookie auth off the cookie is not read", core.ReasonSessionTokenMissing)
			e.expectSignedOut(e.do(pathPublic, cookie(tok)), "behaviour.md §1.2", core.ReasonSessionTokenMissing)
			e.expectSignedIn(e.do(pathAuth, bearer(tok)), "behaviour.md §1.1: the header still works with cookie auth off", "user_cookie")
			e.expectProblem(e.do(pathAuth, authorization("Basic dXNlcjpwYXNz"), cookie(tok)), "behaviour.md §1.1/1.2: a Basic header and cookie auth off: no token", core.ReasonSessionTokenMissing)
		}},
		{Name: "MachineTokenNotFromCookie", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}})
			m2m := s.iss.MintM2M(clerktest.Machine{Subject: "mch_cookie", Scopes: []string{scope}})
			e.expectProblem(e.do(pathM2M, cookie(m2m)), "behaviour.md §1.2: machine tokens are never read from cookies", core.ReasonTokenTypeMismatch)
			e.expectSignedIn(e.do(pathM2M, bearer(m2m)), "behaviour.md §6.4: an accepted M2M JWT in the header", "mch_cookie")
		}},
		{Name: "MachineTokenNotFromCookieAfterHeader", Run: func(t *testing.T, s *suite) {
			// The same token first verified from the header (and cached) must
			// still be refused from the cookie.
			m2m := s.iss.MintM2M(clerktest.Machine{Subject: "mch_cookie", Scopes: []string{scope}})
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}})
			e.expectSignedIn(e.do(pathM2M, bearer(m2m)), "behaviour.md §6.4: an accepted M2M JWT in the header", "mch_cookie")
			e.expectProblem(e.do(pathM2M, cookie(m2m)), "behaviour.md §1.2: machine tokens are never read from cookies, cached or not", core.ReasonTokenTypeMismatch)
		}},
		{Name: "MissingTokenGuarded", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectProblem(e.do(pathAuth), "behaviour.md §1.4: no token at all is signed out with session-token-missing", core.ReasonSessionTokenMissing)
		}},
		{Name: "MissingTokenPublic", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedOut(e.do(pathPublic), "behaviour.md §1.4: no token is not an error on a route that does not require auth", core.ReasonSessionTokenMissing)
		}},
		{Name: "EmptyCookieIgnored", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectProblem(e.do(pathAuth, cookie("")), "behaviour.md §1.4: an empty __session cookie is no token", core.ReasonSessionTokenMissing)
		}},
	}
}

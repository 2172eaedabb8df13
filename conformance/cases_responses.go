package conformance

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// responseCases cover behaviour.md §7.3 and 7.4: exact bytes and headers, and the
// error-handler hooks.
func responseCases() []tcase {
	return []tcase{
		{Name: "Unauthorized401NoToken", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			r := e.do(pathAuth)
			e.expectProblem(r, "behaviour.md §7.3", core.ReasonSessionTokenMissing)
			want := `{"error":"unauthorized","reason":"session-token-missing","message":`
			if !bytes.HasPrefix(r.body, []byte(want)) {
				t.Errorf("behaviour.md §7.3: 401 body %s, want it to start with %s", r.body, want)
			}
		}},
		{Name: "Unauthorized401InvalidToken", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			r := e.do(pathAuth, bearer(s.withClaims(nil, clerktest.TamperedSignature())))
			e.expectProblem(r, "behaviour.md §7.3: a presented and rejected token gets error=\"invalid_token\"", core.ReasonTokenInvalidSignature)
		}},
		{Name: "Forbidden403Body", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			r := e.do(pathPermission, bearer(s.user("user_plain")))
			e.expectProblem(r, "behaviour.md §7.3: 403 body", core.ReasonMissingPermission)
			want := `{"error":"forbidden","reason":"missing-permission","message":`
			if !bytes.HasPrefix(r.body, []byte(want)) {
				t.Errorf("behaviour.md §7.3: 403 body %s, want it to start with %s", r.body, want)
			}
		}},
		{Name: "Forbidden403Headers", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			r := e.do(pathRole, bearer(s.user("user_plain")))
			e.expectProblem(r, "behaviour.md §7.3: 403 headers", core.ReasonMissingRole)
			if got := r.header.Get("X-Clerk-Auth-Status"); got != "signed-in" {
				t.Errorf("behaviour.md §7.3: GET %s on %s: a 403 must say X-Clerk-Auth-Status: signed-in, got %q", r.path, s.h.Name, got)
			}
			if got := r.header.Get("X-Clerk-Auth-Reason"); got != string(core.ReasonMissingRole) {
				t.Errorf("behaviour.md §7.3: GET %s on %s: a 403 must carry its reason in X-Clerk-Auth-Reason, got %q", r.path, s.h.Name, got)
			}
		}},
		{Name: "Forbidden403Logged", Run: func(t *testing.T, s *suite) {
			defaults := tokencases.CaptureDefaultLog(t)
			e := s.newEnv(t, envConfig{})
			tok := s.user("user_plain")
			before := e.logs.String()
			r := e.do(pathPermission, bearer(tok))
			e.expectProblem(r, "behaviour.md §7.3: 403", core.ReasonMissingPermission)
			line := strings.TrimPrefix(e.logs.String(), before)
			for _, want := range []string{"reason=" + string(core.ReasonMissingPermission), "path=" + pathPermission, "user_id=user_plain"} {
				if !strings.Contains(line, want) {
					t.Errorf("behaviour.md §7.3: a 403 on %s must be logged through the Authorizer's logger (WithLogger) with the reason, path and user ID; %q missing from %q",
						s.h.Name, want, line)
				}
			}
			if strings.Contains(line, tok) {
				t.Errorf("behaviour.md §7.3: the 403 log line on %s contains the token", s.h.Name)
			}
			if got := defaults.String(); got != "" {
				t.Errorf("behaviour.md §7.3: with WithLogger given, nothing may be logged through slog.Default(); %s logged %q", s.h.Name, got)
			}
		}},
		{Name: "Unavailable503Body", Run: func(t *testing.T, s *suite) {
			down := s.downIssuer(t)
			down.SetJWKSDown(true)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.iss.IssuerURL())}})
			r := e.do(pathAuth, bearer(s.user(defaultUser)))
			e.expectProblem(r, "behaviour.md §7.3: 503 body for key-loading failures", core.ReasonJWKRemoteFailedToLoad)
			want := `{"error":"unavailable","reason":"jwk-remote-failed-to-load","message":`
			if !bytes.HasPrefix(r.body, []byte(want)) {
				t.Errorf("behaviour.md §7.3: 503 body %s, want it to start with %s", r.body, want)
			}
		}},
		{Name: "TokenNeverInResponse", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAuthorizedParties(suiteParty)}})
			for _, tok := range []string{
				s.withClaims(nil, clerktest.TamperedSignature()),
				s.withClaims(map[string]any{"azp": otherParty}),
				s.withClaims(nil, clerktest.WithAlg("none")),
				"not-a-jwt-but-a-long-secret-looking-string",
			} {
				r := e.do(pathAuth, bearer(tok))
				if bytes.Contains(r.body, []byte(tok)) || headerContains(r.header, tok) {
					t.Errorf("behaviour.md §7.3: the token appears in the response")
				}
			}
		}},
		{Name: "HookSilentStopsRequest", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			for _, c := range []struct {
				path string
				opts []reqOpt
			}{
				{pathSilentAuth, nil},
				{pathSilentAuth, []reqOpt{bearer(s.withClaims(nil, clerktest.TamperedSignature()))}},
				{pathSilentPerm, []reqOpt{bearer(s.user("user_plain"))}},
				{pathSilentNoMW, []reqOpt{bearer(s.user("user_plain"))}},
			} {
				r := e.do(c.path, c.opts...)
				if len(r.obs) > 0 || bytes.Contains(r.body, []byte(`"adapter"`)) {
					t.Errorf("behaviour.md §7.4: GET %s on %s: an error hook that writes nothing must still stop the request, but the handler ran (status %d)", c.path, s.h.Name, r.status)
				}
			}
			e.expectSignedIn(e.do(pathSilentPerm, bearer(s.mint(signedInEverything()))), "behaviour.md §7.4: the hook does not change allowed requests", defaultUser)
		}},
		{Name: "HookCustom", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			for _, c := range []struct {
				path   string
				opts   []reqOpt
				reason core.Reason
			}{
				{pathHookAuth, nil, core.ReasonSessionTokenMissing},
				{pathHookAuth, []reqOpt{bearer(s.withClaims(nil, clerktest.TamperedSignature()))}, core.ReasonTokenInvalidSignature},
				{pathHookPerm, []reqOpt{bearer(s.user("user_plain"))}, core.ReasonMissingPermission},
				{pathHookNoMW, []reqOpt{bearer(s.user("user_plain"))}, core.ReasonMiddlewareMissing},
				// AcceptsToken takes options like every guard (behaviour.md §7.4).
				{pathHookM2M, []reqOpt{bearer(s.user("user_plain"))}, core.ReasonTokenTypeMismatch},
			} {
				r := e.do(c.path, c.opts...)
				want := "custom:" + string(c.reason)
				if r.status != http.StatusTeapot || string(r.body) != want {
					t.Errorf("behaviour.md §7.4: GET %s on %s: status %d body %.200q, want the custom hook's 418 %q", c.path, s.h.Name, r.status, r.body, want)
				}
				if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
					t.Errorf("behaviour.md §7.4: GET %s on %s: Content-Type %q, want the hook's text/plain", c.path, s.h.Name, ct)
				}
				if len(r.obs) > 0 {
					t.Errorf("behaviour.md §7.4: GET %s on %s: the handler ran after the hook", c.path, s.h.Name)
				}
			}
			e.expectSignedIn(e.do(pathHookPerm, bearer(s.mint(signedInEverything()))), "behaviour.md §7.4: the hook does not change allowed requests", defaultUser)
		}},
		{Name: "SuccessContentType", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedIn(e.do(pathAuth, bearer(s.user(defaultUser))), "harness", defaultUser)
		}},
	}
}

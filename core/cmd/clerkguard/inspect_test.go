package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// result is one run of the CLI.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the program with env as its whole environment and fails the
// test if tok (when not empty) appears in full in either output stream.
func runCLI(t *testing.T, tok string, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	if tok != "" && (strings.Contains(r.stdout, tok) || strings.Contains(r.stderr, tok)) {
		t.Fatalf("the full token was printed:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	if tok != "" && len(tok) > 20 {
		// Not even a long prefix: at most 10 characters then "…".
		if strings.Contains(r.stdout, tok[:11]) || strings.Contains(r.stderr, tok[:11]) {
			t.Fatalf("more than 10 characters of the token were printed:\n%s\n%s", r.stdout, r.stderr)
		}
	}
	return r
}

func (r result) want(t *testing.T, code int, substrings ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range substrings {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s\nstderr:\n%s", s, r.stdout, r.stderr)
		}
	}
}

// jwksEnv trusts iss through its public JWKS URL and checks its issuer.
func jwksEnv(iss *clerktest.Issuer) map[string]string {
	return map[string]string{
		core.EnvJWKSURL:           iss.JWKSURL(),
		core.EnvPublishableKey:    iss.PublishableKey(),
		core.EnvAuthorizedParties: clerktest.DefaultAuthorizedParty,
	}
}

func adminSession() clerktest.Session {
	return clerktest.Session{
		UserID: "user_1", OrgID: "org_1", OrgSlug: "acme", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create", "org:invoices:read", "org:reports:read"},
		OrgFeatures:    []string{"sso"}, UserFeatures: []string{"beta"},
		OrgPlans: []string{"pro"}, UserPlans: []string{"free"},
	}
}

func TestValidV2TokenWithJWKSURL(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(adminSession())
	r := runCLI(t, tok, jwksEnv(iss), "", "inspect", tok)
	r.want(t, exitOK,
		"Type        session token (session_token)",
		`"alg": "RS256"`, `"sub": "user_1"`,
		"id    org_1", "slug  acme", "role  org:admin",
		"Permissions (v2: fea + o.per + o.fpm)",
		"  org:invoices:create\n  org:invoices:read\n  org:reports:read\n",
		"org   invoices, reports, sso", "user  beta",
		"org   pro", "user  free",
		"expires in ",
		"VALID", "iss: "+iss.IssuerURL(),
		redact(tok))
	if r.stderr != "" {
		t.Errorf("stderr = %q, want empty", r.stderr)
	}
}

func TestValidV1Token(t *testing.T) {
	iss := clerktest.Start(t)
	s := adminSession()
	s.Version = 1
	s.OrgRole = "org:admin"
	tok := iss.Mint(s)
	r := runCLI(t, tok, jwksEnv(iss), "", "inspect", tok)
	r.want(t, exitOK, "Organization (claims v1)", "role  org:admin", "Permissions (v1: org_permissions)",
		"  org:invoices:create\n", "VALID")
}

func TestNetworklessJWTKeyAndSecretKey(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(adminSession())
	t.Run("JWTKey", func(t *testing.T) {
		env := map[string]string{core.EnvJWTKey: iss.PublicKeyPEM()}
		runCLI(t, tok, env, "", "inspect", tok).want(t, exitOK, "VALID", "keys from CLERK_JWT_KEY",
			"azp: not checked", "iss: not checked")
	})
	t.Run("BackendAPIJWKS", func(t *testing.T) {
		env := map[string]string{core.EnvSecretKey: iss.SecretKey(), core.EnvAPIURL: iss.APIURL()}
		r := runCLI(t, tok, env, "", "inspect", tok)
		r.want(t, exitOK, "VALID", "Backend API "+iss.APIURL()+"/v1/jwks (CLERK_SECRET_KEY)")
		if strings.Contains(r.stdout+r.stderr, iss.SecretKey()) {
			t.Error("the secret key was printed")
		}
	})
	t.Run("WrongSecretKey", func(t *testing.T) {
		env := map[string]string{core.EnvSecretKey: "sk_test_wrong", core.EnvAPIURL: iss.APIURL()}
		r := runCLI(t, tok, env, "", "inspect", tok)
		r.want(t, exitRejected, "REJECTED  jwk-remote-failed-to-load")
		if strings.Contains(r.stdout+r.stderr, "sk_test_wrong") {
			t.Error("the secret key was printed")
		}
	})
}

func TestExpired(t *testing.T) {
	iss := clerktest.Start(t)
	s := adminSession()
	s.IssuedAt = time.Now().Add(-3 * time.Minute)
	tok := iss.Mint(s) // exp = iat + 1m: expired two minutes ago
	exp := s.IssuedAt.Add(time.Minute).UTC().Format(time.RFC3339)
	r := runCLI(t, tok, jwksEnv(iss), "", "inspect", tok)
	r.want(t, exitRejected, "REJECTED  token-expired", "The token has expired.",
		"exp       "+exp, "now       ", "expired 2m", " ago)", "clock skew")

	j := decodeJSON(t, runCLI(t, tok, jwksEnv(iss), "", "inspect", "-json", tok))
	v := j.Verification
	if !v.Verified || v.Valid || v.Reason != "token-expired" || v.Time != exp || v.Now == "" ||
		v.Detail != "expired at "+exp {
		t.Errorf("verification = %+v", v)
	}
}

func TestNotActiveYet(t *testing.T) {
	iss := clerktest.Start(t)
	s := adminSession()
	s.NotBefore = time.Now().Add(time.Hour)
	tok := iss.Mint(s)
	runCLI(t, tok, jwksEnv(iss), "", "inspect", tok).want(t, exitRejected,
		"REJECTED  token-not-active-yet", "nbf       "+s.NotBefore.UTC().Format(time.RFC3339), "now       ")
}

func TestAuthorizedPartyMismatch(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(clerktest.Session{AuthorizedParty: "https://evil.example"})
	env := jwksEnv(iss)
	env[core.EnvAuthorizedParties] = " https://app.example.com , https://admin.example.com "
	r := runCLI(t, tok, env, "", "inspect", tok)
	r.want(t, exitRejected, "REJECTED  token-invalid-authorized-parties",
		"azp       https://evil.example",
		"parties   https://app.example.com, https://admin.example.com  (CLERK_AUTHORIZED_PARTIES)")

	v := decodeJSON(t, runCLI(t, tok, env, "", "inspect", tok, "--json")).Verification
	if v.AZP == nil || *v.AZP != "https://evil.example" ||
		!slices.Equal(v.AuthorizedParties, []string{"https://app.example.com", "https://admin.example.com"}) {
		t.Errorf("verification = %+v", v)
	}

	t.Run("AbsentAZP", func(t *testing.T) {
		tok := iss.Mint(clerktest.Session{Claims: map[string]any{"azp": nil}})
		runCLI(t, tok, env, "", "inspect", tok).want(t, exitRejected, "azp       (absent)")
	})
}

func TestIssuerMismatch(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(clerktest.Session{})
	env := jwksEnv(iss)
	env[core.EnvPublishableKey] = "pk_live_" + base64.StdEncoding.EncodeToString([]byte("clerk.other.example$"))
	r := runCLI(t, tok, env, "", "inspect", tok)
	r.want(t, exitRejected, "REJECTED  token-invalid-issuer",
		"iss       "+iss.IssuerURL(), "expected  https://clerk.other.example")

	v := decodeJSON(t, runCLI(t, tok, env, "", "inspect", "-json", tok)).Verification
	if v.Issuer == nil || *v.Issuer != iss.IssuerURL() || v.ExpectedIssuer != "https://clerk.other.example" {
		t.Errorf("verification = %+v", v)
	}
}

func TestOtherRejections(t *testing.T) {
	iss := clerktest.Start(t)
	other := clerktest.Start(t)
	cases := []struct {
		name, tok, reason, hint string
	}{
		{"Signature", iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()), "token-invalid-signature", "another Clerk instance"},
		{"UnknownKID", other.Mint(clerktest.Session{}, clerktest.WithKID("ins_other")), "jwk-kid-mismatch", `kid ins_other`},
		{"Algorithm", iss.Mint(clerktest.Session{}, clerktest.WithAlg("HS256")), "token-invalid-algorithm", `header alg is HS256`},
		{"JWTTemplate", iss.Mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")), "token-type-mismatch", "JWT template token"},
		{"Pending", iss.Mint(clerktest.Session{Status: "pending"}), "session-pending", `sts is "pending"`},
		{"WrongTypedClaim", iss.Mint(clerktest.Session{Claims: map[string]any{"sid": 42}}), "token-verification-failed", "wrong JSON type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runCLI(t, tc.tok, jwksEnv(iss), "", "inspect", tc.tok).want(t, exitRejected,
				"REJECTED  "+tc.reason, "hint      ", tc.hint)
		})
	}
}

func TestMachineTokens(t *testing.T) {
	iss := clerktest.Start(t)
	t.Run("M2MJWT", func(t *testing.T) {
		tok := iss.MintM2M(clerktest.Machine{Scopes: []string{"read"}})
		r := runCLI(t, tok, jwksEnv(iss), "", "inspect", tok)
		r.want(t, exitOK, "Type        M2M token (m2m_token)", `"sub": "mch_test"`, "VALID")
		if strings.Contains(r.stdout, "Organization") {
			t.Error("machine tokens have no organization section")
		}
	})
	t.Run("OAuthJWT", func(t *testing.T) {
		tok := iss.MintOAuth(clerktest.Machine{})
		runCLI(t, tok, jwksEnv(iss), "", "inspect", tok).want(t, exitOK,
			"Type        OAuth access token (oauth_token)", `"typ": "at+jwt"`, "VALID")
	})
	opaque := []struct {
		typ  core.TokenType
		name string
	}{{core.M2MToken, "M2M token"}, {core.OAuthToken, "OAuth access token"}, {core.APIKey, "API key"}}
	for _, o := range opaque {
		tok := iss.IssueOpaque(clerktest.Opaque{Type: o.typ, Subject: "mch_worker", Name: "worker", Scopes: []string{"invoices:read"}})
		t.Run("Opaque/"+string(o.typ)+"/Unverified", func(t *testing.T) {
			r := runCLI(t, tok, nil, "", "inspect", tok)
			r.want(t, exitOK, "Type        opaque "+o.name+" ("+string(o.typ)+")", notVerified)
			if strings.Contains(r.stdout, "Header") {
				t.Error("an opaque token has no header to show")
			}
			runCLI(t, tok, jwksEnv(iss), "", "inspect", tok).want(t, exitOK, "set CLERK_SECRET_KEY")
			j := decodeJSON(t, runCLI(t, tok, nil, "", "inspect", "-json", tok))
			if j.TokenType != o.typ || !j.Opaque || string(j.Header) != "null" || j.Verification.Verified {
				t.Errorf("json = %+v", j)
			}
		})
		t.Run("Opaque/"+string(o.typ)+"/BackendAPI", func(t *testing.T) {
			env := map[string]string{core.EnvSecretKey: iss.SecretKey(), core.EnvAPIURL: iss.APIURL()}
			runCLI(t, tok, env, "", "inspect", tok).want(t, exitOK, "VALID", "subject    mch_worker",
				"name       worker", "scopes     invoices:read")
		})
	}
	t.Run("Opaque/Unknown", func(t *testing.T) {
		tok := "mt_" + strings.Repeat("0", 32)
		env := map[string]string{core.EnvSecretKey: iss.SecretKey(), core.EnvAPIURL: iss.APIURL()}
		runCLI(t, tok, env, "", "inspect", tok).want(t, exitRejected, "REJECTED  token-invalid",
			"does not know this token")
	})
}

func TestNotVerifiedWithoutEnv(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(adminSession())
	runCLI(t, tok, nil, "", "inspect", tok).want(t, exitOK, "Verification\n  "+notVerified+"\n", "org:invoices:create")
	// Environment without a key source: still nothing to verify against.
	env := map[string]string{core.EnvAuthorizedParties: "https://app.example.com"}
	runCLI(t, tok, env, "", "inspect", tok).want(t, exitOK, notVerified, "alone give no signing keys")
	// -no-verify never verifies.
	runCLI(t, tok, jwksEnv(iss), "", "inspect", "-no-verify", tok).want(t, exitOK, "not verified: -no-verify")
	if n := iss.JWKSRequests(); n != 0 {
		t.Errorf("JWKS requests = %d, want 0", n)
	}
}

func TestStdin(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(adminSession())
	for name, tc := range map[string]struct {
		stdin string
		args  []string
	}{
		"NoArgument":    {tok + "\n", []string{"inspect"}},
		"Dash":          {"  " + tok + "\r\n", []string{"inspect", "-"}},
		"Bearer":        {"Bearer " + tok + "\n", []string{"inspect", "-json", "-"}},
		"Authorization": {"authorization: bearer " + tok, []string{"inspect"}},
	} {
		t.Run(name, func(t *testing.T) {
			runCLI(t, tok, jwksEnv(iss), tc.stdin, tc.args...).want(t, exitOK, "org:invoices:create")
		})
	}
	t.Run("BearerArgument", func(t *testing.T) {
		runCLI(t, tok, jwksEnv(iss), "", "inspect", "Bearer "+tok).want(t, exitOK, "VALID")
	})
}

func TestMalformed(t *testing.T) {
	b64 := base64.RawURLEncoding.EncodeToString
	for name, in := range map[string]string{
		"NotAJWT":          "hello",
		"TwoParts":         "eyJhbGciOiJSUzI1NiJ9.e30",
		"BadBase64":        "a+b.c.d",
		"HeaderNotJSON":    b64([]byte("nope")) + "." + b64([]byte("{}")) + ".c2ln",
		"PayloadNotObject": b64([]byte(`{"alg":"RS256"}`)) + "." + b64([]byte(`[1]`)) + ".c2ln",
		"Padded":           b64([]byte(`{"alg":"RS256"}`)) + "." + b64([]byte(`{}`)) + ".c2ln==",
		"Whitespace":       "eyJh bGc.a.b",
		"Empty":            "   ",
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, "", nil, "", "inspect", in)
			if r.code != exitUsage || r.stdout != "" || r.stderr == "" {
				t.Errorf("inspect %q: code %d, stdout %q, stderr %q; want 2, nothing, an error", in, r.code, r.stdout, r.stderr)
			}
			// With -json, stdout is one JSON error object, so that scripts
			// reading it always get JSON.
			r = runCLI(t, "", nil, "", "inspect", "-json", in)
			var je jsonError
			dec := json.NewDecoder(strings.NewReader(r.stdout))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&je); err != nil || dec.More() || r.code != exitUsage || r.stderr == "" ||
				(je.Error != "malformed-input" && je.Error != "malformed-token") || je.Message == "" {
				t.Errorf("inspect -json %q must print one JSON error object and exit 2: code %d, stdout %q (%v), stderr %q", in, r.code, r.stdout, err, r.stderr)
			}
		})
	}
	t.Run("RedactedInError", func(t *testing.T) {
		tok := "mt" + strings.Repeat("x", 40) + ".y"
		r := runCLI(t, tok, nil, "", "inspect", tok)
		if r.code != exitUsage || !strings.Contains(r.stderr, redact(tok)) {
			t.Errorf("code %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("TooLarge", func(t *testing.T) {
		r := runCLI(t, "", nil, strings.Repeat("a", maxTokenBytes+1), "inspect")
		if r.code != exitUsage || !strings.Contains(r.stderr, "larger than") {
			t.Errorf("code %d, stderr %q", r.code, r.stderr)
		}
	})
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"inspect", "-h"}} {
		r := runCLI(t, "", nil, "", args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "clerkguard inspect [flags] [TOKEN]") {
			t.Errorf("%q: code %d, stdout %q", args, r.code, r.stdout)
		}
	}
	for _, args := range [][]string{{}, {"verify"}, {"inspect", "-bogus"}, {"inspect", "a.b.c", "d.e.f"}, {"inspect", "-timeout", "0", "x"}} {
		r := runCLI(t, "", nil, "", args...)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "Usage:") {
			t.Errorf("%q: code %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}

func TestConfigurationError(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(clerktest.Session{})
	r := runCLI(t, tok, map[string]string{core.EnvJWKSURL: "ftp://keys.example"}, "", "inspect", tok)
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "configuration from the environment") {
		t.Errorf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// jsonOut mirrors the --json object for tests.
type jsonOut struct {
	Token       string          `json:"token"`
	TokenType   core.TokenType  `json:"token_type"`
	Opaque      bool            `json:"opaque"`
	Header      json.RawMessage `json:"header"`
	Claims      json.RawMessage `json:"claims"`
	Version     int             `json:"version"`
	Org         *orgInfo        `json:"org"`
	Permissions []string        `json:"permissions"`
	Features    *scopedNames    `json:"features"`
	Plans       *scopedNames    `json:"plans"`
	ClaimsError string          `json:"claims_error"`
	Times       map[string]struct {
		Unix     int64  `json:"unix"`
		Time     string `json:"time"`
		Relative string `json:"relative"`
	} `json:"times"`
	Verification verification `json:"verification"`
}

func decodeJSON(t *testing.T, r result) jsonOut {
	t.Helper()
	var j jsonOut
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON value:\n%s", r.stdout)
	}
	return j
}

func TestJSON(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(adminSession())
	r := runCLI(t, tok, jwksEnv(iss), "", "inspect", "-json", tok)
	if r.code != exitOK {
		t.Fatalf("code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Every documented top-level field is present.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"header", "claims", "token_type", "org", "permissions", "features", "plans", "verification"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	var vraw map[string]json.RawMessage
	_ = json.Unmarshal(raw["verification"], &vraw)
	for _, k := range []string{"verified", "valid", "reason", "detail"} {
		if _, ok := vraw[k]; !ok {
			t.Errorf("verification.%s missing", k)
		}
	}
	j := decodeJSON(t, r)
	if j.TokenType != core.SessionToken || j.Opaque || j.Version != 2 || j.Token != redact(tok) {
		t.Errorf("json = %+v", j)
	}
	var hdr map[string]any
	if err := json.Unmarshal(j.Header, &hdr); err != nil || hdr["alg"] != "RS256" || hdr["kid"] != iss.KID() {
		t.Errorf("header = %s", j.Header)
	}
	var claims map[string]any
	if err := json.Unmarshal(j.Claims, &claims); err != nil || claims["sub"] != "user_1" {
		t.Errorf("claims = %s", j.Claims)
	}
	if j.Org == nil || *j.Org != (orgInfo{ID: "org_1", Slug: "acme", Role: "org:admin"}) {
		t.Errorf("org = %+v", j.Org)
	}
	if want := []string{"org:invoices:create", "org:invoices:read", "org:reports:read"}; !slices.Equal(j.Permissions, want) {
		t.Errorf("permissions = %q, want %q", j.Permissions, want)
	}
	if j.Features == nil || !slices.Equal(j.Features.User, []string{"beta"}) || j.Plans == nil || !slices.Equal(j.Plans.Org, []string{"pro"}) {
		t.Errorf("features %+v, plans %+v", j.Features, j.Plans)
	}
	if exp, ok := j.Times["exp"]; !ok || !strings.HasPrefix(exp.Relative, "expires in ") || exp.Unix == 0 {
		t.Errorf("times = %+v", j.Times)
	}
	if v := j.Verification; !v.Verified || !v.Valid || v.Reason != "" {
		t.Errorf("verification = %+v", v)
	}

	t.Run("NoOrg", func(t *testing.T) {
		tok := iss.Mint(clerktest.Session{})
		j := decodeJSON(t, runCLI(t, tok, nil, "", "inspect", "-json", tok))
		if j.Org != nil || j.Permissions != nil || j.Verification.Verified ||
			j.Verification.Detail != notVerified {
			t.Errorf("json = %+v", j)
		}
		if !strings.Contains(runCLI(t, tok, nil, "", "inspect", "-json", tok).stdout, `"permissions": null`) {
			t.Error("permissions must be null without an org")
		}
	})
}

// The full token must never be printed, whatever a claim or an error holds:
// here the token is echoed inside its own claims via a custom claim that
// holds the header segment, and the configuration error path is exercised.
func TestTokenNeverPrinted(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(adminSession())
	envs := []map[string]string{nil, jwksEnv(iss), {core.EnvJWKSURL: "ftp://x"}}
	for _, env := range envs {
		for _, args := range [][]string{{"inspect", tok}, {"inspect", "-json", tok}} {
			runCLI(t, tok, env, "", args...) // runCLI asserts
		}
	}
	if got := redactAll("a "+tok+" b", tok); got != "a "+redact(tok)+" b" {
		t.Errorf("redactAll = %q", got)
	}
	if got := redact("mt_12345678901234567890"); got != "mt_1234567…" {
		t.Errorf("redact = %q", got)
	}
	if got := redact("abcd"); got != "ab…" {
		t.Errorf("redact(short) = %q", got)
	}
}

func TestControlCharactersAreQuoted(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(clerktest.Session{OrgID: "org_\x1b[31mred", OrgRole: "admin"})
	r := runCLI(t, tok, nil, "", "inspect", tok)
	if strings.Contains(r.stdout, "\x1b") {
		t.Errorf("a raw escape sequence reached the terminal:\n%q", r.stdout)
	}
	r.want(t, exitOK, `"org_\x1b[31mred"`)

	// JSON allows C1 controls (U+009B is CSI) and invalid UTF-8 raw inside
	// strings: the Claims block and -json escape them.
	tok = iss.Mint(clerktest.Session{OrgID: "org_\u009b31m", OrgRole: "admin", Claims: map[string]any{"x": "\u202e"}})
	for _, args := range [][]string{{"inspect", tok}, {"inspect", "-json", tok}} {
		r = runCLI(t, tok, nil, "", args...)
		if i := unsafeForTerminal([]byte(r.stdout)); i >= 0 {
			t.Errorf("%v: a raw control character reached the terminal at %d:\n%q", args, i, r.stdout)
		}
		r.want(t, exitOK, `org_\u009b31m`, `\u202e`)
	}
}

// -json prints a JSON error object for usage and configuration errors too.
func TestJSONErrors(t *testing.T) {
	iss := clerktest.Start(t)
	tok := iss.Mint(clerktest.Session{})
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		kind string
	}{
		{"TwoTokens", nil, []string{"inspect", "-json", "a.b.c", "d.e.f"}, "usage"},
		{"Configuration", map[string]string{core.EnvJWKSURL: "ftp://keys.example"}, []string{"inspect", "-json", tok}, "configuration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tok, tc.env, "", tc.args...)
			var je jsonError
			if err := json.Unmarshal([]byte(r.stdout), &je); err != nil || je.Error != tc.kind || je.Message == "" || r.code != exitUsage {
				t.Errorf("inspect -json must print one JSON error of kind %q and exit 2: code %d, stdout %q", tc.kind, r.code, r.stdout)
			}
		})
	}
}

// The inspector decodes claims with core's own decoder (behaviour.md §3.9):
// exp 1e16 is a number, so the token verifies in core and the inspector
// shows its time instead of "not a number"; a wrong-typed claim is shown as
// core reports it.
func TestDecodingIsCores(t *testing.T) {
	iss := clerktest.Start(t)
	huge := iss.Mint(clerktest.Session{Claims: map[string]any{"exp": json.RawMessage("1e16")}})
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.VerifyToken(t.Context(), huge)
	if err != nil {
		t.Fatalf("core must accept exp 1e16 (a number, far in the future; behaviour.md §3.9): %v", err)
	}
	r := runCLI(t, huge, jwksEnv(iss), "", "inspect", huge)
	r.want(t, exitOK, "VALID", "exp  "+c.Expiry.UTC().Format(time.RFC3339)+"  (expires in about ", " years)")
	if strings.Contains(r.stdout, "not a number") {
		t.Errorf("the inspector must decode exp 1e16 as core does (a number), not report it as not a number:\n%s", r.stdout)
	}
	j := decodeJSON(t, runCLI(t, huge, jwksEnv(iss), "", "inspect", "-json", huge))
	if got := j.Times["exp"].Unix; got != c.Expiry.Unix() || !j.Verification.Valid {
		t.Errorf("-json exp = %d valid %v, core says %d and valid", got, j.Verification.Valid, c.Expiry.Unix())
	}

	wrong := iss.Mint(clerktest.Session{OrgID: "org_1", Claims: map[string]any{"sid": 5, "exp": "soon"}})
	r = runCLI(t, wrong, jwksEnv(iss), "", "inspect", wrong)
	r.want(t, exitRejected, "REJECTED  token-verification-failed", "Claims do not decode: a known claim has the wrong JSON type: exp, sid", "exp  not a number")
	if strings.Contains(r.stdout, "Organization") {
		t.Errorf("claims core cannot decode must not be shown as an organization:\n%s", r.stdout)
	}
}

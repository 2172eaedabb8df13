package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
	"github.com/clerkguard/clerkguard/core/internal/shared"
)

// Exit codes.
const (
	exitOK       = 0 // valid, or decoded only
	exitRejected = 1 // verification refused the token
	exitUsage    = 2 // usage error or malformed input
)

// notVerified is printed when no key source is configured.
const notVerified = "not verified: set CLERK_JWT_KEY, CLERK_JWKS_URL or CLERK_SECRET_KEY"

// cli is one invocation. Tests build it through run; now is the clock shared
// by the display and by core's checks.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
}

// run is the whole program: args exclude the program name; the environment
// is read only through getenv. It returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, now: time.Now}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "inspect":
		return c.inspect(args[1:])
	case "mint":
		return c.mint(args[1:])
	case "dev":
		return c.devMain(args[1:])
	}
	fmt.Fprintf(stderr, "clerkguard: unknown command %s\n\n%s", quoteIfNeeded(args[0]), usage)
	return exitUsage
}

// options are the flags of inspect.
type options struct {
	json     bool
	noVerify bool
	timeout  time.Duration
}

// parseInspectArgs parses flags placed before or after the token.
func parseInspectArgs(args []string, stderr io.Writer) (options, []string, error) {
	var o options
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	fs.BoolVar(&o.json, "json", false, "print one JSON object")
	fs.BoolVar(&o.noVerify, "no-verify", false, "decode only; never contact the JWKS or Backend API")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Second, "bound on key loading and Backend API calls")
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return o, nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if o.timeout <= 0 {
		return o, nil, errors.New("-timeout must be positive")
	}
	return o, positional, nil
}

func (c *cli) inspect(args []string) int {
	opts, positional, err := parseInspectArgs(args, c.stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(c.stdout, usage)
		return exitOK
	case err != nil:
		fmt.Fprintf(c.stderr, "clerkguard inspect: %v\n\n%s", err, usage)
		return exitUsage
	case len(positional) > 1:
		writeErrorJSON(c.stdout, opts.json, "usage", fmt.Sprintf("one token at a time (got %d arguments)", len(positional)))
		fmt.Fprintf(c.stderr, "clerkguard inspect: one token at a time (got %d arguments)\n\n%s", len(positional), usage)
		return exitUsage
	}
	arg := "-"
	if len(positional) == 1 {
		arg = positional[0]
	}
	tok, err := readToken(arg, c.stdin, c.stderr)
	if err != nil { // readToken's errors never quote the input
		writeErrorJSON(c.stdout, opts.json, "malformed-input", err.Error())
		fmt.Fprintf(c.stderr, "clerkguard inspect: %v\n", err)
		return exitUsage
	}
	// From here on everything written goes through redaction: the token is
	// never printed back in full, whatever a library puts in an error.
	stdout, stderr := &bytes.Buffer{}, &bytes.Buffer{}
	code := c.inspectToken(tok, opts, stdout, stderr)
	_, _ = io.WriteString(c.stdout, redactAll(stdout.String(), tok))
	_, _ = io.WriteString(c.stderr, redactAll(stderr.String(), tok))
	return code
}

func (c *cli) inspectToken(tok string, opts options, stdout, stderr io.Writer) int {
	d, err := decodeToken(tok)
	if err != nil {
		msg := fmt.Sprintf("malformed token %s: %v", clean(redact(tok)), err)
		writeErrorJSON(stdout, opts.json, "malformed-token", msg)
		fmt.Fprintf(stderr, "clerkguard inspect: %s\n", msg)
		return exitUsage
	}
	now := c.now()
	var v verification
	var machine *machineInfo
	if opts.noVerify {
		v.Detail = "not verified: -no-verify"
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), opts.timeout)
		v, machine, err = c.verify(ctx, tok, d, now)
		cancel()
		if err != nil {
			msg := fmt.Sprintf("configuration from the environment: %v", err)
			writeErrorJSON(stdout, opts.json, "configuration", msg)
			fmt.Fprintf(stderr, "clerkguard inspect: %s\n", msg)
			return exitUsage
		}
	}
	r := &report{tok: tok, d: d, now: now, v: v, machine: machine}
	if opts.json {
		if err := writeJSON(stdout, r); err != nil {
			fmt.Fprintf(stderr, "clerkguard inspect: %v\n", err)
			return exitUsage
		}
	} else {
		writeText(stdout, r)
	}
	if v.Verified && !v.Valid {
		return exitRejected
	}
	return exitOK
}

// readToken takes the token from arg, or from stdin when arg is "-". It trims
// whitespace and accepts "Bearer <token>" and "Authorization: Bearer <token>"
// as pasted from a request. When stdin is a terminal it says so on stderr.
func readToken(arg string, stdin io.Reader, stderr io.Writer) (string, error) {
	s := arg
	if arg == "-" {
		if stdin == nil {
			return "", errors.New("no token: pass it as an argument or on stdin")
		}
		if f, ok := stdin.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				fmt.Fprintln(stderr, "clerkguard: reading the token from the terminal; end with Ctrl-D")
			}
		}
		b, err := io.ReadAll(io.LimitReader(stdin, maxTokenBytes+1))
		if err != nil {
			return "", fmt.Errorf("reading stdin: %v", err)
		}
		s = string(b)
	}
	s = strings.TrimSpace(s)
	if len(s) > maxTokenBytes {
		return "", fmt.Errorf("input is larger than %d KiB; a Clerk token is a few KiB at most", maxTokenBytes>>10)
	}
	if name, rest, ok := strings.Cut(s, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "authorization") {
		s = strings.TrimSpace(rest)
	}
	if scheme, rest, ok := strings.Cut(s, " "); ok && strings.EqualFold(scheme, "bearer") {
		s = strings.TrimSpace(rest)
	}
	switch {
	case s == "":
		return "", errors.New("no token: pass it as an argument or on stdin")
	case strings.ContainsAny(s, " \t\r\n"):
		return "", errors.New("malformed input: a token has no whitespace (pass one token, optionally as \"Bearer <token>\")")
	}
	return s, nil
}

// verification is the outcome of verifying with core.
type verification struct {
	Verified bool   `json:"verified"`
	Valid    bool   `json:"valid"`
	Reason   string `json:"reason"`
	Detail   string `json:"detail"`

	Message     string   `json:"message,omitempty"`     // core's fixed text for the reason
	Cause       string   `json:"cause,omitempty"`       // the wrapped error, if any
	Explanation []string `json:"explanation,omitempty"` // what to look at
	KeySource   string   `json:"key_source,omitempty"`

	AZP               *string  `json:"azp,omitempty"`
	AuthorizedParties []string `json:"authorized_parties,omitempty"`
	Issuer            *string  `json:"iss,omitempty"`
	ExpectedIssuer    string   `json:"expected_issuer,omitempty"`
	Time              string   `json:"time,omitempty"` // the exp, nbf or iat that failed
	Now               string   `json:"now,omitempty"`
}

// machineInfo is what the Backend API reported for a valid opaque token.
type machineInfo struct {
	Subject  string   `json:"subject"`
	ID       string   `json:"id,omitempty"`
	Name     string   `json:"name,omitempty"`
	ClientID string   `json:"client_id,omitempty"`
	Scopes   []string `json:"scopes"`
	Expiry   string   `json:"expiry,omitempty"`
}

// env is the configuration read from the environment, for explanations.
type env struct {
	secretKey, jwtKey, jwksURL, apiURL, publishableKey string
	parties                                            []string
}

func (c *cli) readEnv() (env, bool) {
	get := func(k string) string { return strings.TrimSpace(c.getenv(k)) }
	e := env{secretKey: get(core.EnvSecretKey), jwtKey: get(core.EnvJWTKey), jwksURL: get(core.EnvJWKSURL),
		apiURL: get(core.EnvAPIURL), publishableKey: get(core.EnvPublishableKey),
		parties: shared.SplitList(c.getenv(core.EnvAuthorizedParties))}
	if e.apiURL == "" {
		e.apiURL = core.DefaultAPIURL
	}
	e.apiURL = strings.TrimRight(e.apiURL, "/")
	set := false
	for _, k := range core.EnvVars() {
		if get(k) != "" {
			set = true
		}
	}
	return e, set
}

// keySource describes where core takes its keys from, in core's order of
// preference (JWT key, then JWKS URL, then secret key). Never the key itself.
func (e env) keySource() string {
	switch {
	case e.jwtKey != "":
		return core.EnvJWTKey + " (PEM public key, no network)"
	case e.jwksURL != "":
		return core.EnvJWKSURL + " " + e.jwksURL
	case e.secretKey != "":
		return "Backend API " + e.apiURL + "/v1/jwks (" + core.EnvSecretKey + ")"
	}
	return ""
}

// verify verifies tok with core, configured as core.NewFromEnv would be from
// c.getenv, accepting every token type. The token goes nowhere but through
// core to the configured JWKS or Backend API. err is a configuration error.
func (c *cli) verify(ctx context.Context, tok string, d *decoded, now time.Time) (verification, *machineInfo, error) {
	e, set := c.readEnv()
	v := verification{KeySource: e.keySource()}
	switch {
	case !set:
		v.Detail = notVerified
		return v, nil, nil
	case v.KeySource == "":
		v.Detail = notVerified
		v.Explanation = []string{"CLERK_PUBLISHABLE_KEY, CLERK_AUTHORIZED_PARTIES, CLERK_API_URL and CLERK_MACHINE_SECRET_KEY alone give no signing keys"}
		return v, nil, nil
	case d.opaque && e.secretKey == "":
		v.Detail = "not verified: opaque " + typeName(d.tokenType) + "s are verified by Clerk's Backend API: set " + core.EnvSecretKey
		return v, nil, nil
	}
	// AcceptAnyToken needs a secret key (API keys are verified by the
	// Backend API); without one, every type that verifies locally.
	accepts := core.AcceptAnyToken()
	if e.secretKey == "" {
		accepts = core.WithAcceptsToken(core.SessionToken, core.M2MToken, core.OAuthToken)
	}
	opts := append(core.OptionsFromEnv(c.getenv),
		accepts,
		core.WithLogger(slog.New(slog.DiscardHandler)),
		core.WithClock(c.now),
		core.WithTokenCache(0),
	)
	a, err := core.New(opts...)
	if err != nil {
		return v, nil, err
	}
	v.Verified = true
	claims, err := a.VerifyToken(ctx, tok)
	if err == nil {
		v.Valid = true
		v.Explanation = checksDone(d, e, a.Issuer())
		return v, machineOf(d, claims), nil
	}
	v.Reason = string(core.ReasonOf(err))
	v.Message = core.ReasonOf(err).Message()
	var ce *core.Error
	if errors.As(err, &ce) {
		v.Detail = ce.Detail
		if ce.Err != nil {
			v.Cause = ce.Err.Error()
		}
	} else {
		v.Cause = err.Error()
	}
	explain(&v, d, e, a.Issuer(), now)
	return v, nil, nil
}

// machineOf summarises the claims of a valid opaque machine token.
func machineOf(d *decoded, c *core.Claims) *machineInfo {
	if !d.opaque || c == nil {
		return nil
	}
	m := &machineInfo{Subject: c.Subject, ID: c.TokenID, Name: c.Name, ClientID: c.ClientID, Scopes: c.Scopes}
	if !c.Expiry.IsZero() {
		m.Expiry = c.Expiry.UTC().Format(time.RFC3339)
	}
	return m
}

// checksDone lists what a successful verification checked.
func checksDone(d *decoded, e env, issuer string) []string {
	if d.opaque {
		return []string{"verified by the Backend API at " + e.apiURL}
	}
	out := []string{"signature: keys from " + e.keySource()}
	if d.tokenType == core.SessionToken {
		if len(e.parties) > 0 {
			out = append(out, "azp: "+quoteIfNeeded(d.azp)+" is an authorized party")
		} else {
			out = append(out, "azp: not checked (CLERK_AUTHORIZED_PARTIES is not set; cookie auth is then open to CSRF)")
		}
	}
	if issuer != "" {
		out = append(out, "iss: "+issuer)
	} else {
		out = append(out, "iss: not checked (set CLERK_PUBLISHABLE_KEY to check it)")
	}
	out = append(out, fmt.Sprintf("exp, nbf, iat: checked with %s clock skew", core.DefaultClockSkew))
	return out
}

// explain adds what to look at for a rejection.
func explain(v *verification, d *decoded, e env, issuer string, now time.Time) {
	nowS := now.UTC().Format(time.RFC3339)
	timeFact := func(name string) {
		if tc := d.timeOf(name); tc.set {
			v.Time = tc.t.UTC().Format(time.RFC3339)
		}
		v.Now = nowS
	}
	switch core.Reason(v.Reason) {
	case core.ReasonTokenExpired:
		if !d.opaque {
			timeFact("exp")
			v.Explanation = append(v.Explanation, fmt.Sprintf(
				"a token is expired when exp <= now - %s (clock skew); Clerk session tokens live 60 s and are refreshed by the frontend SDK",
				core.DefaultClockSkew))
		}
	case core.ReasonTokenNotActiveYet:
		timeFact("nbf")
		v.Explanation = append(v.Explanation, "nbf is later than now + clock skew: is this machine's clock behind?")
	case core.ReasonTokenIatInTheFuture:
		timeFact("iat")
		v.Explanation = append(v.Explanation, "iat is later than now + clock skew: is this machine's clock behind?")
	case core.ReasonTokenInvalidAuthorizedParties:
		azp := d.azp
		v.AZP = &azp
		v.AuthorizedParties = e.parties
		v.Explanation = append(v.Explanation,
			"azp must equal one of CLERK_AUTHORIZED_PARTIES exactly (scheme, host and port; no path, no trailing slash)")
	case core.ReasonTokenInvalidIssuer:
		iss := d.iss
		v.Issuer = &iss
		v.ExpectedIssuer = issuer
		v.Explanation = append(v.Explanation,
			"the expected issuer is derived from CLERK_PUBLISHABLE_KEY: the token comes from another Clerk instance (development vs production?), or CLERK_PUBLISHABLE_KEY does: it must be the publishable key of the instance whose keys verify the token")
	case core.ReasonTokenInvalidSignature:
		v.Explanation = append(v.Explanation, "the signature does not verify with the keys from "+e.keySource()+
			": the token was signed by another Clerk instance, or it was altered")
	case core.ReasonJWKKidMismatch:
		v.Explanation = append(v.Explanation, "kid "+quoteIfNeeded(d.kid)+" is not in the key set from "+e.keySource()+
			", even after a refetch: a token from another Clerk instance?")
	case core.ReasonJWKRemoteFailedToLoad, core.ReasonJWKFailedToResolve:
		v.Explanation = append(v.Explanation, "the signing keys could not be loaded from "+e.keySource()+
			"; in a server this is a 503, not a 401")
	case core.ReasonTokenInvalidAlgorithm:
		v.Explanation = append(v.Explanation, "header alg is "+quoteIfNeeded(d.alg)+"; only RS256, RS384 and RS512 are accepted")
	case core.ReasonTokenTypeMismatch:
		v.Explanation = append(v.Explanation, "header cat "+quoteIfNeeded(d.cat)+" ("+catName(d.cat)+") does not fit a "+typeName(d.tokenType))
	case core.ReasonSessionPending:
		v.Explanation = append(v.Explanation,
			"sts is \"pending\": pending sessions are signed out unless the server accepts them (core.WithPendingSessions(true))")
	case core.ReasonTokenVerificationFailed:
		v.Explanation = append(v.Explanation, "a known claim has the wrong JSON type, or sub or exp is missing")
	case core.ReasonSecretKeyInvalid:
		v.Explanation = append(v.Explanation, "the Backend API at "+e.apiURL+" refused "+core.EnvSecretKey+
			": is it the secret key of the instance that issued the token?")
	case core.ReasonTokenInvalid:
		if d.opaque {
			v.Explanation = append(v.Explanation, "the Backend API at "+e.apiURL+" does not know this token, or it is revoked")
		}
	}
}

// catName describes a header cat value (behaviour.md §3.4).
func catName(cat string) string {
	switch cat {
	case jwtdecode.CatSession:
		return "session token"
	case jwtdecode.CatIgnore:
		return "session token, ignore category"
	case jwtdecode.CatJWTTemplate:
		return "JWT template token, refused where session tokens are expected"
	case jwtdecode.CatM2M:
		return "M2M token"
	case "":
		return "absent"
	}
	return "unknown category"
}

// typeName is the human name of a token type.
func typeName(t core.TokenType) string {
	switch t {
	case core.SessionToken:
		return "session token"
	case core.M2MToken:
		return "M2M token"
	case core.OAuthToken:
		return "OAuth access token"
	case core.APIKey:
		return "API key"
	}
	return string(t)
}

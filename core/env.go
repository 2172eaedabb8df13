package core

import (
	"github.com/clerkguard/clerkguard/core/internal/shared"

	"os"
	"strings"
)

// Environment variables read by NewFromEnv.
const (
	EnvSecretKey         = "CLERK_SECRET_KEY"
	EnvJWTKey            = "CLERK_JWT_KEY"
	EnvPublishableKey    = "CLERK_PUBLISHABLE_KEY"
	EnvJWKSURL           = "CLERK_JWKS_URL"
	EnvAuthorizedParties = "CLERK_AUTHORIZED_PARTIES"
	EnvAPIURL            = "CLERK_API_URL"
	// EnvMachineSecretKey is the optional separate key for verifying opaque
	// M2M tokens (WithMachineSecretKey); without it the secret key is used.
	EnvMachineSecretKey = "CLERK_MACHINE_SECRET_KEY"
)

// NewFromEnv builds an Authorizer from the environment: CLERK_SECRET_KEY,
// CLERK_JWT_KEY, CLERK_PUBLISHABLE_KEY, CLERK_JWKS_URL,
// CLERK_AUTHORIZED_PARTIES (comma separated; entries trimmed, empty ones
// dropped), CLERK_API_URL, CLERK_MACHINE_SECRET_KEY, and for browser
// sessions CLERK_SIGN_IN_URL, CLERK_PROXY_URL and
// CLERK_TRUST_FORWARDED_HEADERS, and for several domains CLERK_DOMAIN,
// CLERK_IS_SATELLITE and CLERK_ISSUERS (comma separated). Unset or empty
// variables are skipped. opts are applied after the environment and override
// it. It is New(append(OptionsFromEnv(os.Getenv), opts...)...).
func NewFromEnv(opts ...Option) (*Authorizer, error) {
	return New(append(OptionsFromEnv(os.Getenv), opts...)...)
}

// EnvVars returns the names of every variable NewFromEnv reads, in a fresh
// slice the caller may modify. A program can use it to tell "configured"
// from "nothing set", or to list the configuration in its help.
func EnvVars() []string {
	return []string{EnvSecretKey, EnvJWTKey, EnvJWKSURL, EnvPublishableKey,
		EnvAuthorizedParties, EnvAPIURL, EnvMachineSecretKey,
		EnvSignInURL, EnvProxyURL, EnvTrustForwardedHeaders,
		EnvDomain, EnvIsSatellite, EnvIssuers}
}

// OptionsFromEnv returns the options NewFromEnv builds from the environment,
// reading each variable of EnvVars through getenv, which must not be nil
// (os.Getenv for NewFromEnv; a map lookup in tests or tools). Values are
// trimmed; unset or empty variables give no option. Nothing is validated
// here: New reports a malformed value.
func OptionsFromEnv(getenv func(string) string) []Option {
	var opts []Option
	if v := strings.TrimSpace(getenv(EnvAPIURL)); v != "" {
		opts = append(opts, WithAPIURL(v))
	}
	if v := strings.TrimSpace(getenv(EnvSecretKey)); v != "" {
		opts = append(opts, WithSecretKey(v))
	}
	if v := strings.TrimSpace(getenv(EnvJWTKey)); v != "" {
		opts = append(opts, WithJWTKey(v))
	}
	if v := strings.TrimSpace(getenv(EnvJWKSURL)); v != "" {
		opts = append(opts, WithJWKSURL(v))
	}
	if v := strings.TrimSpace(getenv(EnvPublishableKey)); v != "" {
		opts = append(opts, WithPublishableKey(v))
	}
	if v := strings.TrimSpace(getenv(EnvMachineSecretKey)); v != "" {
		opts = append(opts, WithMachineSecretKey(v))
	}
	if parties := shared.SplitList(getenv(EnvAuthorizedParties)); len(parties) > 0 {
		opts = append(opts, WithAuthorizedParties(parties...))
	}
	opts = append(opts, browserOptionsFromEnv(getenv)...)
	return append(opts, issuerOptionsFromEnv(getenv)...)
}

package usersync

import (
	"errors"
	"net/url"
	"os"
	"strings"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/core"
)

// Environment variables usersync reads besides core's CLERK_SECRET_KEY and
// CLERK_API_URL (core.EnvSecretKey, core.EnvAPIURL): the database of
// usersync-backfill and the examples, and the table prefix.
const (
	EnvDatabaseURL = "DATABASE_URL"
	EnvTablePrefix = "USERSYNC_TABLE_PREFIX"
)

// ClientConfigFromEnv returns the clerk-sdk-go configuration of the
// Backend API from the variables core.NewFromEnv reads, through getenv
// (os.Getenv, or a map lookup in tests): the secret key CLERK_SECRET_KEY
// (required) and CLERK_API_URL, the base URL without /v1 (default
// https://api.clerk.com; "/v1" is added). Values are trimmed.
func ClientConfigFromEnv(getenv func(string) string) (*clerk.ClientConfig, error) {
	key := strings.TrimSpace(getenv(core.EnvSecretKey))
	if key == "" {
		return nil, errors.New("usersync: " + core.EnvSecretKey + " is not set")
	}
	cfg := &clerk.ClientConfig{BackendConfig: clerk.BackendConfig{Key: clerk.String(key)}}
	if v := strings.TrimSpace(getenv(core.EnvAPIURL)); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, errors.New("usersync: " + core.EnvAPIURL + " is not an http(s) base URL")
		}
		cfg.URL = clerk.String(versionedURL(v))
	}
	return cfg, nil
}

// NewProvisionerFromEnv is NewProvisioner configured from the environment
// like core.NewFromEnv (ClientConfigFromEnv with os.Getenv); opts come
// after and override it.
func NewProvisionerFromEnv(s *Store, opts ...ProvisionOption) (*Provisioner, error) {
	cfg, err := ClientConfigFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	return NewProvisioner(s, append([]ProvisionOption{WithClientConfig(cfg)}, opts...)...)
}

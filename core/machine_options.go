package core

import (
	"slices"
	"strings"
	"time"
)

// MachineVerification tunes the verification of opaque machine tokens
// (mt_…, oat_…, ak_…) through the Backend API (SPEC 6.4). Zero fields keep
// their defaults.
type MachineVerification struct {
	// Timeout bounds one Backend API call. Default 5 seconds.
	Timeout time.Duration
	// CacheTTL is how long a successful verification is reused. A token
	// revoked in Clerk keeps working for at most this long. Entries never
	// outlive the token's own expiry. Default 10 seconds; negative disables
	// the cache.
	CacheTTL time.Duration
	// CacheSize bounds the number of cached results. Default 10 000.
	CacheSize int
}

func (m MachineVerification) withDefaults() MachineVerification {
	if m.Timeout == 0 {
		m.Timeout = 5 * time.Second
	}
	if m.CacheTTL == 0 {
		m.CacheTTL = 10 * time.Second
	}
	if m.CacheSize == 0 {
		m.CacheSize = DefaultCacheSize
	}
	return m
}

// WithAcceptsToken sets the token types the Authorizer accepts (SPEC 6.1);
// the default is SessionToken only. A token of another type is signed out
// with reason token-type-mismatch without being verified (SPEC 6.3). Routes
// narrow this further with the AcceptsToken guard.
func WithAcceptsToken(types ...TokenType) Option {
	return func(c *config) error {
		if len(types) == 0 {
			return configError("WithAcceptsToken needs at least one token type")
		}
		for _, t := range types {
			if !t.valid() {
				return configError("unknown token type %q", t)
			}
		}
		c.accepts = slices.Clone(types)
		return nil
	}
}

// AcceptAnyToken makes the Authorizer accept every token type: session
// tokens, M2M tokens, OAuth access tokens and API keys.
func AcceptAnyToken() Option {
	return WithAcceptsToken(SessionToken, M2MToken, OAuthToken, APIKey)
}

// WithMachineSecretKey sets a separate key for verifying opaque M2M tokens
// (a machine secret key, ak_… in Clerk's dashboard). Without it the secret
// key is used.
func WithMachineSecretKey(key string) Option {
	return func(c *config) error {
		key = strings.TrimSpace(key)
		if len(key) < 8 || containsSpace(key) {
			return configError("machine secret key is malformed")
		}
		c.machineSecretKey = key
		return nil
	}
}

// WithMachineVerification tunes opaque machine-token verification.
func WithMachineVerification(m MachineVerification) Option {
	return func(c *config) error {
		if m.Timeout < 0 || m.CacheSize < 0 {
			return configError("machine verification timeout and cache size must not be negative")
		}
		c.machine = m
		return nil
	}
}

func containsSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n':
			return true
		}
	}
	return false
}

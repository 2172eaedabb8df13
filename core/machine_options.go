package core

import (
	"math"
	"slices"
	"strings"
	"time"
)

// MachineVerification tunes the verification of opaque machine tokens
// (mt_…, oat_…, ak_…) through the Backend API (behaviour.md §6.4–6.9).
// Zero fields keep their defaults.
//
// Before any call a token must be well formed (behaviour.md §6.5, §6.9): its
// prefix, then 1 to 256 characters forming an RFC 6750 b64token (A-Z, a-z,
// 0-9, '-', '.', '_', '~', '+', '/', then optional trailing '='). Anything
// else is token-invalid without a call. The other bounds below apply per
// Authorizer, in this order: the success cache, the cache of 404 answers, a
// request already verifying the same token (joined, no new call), the rate
// limit, then the in-flight limit.
//
// Tokens verified recently ("known good", behaviour.md §6.6, §6.7) never
// compete with unknown ones: their re-verifications draw on a reserved
// budget first, and while every budget refuses them their last good verdict
// is served, for at most KnownGoodTTL after their last successful
// verification.
type MachineVerification struct {
	// Timeout bounds one verification: the wait for a free call slot (see
	// MaxInFlight) plus the Backend API call. Default 5 seconds.
	Timeout time.Duration
	// KnownGoodTTL is how long after its last successful verification a
	// token stays known good (behaviour.md §6.6, §6.7). A known-good token
	// whose success-cache entry has expired re-verifies on the reserved
	// budget (ReservedBurst, ReservedPerSecond) before the shared one, with
	// call slots of its own, and while both budgets refuse it, or the Backend
	// API cannot answer (unexpected-error), its last good verdict is served.
	// So a token revoked in Clerk is accepted for at most CacheTTL after its
	// last successful verification while the Backend API can be asked, and
	// for at most KnownGoodTTL when it cannot; never past its own expiry. At
	// most CacheSize tokens are known good, each held as a SHA-256, never as
	// the token. Default 1 minute; negative disables it (a token is then
	// known good only while cached).
	KnownGoodTTL time.Duration
	// ReservedBurst and ReservedPerSecond are a second token bucket, used
	// only by known-good tokens before the shared bucket of RateBurst and
	// RatePerSecond, so that a flood of unknown tokens, which can empty the
	// shared bucket, never delays them. Unknown tokens never draw on it.
	// Defaults 10 and 5.
	ReservedBurst     int
	ReservedPerSecond float64
	// CacheTTL is how long a successful verification is reused. A token
	// revoked in Clerk keeps working for at most this long while the Backend
	// API can be asked (see KnownGoodTTL for when it cannot). Entries never
	// outlive the token's own expiry. Default 10 seconds; negative disables
	// the cache.
	CacheTTL time.Duration
	// CacheSize bounds the number of cached results. Default 10 000.
	CacheSize int
	// NotFoundTTL is how long a token the Backend API answered 404 for is
	// remembered: it is then token-invalid without a call. Default 30
	// seconds; negative disables the cache of 404 answers.
	NotFoundTTL time.Duration
	// NotFoundCacheSize bounds the remembered 404 answers (oldest out
	// first). Each entry holds a 32-byte SHA-256 of the token, never the
	// token, so the memory bound is fixed by the count (about 190 bytes an
	// entry). Default 10 000, at most 1 000 000.
	NotFoundCacheSize int
	// RateBurst and RatePerSecond are a token bucket for Backend API calls
	// about tokens found in neither cache: RateBurst calls at once, refilled
	// at RatePerSecond (measured with the injected clock). Past it a request
	// is unexpected-error (503) without a call. Defaults 50 and 20.
	RateBurst     int
	RatePerSecond float64
	// MaxInFlight bounds the Backend API verification calls running at once
	// for unknown tokens. Known-good tokens may also use MaxInFlight/4 (at
	// least 1) slots of their own. A request waiting for a slot is still
	// bounded by its context and by Timeout. Default 16.
	MaxInFlight int
}

// Defaults of MachineVerification (behaviour.md §6.4, §6.5).
const (
	defaultMachineTimeout       = 5 * time.Second
	defaultMachineCacheTTL      = 10 * time.Second
	defaultMachineNotFoundTTL   = 30 * time.Second
	defaultMachineNotFoundSize  = 10_000
	defaultMachineRateBurst     = 50
	defaultMachineRatePerSecond = 20
	defaultMachineMaxInFlight   = 16
	defaultMachineKnownGoodTTL  = time.Minute
	defaultMachineReservedBurst = 10
	defaultMachineReservedRate  = 5

	maxNotFoundCacheSize = 1_000_000
)

func (m MachineVerification) withDefaults() MachineVerification {
	orDefault(&m.Timeout, defaultMachineTimeout)
	orDefault(&m.CacheTTL, defaultMachineCacheTTL)
	orDefault(&m.CacheSize, DefaultCacheSize)
	orDefault(&m.NotFoundTTL, defaultMachineNotFoundTTL)
	orDefault(&m.NotFoundCacheSize, defaultMachineNotFoundSize)
	orDefault(&m.RateBurst, defaultMachineRateBurst)
	orDefault(&m.RatePerSecond, defaultMachineRatePerSecond)
	orDefault(&m.MaxInFlight, defaultMachineMaxInFlight)
	orDefault(&m.KnownGoodTTL, defaultMachineKnownGoodTTL)
	orDefault(&m.ReservedBurst, defaultMachineReservedBurst)
	orDefault(&m.ReservedPerSecond, defaultMachineReservedRate)
	return m
}

// orDefault sets *v to def when *v is the zero value.
func orDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// validate reports the first field that cannot be honoured. The bounds of
// behaviour.md §6.5 cannot be switched off: a negative rate, burst or
// in-flight limit is an error, not "unlimited".
func (m MachineVerification) validate() error {
	switch {
	case m.Timeout < 0 || m.CacheSize < 0:
		return configError("machine verification timeout and cache size must not be negative")
	case m.NotFoundCacheSize < 0 || m.NotFoundCacheSize > maxNotFoundCacheSize:
		return configError("machine verification NotFoundCacheSize must be between 0 and %d", maxNotFoundCacheSize)
	case m.RateBurst < 0 || m.ReservedBurst < 0:
		return configError("machine verification RateBurst and ReservedBurst must not be negative")
	case !finiteRate(m.RatePerSecond):
		return configError("machine verification RatePerSecond must be a finite number, not negative")
	case !finiteRate(m.ReservedPerSecond):
		return configError("machine verification ReservedPerSecond must be a finite number, not negative")
	case m.MaxInFlight < 0:
		return configError("machine verification MaxInFlight must not be negative")
	}
	return nil
}

func finiteRate(r float64) bool { return r >= 0 && !math.IsNaN(r) && !math.IsInf(r, 0) }

// WithAcceptsToken sets the token types the Authorizer accepts (behaviour.md §6.1);
// the default is SessionToken only. A token of another type is signed out
// with reason token-type-mismatch without being verified (behaviour.md §6.3). Routes
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

// WithMachineVerification tunes opaque machine-token verification: its
// timeout, caches, rate limit and in-flight limit (see MachineVerification;
// zero fields keep the defaults). New rejects negative limits.
func WithMachineVerification(m MachineVerification) Option {
	return func(c *config) error {
		if err := m.validate(); err != nil {
			return err
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

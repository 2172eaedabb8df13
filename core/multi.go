package core

import (
	"context"
	"slices"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// MaxInstances bounds the instances of NewMulti.
const MaxInstances = 64

// multiRoute is the routing of an Authorizer made by NewMulti
// (behaviour.md §12.5–12.8).
type multiRoute struct {
	primary   *Authorizer
	instances []*Authorizer
	byIssuer  map[string]*Authorizer
	all       []string
}

// NewMulti returns an Authorizer serving several Clerk instances from one
// process (behaviour.md §12.5). Each instance is an Authorizer made by New
// with its own keys, caches, limits and checks, and with at least one issuer
// (WithPublishableKey, WithIssuer, WithIssuers or an absolute WithProxyURL);
// no issuer may belong to two instances. The set is fixed here.
//
// The result is a *Authorizer like any other: adapters, guards and RPC
// interceptors take it unchanged. A JWT is verified by the instance whose
// issuers contain its unverified iss claim, with that instance's keys and
// checks only; a JWT whose iss belongs to no instance is refused with
// ReasonTokenInvalidIssuer before any key is fetched (behaviour.md §12.6).
// Opaque machine tokens carry no issuer: they go to the first instance.
//
// Everything about the request rather than the token follows the first
// instance, the primary (behaviour.md §12.7): where tokens are read from
// (WithTokenSources, WithCookieAuth), the cookie suffix and browser-session
// rules, the handshake and the sign-in URL, logging and the observer. The
// instances' own loggers and observers are not called for requests through
// the result. Issuer reports the primary's issuer, Issuers every instance's.
//
// NewMulti refuses no instance, more than MaxInstances, a nil or repeated
// instance, an instance without issuer, an issuer of two instances, and an
// instance that is itself made by NewMulti.
func NewMulti(instances ...*Authorizer) (*Authorizer, error) {
	if len(instances) == 0 {
		return nil, configError("NewMulti needs at least one instance")
	}
	if len(instances) > MaxInstances {
		return nil, configError("NewMulti takes at most %d instances", MaxInstances)
	}
	m := &multiRoute{primary: instances[0], byIssuer: make(map[string]*Authorizer)}
	for i, in := range instances {
		switch {
		case in == nil:
			return nil, configError("instance %d is nil", i)
		case in.multi != nil:
			return nil, configError("instance %d is itself made by NewMulti", i)
		case len(in.issuers) == 0:
			return nil, configError("instance %d has no issuer: use WithPublishableKey, WithIssuer or WithIssuers", i)
		case slices.Contains(m.instances, in):
			return nil, configError("instance %d is given twice", i)
		}
		for _, iss := range in.issuers {
			if _, dup := m.byIssuer[iss]; dup {
				return nil, configError("issuer %q belongs to two instances", truncate(iss))
			}
			m.byIssuer[iss] = in
			m.all = append(m.all, iss)
		}
		m.instances = append(m.instances, in)
	}
	p := m.primary
	r := &Authorizer{
		cfg: p.cfg, keys: p.keys, cache: p.cache, backend: p.backend,
		issuer: p.issuer, issuers: p.issuers, logger: p.logger, sampler: p.sampler, shared: p.shared,
		cookieSuffix: p.cookieSuffix, frontendAPIHost: p.frontendAPIHost,
		devInstance: p.devInstance, upstream: p.upstream,
		multi: m,
	}
	return r, nil
}

// verify routes token to its instance (behaviour.md §12.6). A token already
// in an instance's cache is served from there: only its instance can have
// put it there, since every instance refuses an issuer it does not accept
// before verifying (behaviour.md §12.4) and the issuers are disjoint.
func (m *multiRoute) verify(ctx context.Context, token, source string) (*Claims, bool, TokenType, error) {
	p := m.primary
	if len(token) > p.cfg.maxTokenSize {
		return p.verify(ctx, token, source)
	}
	if _, ok := opaqueTokenType(token); ok {
		return p.verify(ctx, token, source)
	}
	for _, in := range m.instances {
		e := in.cache.lookup(token) // nil cache: nil
		if e == nil {
			continue
		}
		now := in.cfg.clock()
		if c, ok := in.cache.serve(e, now); ok {
			tt := c.TokenType
			c, err := in.useCached(c, source, now)
			return c, true, tt, err
		}
		break // expired or its key is gone: its instance verifies it again
	}
	var j jwtdecode.Parts
	if err := j.Split(token, nil); err != nil {
		return p.verify(ctx, token, source) // malformed: refused unverified, as by the primary
	}
	iss := j.UnverifiedIssuer()
	in := m.byIssuer[iss]
	if in == nil {
		return nil, false, jwtTokenType(&j), errorf(ReasonTokenInvalidIssuer, "iss %q belongs to no instance", truncate(iss))
	}
	return in.verify(ctx, token, source)
}

package core

import (
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// ErrNoRawClaims is returned by CustomClaims (and Claims.Decode) for claims
// that carry no raw payload, such as claims built by hand.
var ErrNoRawClaims = errors.New("clerkguard: no raw claims to decode")

// claimsMemo holds the typed custom claims decoded from one Claims, keyed by
// their reflect.Type. A Claims is shared by every request presenting the
// same cached token, so the memo is read far more often than written.
type claimsMemo struct {
	typed sync.Map // reflect.Type -> *customResult[T]
}

type customResult[T any] struct {
	v   T
	err error
}

// memo returns the memo of c, creating it on first use. It is stored through
// an unsafe.Pointer (not an atomic.Pointer) so that Claims stays copyable: a
// copy shares the memo, which is right since it shares the raw payload.
func (c *Claims) memo() *claimsMemo {
	if p := atomic.LoadPointer(&c.memoPtr); p != nil {
		return (*claimsMemo)(p)
	}
	m := new(claimsMemo)
	if atomic.CompareAndSwapPointer(&c.memoPtr, nil, unsafe.Pointer(m)) {
		return m
	}
	return (*claimsMemo)(atomic.LoadPointer(&c.memoPtr))
}

// CustomClaims decodes the raw payload of c (Claims.Raw: the claims a JWT
// template adds, behaviour.md §3.11) into a T, typically a struct with json
// tags, and remembers the result on c: the Authorizer's token cache hands
// the same *Claims to every request presenting the same token, so a cached
// token is decoded once per type, not once per request, and later calls do
// not allocate. Safe for concurrent use.
//
// The decoding is encoding/json's (field names match case-insensitively;
// unknown members are ignored). A decoding error is remembered too and
// returned on every call. The returned value is shared by every caller:
// treat its slices, maps and pointers as read-only. For nil claims, or claims
// without a raw payload (built by hand), it returns ErrNoRawClaims.
func CustomClaims[T any](c *Claims) (T, error) {
	if c == nil || len(c.raw) == 0 {
		var zero T
		return zero, ErrNoRawClaims
	}
	return memoized(c, func(raw []byte, v *T) error { return json.Unmarshal(raw, v) })
}

// memoized returns the T decoded from c.raw by decode, decoding it on the
// first call for this type only. Core's own memoized values use unexported
// types, so they never collide with a user's.
func memoized[T any](c *Claims, decode func(raw []byte, v *T) error) (T, error) {
	key := reflect.TypeFor[T]()
	m := c.memo()
	if r, ok := m.typed.Load(key); ok {
		res := r.(*customResult[T])
		return res.v, res.err
	}
	res := new(customResult[T])
	res.err = decode(c.raw, &res.v)
	r, _ := m.typed.LoadOrStore(key, res)
	res = r.(*customResult[T])
	return res.v, res.err
}

// RequireClaims allows signed-in sessions whose custom claims, decoded as a
// T by CustomClaims, satisfy fn: 401 when signed out, 403 (forbidden)
// otherwise, including when the claims do not decode as a T. A nil fn
// refuses every request. Mount it with any adapter's Guard, e.g.
// clerkchi.Guard(core.RequireClaims(func(c TenantClaims) bool { return c.Tenant == "acme" })).
func RequireClaims[T any](fn func(T) bool) Guard {
	name := "RequireClaims(" + reflect.TypeFor[T]().String() + ")"
	if fn == nil {
		return Guard{name: name, reason: ReasonForbidden, allow: func(*Claims) bool { return false }}
	}
	return Guard{name: name, reason: ReasonForbidden, allow: func(c *Claims) bool {
		v, err := CustomClaims[T](c)
		return err == nil && fn(v)
	}}
}

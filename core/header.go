package core

import (
	"strings"
	"sync"
	"sync/atomic"
)

// parsedHeader is the part of a JWT header clerkguard reads (behaviour.md §3.2–3.4).
type parsedHeader struct {
	typ, cat, kid, alg string
	typSet, catSet     bool
}

// maxCachedHeaders bounds the header cache. Headers are attacker-controlled:
// once full, new headers are parsed every time (a cost, never a risk).
const maxCachedHeaders = 256

// headerCache remembers decoded header segments. A Clerk instance signs every
// token with the same few headers (one per key), so the base64 and JSON
// decoding of the header is done once per key instead of once per token.
type headerCache struct {
	m sync.Map // base64url header segment → parsedHeader
	n atomic.Int32
}

// parse decodes a base64url header segment (behaviour.md §3.1) or returns it from the
// cache. Only well-formed headers are cached; a nil cache caches nothing.
func (hc *headerCache) parse(h64 string) (parsedHeader, error) {
	if hc != nil {
		if v, ok := hc.m.Load(h64); ok {
			return v.(parsedHeader), nil
		}
	}
	raw, err := decodeSegment(h64)
	if err != nil || !looksLikeJSONObject(raw) {
		return parsedHeader{}, errorf(ReasonTokenInvalid, "header is not base64url JSON")
	}
	var hdr jwtHeader
	if err := unmarshalExact(raw, &hdr, headerSchema); err != nil {
		return parsedHeader{}, errorf(ReasonTokenInvalid, "header does not decode")
	}
	var p parsedHeader
	var ok1, ok2, ok3 bool
	p.typ, p.typSet, ok1 = rawString(hdr.Typ)
	p.cat, p.catSet, ok2 = rawString(hdr.Cat)
	p.kid, _, ok3 = rawString(hdr.Kid)
	if !ok1 || !ok2 || !ok3 {
		return parsedHeader{}, errorf(ReasonTokenInvalid, "header typ, cat or kid is not a string")
	}
	p.alg, _, _ = rawString(hdr.Alg) // a non-string alg is refused by behaviour.md §3.3
	if hc != nil && len(h64) <= 1024 && hc.n.Load() < maxCachedHeaders {
		// Clone: the key must not pin the whole token or alias a reused buffer.
		if _, loaded := hc.m.LoadOrStore(strings.Clone(h64), p); !loaded {
			hc.n.Add(1)
		}
	}
	return p, nil
}

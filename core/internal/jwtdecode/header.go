package jwtdecode

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
)

// jwtHeader holds the header parameters clerkguard reads. Values are kept raw
// so that a wrong type maps to the reason of the rule it breaks.
type jwtHeader struct {
	Alg json.RawMessage `json:"alg"`
	Typ json.RawMessage `json:"typ"`
	Cat json.RawMessage `json:"cat"`
	Kid json.RawMessage `json:"kid"`
}

var headerSchema = NewExactSchema(reflect.TypeFor[jwtHeader]())

// Header is the part of a JWT header clerkguard reads (behaviour.md §3.2–3.4).
type Header struct {
	Typ, Cat, Kid, Alg string // "" when absent (Alg also when not a string)
	TypSet, CatSet     bool   // typ, cat present and not null
}

// maxCachedHeaders bounds the header cache. Headers are attacker-controlled:
// once full, new headers are parsed every time (a cost, never a risk).
const maxCachedHeaders = 256

// HeaderCache remembers decoded header segments. A Clerk instance signs every
// token with the same few headers (one per key), so the base64 and JSON
// decoding of the header is done once per key instead of once per token.
// The zero value is ready to use; a nil *HeaderCache caches nothing.
type HeaderCache struct {
	m sync.Map // base64url header segment → Header
	n atomic.Int32
}

// Errors of Parse: the header is not what behaviour.md §3.1 requires.
var (
	errHeaderSegment = malformed("header is not base64url JSON")
	errHeaderDecode  = malformed("header does not decode")
	errHeaderTypes   = malformed("header typ, cat or kid is not a string")
)

// Parse decodes a base64url header segment (behaviour.md §3.1) or returns it
// from the cache. Only well-formed headers are cached. Every error is a
// *MalformedError.
func (hc *HeaderCache) Parse(h64 string) (Header, error) {
	if hc != nil {
		if v, ok := hc.m.Load(h64); ok {
			return v.(Header), nil
		}
	}
	raw, err := DecodeSegment(h64)
	if err != nil || !LooksLikeJSONObject(raw) {
		return Header{}, errHeaderSegment
	}
	var hdr jwtHeader
	if err := UnmarshalExact(raw, &hdr, headerSchema); err != nil {
		return Header{}, errHeaderDecode
	}
	var p Header
	var ok1, ok2, ok3 bool
	p.Typ, p.TypSet, ok1 = rawString(hdr.Typ)
	p.Cat, p.CatSet, ok2 = rawString(hdr.Cat)
	p.Kid, _, ok3 = rawString(hdr.Kid)
	if !ok1 || !ok2 || !ok3 {
		return Header{}, errHeaderTypes
	}
	p.Alg, _, _ = rawString(hdr.Alg) // a non-string alg is refused by behaviour.md §3.3
	if hc != nil && len(h64) <= 1024 && hc.n.Load() < maxCachedHeaders {
		// Clone: the key must not pin the whole token or alias a reused buffer.
		if _, loaded := hc.m.LoadOrStore(strings.Clone(h64), p); !loaded {
			hc.n.Add(1)
		}
	}
	return p, nil
}

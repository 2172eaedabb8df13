package jwtdecode

import (
	"time"
	"unicode/utf8"
	"unsafe"
)

// DecodePayloadFast is a hand-written decoder for the ordinary token payload,
// an optimisation of UnmarshalExact(b, p, PayloadSchema): when it returns
// true, *p is exactly what UnmarshalExact would have produced, and
// UnmarshalExact would have returned no error. It handles only the common
// shapes and declines (returns false, with *p zeroed) anything else, so that
// the general decoder runs unchanged:
//
//   - b must be one JSON object, with no whitespace before or after it;
//   - member names, at any depth, are ASCII without escape sequences, and
//     none differs from a claim name only by case (those take the
//     exact-name path of UnmarshalExact);
//   - a known claim appears at most once in its object and is never null;
//   - string claims hold no escape sequence and are valid UTF-8;
//   - exp, nbf and iat are integers of at most 15 digits; fva is an array
//     of exactly two integers (of at most 18 digits); org_permissions an array of strings; act and
//     o objects whose known members are strings;
//   - sub, v, scp and scopes may be any JSON value;
//   - unknown members may be any JSON value (validated and skipped), nested
//     at most maxFastDepth deep.
//
// It also returns what p.SubString() returns, without copying sub again.
// FuzzPayloadFastPath checks the equivalence.
func DecodePayloadFast(b []byte, p *Payload) (sub string, subOK, ok bool) {
	return decodePayloadWith(fastDecoder{b: b}, p)
}

// DecodePayloadView is DecodePayloadFast without a copy of b: the strings of
// *p alias b (whose "o" claim goes into *org), so they are valid only while b
// is unchanged and in scope, and the "fva" claim goes into *fva. The
// browser-session peek uses it on a pooled buffer (behaviour.md §10.2) and
// keeps nothing from it.
func DecodePayloadView(b []byte, p *Payload, org *OrgClaim, fva *[2]int) (sub string, subOK, ok bool) {
	return decodePayloadWith(fastDecoder{b: b, view: true, orgBuf: org, fvaBuf: fva}, p)
}

func decodePayloadWith(d fastDecoder, p *Payload) (sub string, subOK, ok bool) {
	b := d.b
	if len(b) < 2 || b[0] != '{' {
		return "", false, false
	}
	if !d.payload(p) || d.i != len(b) {
		*p = Payload{}
		return "", false, false
	}
	if d.subSet {
		return d.sub, true, true
	}
	sub, subOK = p.SubString()
	return sub, subOK, true
}

// maxFastDepth bounds the nesting of the values DecodePayloadFast accepts.
const maxFastDepth = 32

// fastDecoder is the cursor of DecodePayloadFast. Decoded strings are
// substrings of s, one copy of the whole payload made on first use, rather
// than one allocation each.
type fastDecoder struct {
	b []byte
	s string
	i int

	sub    string // the sub claim, when subSet: a string without escapes
	subSet bool

	view   bool      // strings alias b instead of a copy (DecodePayloadView)
	orgBuf *OrgClaim // with view: where the "o" claim goes
	fvaBuf *[2]int   // with view: where the "fva" claim goes
}

func (d *fastDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the byte at the cursor after whitespace, or 0 at the end.
func (d *fastDecoder) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// consume skips whitespace and the byte c, reporting whether it was there.
func (d *fastDecoder) consume(c byte) bool {
	if d.peek() != c {
		return false
	}
	d.i++
	return true
}

// scanString scans the JSON string at the cursor (which must be on its
// opening quote) and returns the bounds of its contents. escaped reports a
// backslash in it, ascii that every byte is below 0x80.
func (d *fastDecoder) scanString() (start, end int, escaped, ascii, ok bool) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return 0, 0, false, false, false
	}
	start = d.i + 1
	ascii = true
	for j := start; j < len(d.b); j++ {
		c := d.b[j]
		switch {
		case c == '"':
			d.i = j + 1
			return start, j, escaped, ascii, true
		case c == '\\':
			escaped = true
			j++
			if j >= len(d.b) {
				return 0, 0, false, false, false
			}
			switch d.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(d.b) {
					return 0, 0, false, false, false
				}
				for _, h := range d.b[j+1 : j+5] {
					if !isHex(h) {
						return 0, 0, false, false, false
					}
				}
				j += 4
			default:
				return 0, 0, false, false, false
			}
		case c < 0x20:
			return 0, 0, false, false, false
		case c >= 0x80:
			ascii = false
		}
	}
	return 0, 0, false, false, false
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// name scans a member name and the colon after it. It declines names that
// UnmarshalExact would not hand to encoding/json as they are (see
// hasFoldedKey).
func (d *fastDecoder) name() ([]byte, bool) {
	if d.peek() != '"' {
		return nil, false
	}
	start, end, escaped, ascii, ok := d.scanString()
	if !ok || escaped || !ascii {
		return nil, false
	}
	key := d.b[start:end]
	if foldsOntoName(key, PayloadSchema) || !d.consume(':') {
		return nil, false
	}
	d.ws()
	return key, true
}

// str decodes a string value without escape sequences.
func (d *fastDecoder) str() (string, bool) {
	if d.peek() != '"' {
		return "", false
	}
	start, end, escaped, ascii, ok := d.scanString()
	if !ok || escaped || (!ascii && !utf8.Valid(d.b[start:end])) {
		return "", false
	}
	if d.view {
		return unsafe.String(unsafe.SliceData(d.b[start:end]), end-start), true
	}
	if d.s == "" {
		d.s = string(d.b)
	}
	return d.s[start:end], true
}

// optStr decodes an OptString value.
func (d *fastDecoder) optStr(o *OptString) bool {
	v, ok := d.str()
	o.V, o.Set = v, true
	return ok
}

// integer decodes a JSON integer of at most maxDigits digits (no fraction,
// no exponent).
func (d *fastDecoder) integer(maxDigits int) (int64, bool) {
	d.ws()
	neg := d.i < len(d.b) && d.b[d.i] == '-'
	if neg {
		d.i++
	}
	start := d.i
	var n int64
	for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
		n = n*10 + int64(d.b[d.i]-'0')
		d.i++
		if d.i-start > maxDigits {
			return 0, false
		}
	}
	digits := d.i - start
	if digits == 0 || (digits > 1 && d.b[start] == '0') {
		return 0, false
	}
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

// date decodes a NumericDate given as an integer number of seconds.
func (d *fastDecoder) date(n *NumericDate) bool {
	v, ok := d.integer(15) // below maxNumericDate: never clamped, exact in a float64
	n.T, n.Set = time.Unix(v, 0), true
	return ok
}

// raw returns the bytes of any value but null, as json.RawMessage keeps them.
func (d *fastDecoder) raw() ([]byte, bool) {
	d.ws()
	start := d.i
	if !d.skip(0) || d.b[start] == 'n' {
		return nil, false
	}
	return d.b[start:d.i:d.i], true
}

// skip validates and skips any JSON value.
func (d *fastDecoder) skip(depth int) bool {
	if depth > maxFastDepth {
		return false
	}
	switch c := d.peek(); {
	case c == '"':
		_, _, _, _, ok := d.scanString()
		return ok
	case c == '{':
		d.i++
		if d.consume('}') {
			return true
		}
		for {
			if _, ok := d.name(); !ok || !d.skip(depth+1) {
				return false
			}
			if d.consume('}') {
				return true
			}
			if !d.consume(',') {
				return false
			}
		}
	case c == '[':
		d.i++
		if d.consume(']') {
			return true
		}
		for {
			if !d.skip(depth + 1) {
				return false
			}
			if d.consume(']') {
				return true
			}
			if !d.consume(',') {
				return false
			}
		}
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return d.number()
	}
	return false
}

func (d *fastDecoder) literal(lit string) bool {
	if len(d.b)-d.i < len(lit) || string(d.b[d.i:d.i+len(lit)]) != lit {
		return false
	}
	d.i += len(lit)
	return true
}

// number validates and skips a JSON number.
func (d *fastDecoder) number() bool {
	b, i := d.b, d.i
	digits := func() int {
		n := 0
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	d.i = i
	return true
}

// object decodes the members of an object with the callback member, which
// returns false to decline; seen guards against duplicate known members.
func (d *fastDecoder) object(member func(key []byte) bool) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	for {
		key, ok := d.name()
		if !ok || !member(key) {
			return false
		}
		if d.consume('}') {
			return true
		}
		if !d.consume(',') {
			return false
		}
	}
}

// Bits of the known payload members, to refuse duplicates.
const (
	fSub = 1 << iota
	fSid
	fAzp
	fIss
	fSts
	fExp
	fNbf
	fIat
	fV
	fFva
	fAct
	fO
	fFea
	fPla
	fOrgID
	fOrgRole
	fOrgSlug
	fOrgPermissions
	fJti
	fScp
	fScope
	fScopes
	fName
	fCID
)

func (d *fastDecoder) payload(p *Payload) bool {
	var seen uint32
	once := func(bit uint32) bool {
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		return true
	}
	return d.object(func(key []byte) bool {
		var ok bool
		switch string(key) {
		case "sub":
			if !once(fSub) {
				return false
			}
			if d.peek() == '"' {
				start := d.i
				if d.sub, d.subSet = d.str(); d.subSet {
					p.Sub = d.b[start:d.i:d.i]
					return true
				}
				d.i = start // escapes or invalid UTF-8: SubString decodes it
			}
			p.Sub, ok = d.raw()
			return ok
		case "sid":
			return once(fSid) && d.optStr(&p.Sid)
		case "azp":
			p.Azp.V, ok = d.str()
			return once(fAzp) && ok
		case "iss":
			p.Iss.V, ok = d.str()
			return once(fIss) && ok
		case "sts":
			return once(fSts) && d.optStr(&p.Sts)
		case "exp":
			return once(fExp) && d.date(&p.Exp)
		case "nbf":
			return once(fNbf) && d.date(&p.Nbf)
		case "iat":
			return once(fIat) && d.date(&p.Iat)
		case "v":
			p.V, ok = d.raw()
			return once(fV) && ok
		case "fva":
			return once(fFva) && d.fva(p)
		case "act":
			return once(fAct) && d.actor(p)
		case "o":
			return once(fO) && d.org(p)
		case "fea":
			return once(fFea) && d.optStr(&p.Fea)
		case "pla":
			return once(fPla) && d.optStr(&p.Pla)
		case "org_id":
			return once(fOrgID) && d.optStr(&p.OrgID)
		case "org_role":
			return once(fOrgRole) && d.optStr(&p.OrgRole)
		case "org_slug":
			return once(fOrgSlug) && d.optStr(&p.OrgSlug)
		case "org_permissions":
			return once(fOrgPermissions) && d.strings(&p.OrgPermissions)
		case "jti":
			return once(fJti) && d.optStr(&p.Jti)
		case "scp":
			p.Scp, ok = d.raw()
			return once(fScp) && ok
		case "scope":
			return once(fScope) && d.optStr(&p.Scope)
		case "scopes":
			p.Scopes, ok = d.raw()
			return once(fScopes) && ok
		case "name":
			return once(fName) && d.optStr(&p.Name)
		case "client_id":
			return once(fCID) && d.optStr(&p.CID)
		}
		return d.skip(1)
	})
}

// fva decodes an array of exactly two integers (fvaOf then leaves it nil
// when one is below -1, as UnmarshalExact does); it declines other shapes.
func (d *fastDecoder) fva(p *Payload) bool {
	if !d.consume('[') {
		return false
	}
	a, ok := d.integer(18)
	if !ok || !d.consume(',') {
		return false
	}
	b, ok := d.integer(18)
	if !ok || !d.consume(']') {
		return false
	}
	p.Fva.V = fvaInto(d.fvaBuf, a, b)
	return true
}

// strings decodes an array of strings (never nil, as encoding/json).
func (d *fastDecoder) strings(out *[]string) bool {
	if !d.consume('[') {
		return false
	}
	list := []string{}
	if !d.consume(']') {
		for {
			s, ok := d.str()
			if !ok {
				return false
			}
			list = append(list, s)
			if d.consume(']') {
				break
			}
			if !d.consume(',') {
				return false
			}
		}
	}
	*out = list
	return true
}

// actor decodes the act claim.
func (d *fastDecoder) actor(p *Payload) bool {
	a := &Actor{}
	var seen uint8
	ok := d.object(func(key []byte) bool {
		var bit uint8
		var dst *string
		switch string(key) {
		case "sub":
			bit, dst = 1, &a.Subject
		case "sid":
			bit, dst = 2, &a.SessionID
		case "iss":
			bit, dst = 4, &a.Issuer
		case "type":
			bit, dst = 8, &a.Type
		default:
			return d.skip(2)
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		var ok bool
		*dst, ok = d.str()
		return ok
	})
	p.Act = a
	return ok
}

// org decodes the v2 o claim.
func (d *fastDecoder) org(p *Payload) bool {
	o := d.orgBuf
	if o == nil {
		o = &OrgClaim{}
	} else {
		*o = OrgClaim{}
	}
	var seen uint8
	ok := d.object(func(key []byte) bool {
		var bit uint8
		var dst *string
		var opt *OptString
		switch string(key) {
		case "id":
			bit, dst = 1, &o.ID
		case "slg":
			bit, dst = 2, &o.Slug
		case "rol":
			bit, dst = 4, &o.Role
		case "per":
			bit, opt = 8, &o.Per
		case "fpm":
			bit, opt = 16, &o.Fpm
		default:
			return d.skip(2)
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		if opt != nil {
			return d.optStr(opt)
		}
		var ok bool
		*dst, ok = d.str()
		return ok
	})
	p.O = o
	return ok
}

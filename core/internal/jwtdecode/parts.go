package jwtdecode

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"unsafe"
)

// b64 is the base64url alphabet without padding used by JWTs (behaviour.md §3.1).
var b64 = base64.RawURLEncoding.Strict()

// MalformedError says why an input is not a well-formed JWT (behaviour.md
// §3.1): core reports it as token-invalid with Detail as its detail, the
// inspector as an input that is not a token. Detail never holds any part of
// the input.
type MalformedError struct{ Detail string }

// Error returns Detail.
func (e *MalformedError) Error() string { return e.Detail }

func malformed(detail string) *MalformedError { return &MalformedError{Detail: detail} }

// Errors of Split, allocated once rather than per refused token: a token
// without three parts is refused without allocating.
var (
	errParts         = malformed("token does not have three parts")
	errPayload       = malformed("payload is not base64url JSON")
	errSignature     = malformed("signature is not base64url")
	errPayloadSyntax = malformed("payload is not valid JSON")
)

// DecodeSegment decodes one base64url segment (no padding, behaviour.md §3.1).
func DecodeSegment(seg string) ([]byte, error) {
	return b64.DecodeString(seg)
}

// DecodeSegmentInto decodes seg into dst, which must hold DecodedLen(len(seg))
// bytes, as DecodeSegment would, and returns the number of bytes written.
func DecodeSegmentInto(dst []byte, seg string) (int, error) {
	return b64.Decode(dst, stringBytes(seg))
}

// DecodedLen is the most bytes a base64url segment of n characters decodes to.
func DecodedLen(n int) int { return b64.DecodedLen(n) }

// ValidSegment reports whether seg is strict base64url, as DecodeSegment
// would, without keeping the decoded bytes. seg must hold no line break
// (DecodeSegment skips them, which chunking would not).
func ValidSegment(seg string) bool {
	var dst [768]byte
	for len(seg) > 0 {
		n := min(len(seg), 1024) // whole quanta until the last chunk
		if _, err := b64.Decode(dst[:], stringBytes(seg[:n])); err != nil {
			return false
		}
		seg = seg[n:]
	}
	return true
}

// stringBytes is s as a byte slice sharing its memory, for decoders that
// only read their input.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// LooksLikeJSONObject reports whether b starts and ends like a JSON object;
// json.Unmarshal then validates it fully.
func LooksLikeJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) >= 2 && b[0] == '{' && b[len(b)-1] == '}'
}

// isSyntaxError reports whether err says the input is not JSON at all (as
// opposed to a claim of the wrong type).
func isSyntaxError(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

// Parts is a JWT split and decoded as far as type detection needs
// (behaviour.md §3.1, 6.2): nothing in it is verified yet.
type Parts struct {
	H64, P64  string // the header and payload segments, as in the token
	Sig       []byte // the decoded signature
	Hdr       Header
	PayJSON   []byte // the decoded payload, exactly as signed
	P         Payload
	DecodeErr error // a claim of the wrong type, reported after the signature (behaviour.md §3.5, 3.6)
	Sub       string
	SubOK     bool // sub is a JSON string
}

// Type is the behaviour.md §6.2 type of the JWT.
func (j *Parts) Type() string { return JWTType(j.Hdr.Typ, j.Hdr.Cat, j.Sub) }

// Split checks the structure of behaviour.md §3.1 (exactly three base64url parts
// with a JSON object header and payload) and decodes the header (through hc,
// which may be nil) and the claims into j, which must be zero. Every error is
// a *MalformedError; on error j is not usable.
func (j *Parts) Split(token string, hc *HeaderCache) error {
	h64, rest, ok1 := strings.Cut(token, ".")
	p64, s64, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.IndexByte(s64, '.') >= 0 {
		return errParts
	}
	j.H64, j.P64 = h64, p64
	var err error
	j.PayJSON, err = DecodeSegment(j.P64)
	if err != nil || !LooksLikeJSONObject(j.PayJSON) {
		return errPayload
	}
	j.Sig, err = DecodeSegment(s64)
	if err != nil {
		return errSignature
	}
	j.Hdr, err = hc.Parse(j.H64)
	if err != nil {
		return err
	}
	// Claims are decoded now (the type detection needs sub) but a decoding
	// error is reported only after the signature verified (behaviour.md §3.5, 3.6).
	// DecodePayloadFast handles the ordinary payload and declines anything
	// else, which then takes the general decoder.
	var fast bool
	if j.Sub, j.SubOK, fast = DecodePayloadFast(j.PayJSON, &j.P); !fast {
		p := new(Payload) // keeps j itself off the heap in core's verifyJWT
		j.DecodeErr = UnmarshalExact(j.PayJSON, p, PayloadSchema)
		if j.DecodeErr != nil && isSyntaxError(j.DecodeErr) {
			return errPayloadSyntax
		}
		j.P = *p
		j.Sub, j.SubOK = j.P.SubString()
	}
	return nil
}

// UnverifiedIssuer is the iss claim of j, unverified. When another claim
// failed to decode (reported after the signature, behaviour.md §3.6), iss is
// read on its own.
func (j *Parts) UnverifiedIssuer() string {
	if j.DecodeErr == nil {
		return j.P.Iss.V
	}
	var p struct {
		Iss PartyString `json:"iss"`
	}
	if json.Unmarshal(j.PayJSON, &p) != nil {
		return ""
	}
	return p.Iss.V
}

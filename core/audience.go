package core

import (
	"encoding/json"
	"reflect"
	"slices"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// audiences is the `aud` claim of a token, decoded once per cached Claims
// (behaviour.md §3.12).
type audiences []string

// audPayload reads `aud` only, with its exact name (behaviour.md §3.11).
type audPayload struct {
	Aud json.RawMessage `json:"aud"`
}

var audSchema = jwtdecode.NewExactSchema(reflect.TypeFor[audPayload]())

// decodeAudiences accepts `aud` as absent, null, a string or an array of
// strings; anything else (a number, an object, an array holding a
// non-string) is an error. Absent and null decode as no audiences.
func decodeAudiences(raw []byte, out *audiences) error {
	var p audPayload
	if err := jwtdecode.UnmarshalExact(raw, &p, audSchema); err != nil {
		return err
	}
	if len(p.Aud) == 0 || string(p.Aud) == "null" {
		*out = nil
		return nil
	}
	if s, err := jwtdecode.JSONString(p.Aud); err == nil {
		*out = audiences{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(p.Aud, &list); err != nil || list == nil {
		return errString("aud is not a string or an array of strings")
	}
	*out = list
	return nil
}

// present reports whether aud names an audience: an empty string names none
// (behaviour.md §3.12, as Clerk's assertAudienceClaim drops empty values).
func (aud audiences) present() bool {
	return slices.ContainsFunc(aud, func(s string) bool { return s != "" })
}

// checkAudience implements behaviour.md §3.12 for every JWT (session, M2M,
// OAuth): with audiences configured, an `aud` the token carries must contain
// one of them; a token without one (absent, null, "", [] or only empty
// strings) is not checked, as in Clerk's SDKs. An `aud` of another JSON type
// fails closed.
func (a *Authorizer) checkAudience(c *Claims) error {
	if len(a.cfg.audiences) == 0 {
		return nil
	}
	got, err := memoized(c, decodeAudiences)
	if err == nil && !got.present() {
		return nil
	}
	if err == nil && slices.ContainsFunc(got, func(s string) bool { return slices.Contains(a.cfg.audiences, s) }) {
		return nil
	}
	return &Error{Reason: ReasonTokenInvalidAudience, Detail: "aud is not one of the configured audiences", subject: c.Subject}
}

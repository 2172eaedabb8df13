package core

import (
	"encoding/json"
	"reflect"
	"slices"
)

// audiences is the `aud` claim of a token, decoded once per cached Claims
// (behaviour.md §3.12).
type audiences []string

// audPayload reads `aud` only, with its exact name (behaviour.md §3.11).
type audPayload struct {
	Aud json.RawMessage `json:"aud"`
}

var audSchema = newExactSchema(reflect.TypeFor[audPayload]())

// decodeAudiences accepts `aud` as a string or an array of strings; anything
// else (absent, null, a number, an array holding a non-string) is an error.
func decodeAudiences(raw []byte, out *audiences) error {
	var p audPayload
	if err := unmarshalExact(raw, &p, audSchema); err != nil {
		return err
	}
	if s, err := jsonString(p.Aud); err == nil {
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

// checkAudience implements behaviour.md §3.12: with audiences configured,
// `aud` must contain one of them.
func (a *Authorizer) checkAudience(c *Claims) error {
	if len(a.cfg.audiences) == 0 {
		return nil
	}
	got, err := memoized(c, decodeAudiences)
	if err == nil && slices.ContainsFunc(got, func(s string) bool { return slices.Contains(a.cfg.audiences, s) }) {
		return nil
	}
	return &Error{Reason: ReasonTokenInvalidAudience, Detail: "aud is not one of the configured audiences", subject: c.Subject}
}

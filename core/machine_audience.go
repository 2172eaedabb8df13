package core

import (
	"encoding/json"
	"slices"
)

// oauthAudiences is the `aud` of an opaque OAuth access token as the Backend
// API reports it, decoded once per cached result (behaviour.md §6.8).
type oauthAudiences []string

// decodeOAuthAudiences reads `aud` from a Backend API verify answer: a
// non-empty string or a non-empty array of non-empty strings. Anything else,
// an absent or null `aud` included, is an error, so that with audiences
// configured such a token is refused (fail closed, as Clerk's SDK does).
func decodeOAuthAudiences(raw []byte, out *oauthAudiences) error {
	var p struct {
		Aud json.RawMessage `json:"aud"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	var one string
	if err := json.Unmarshal(p.Aud, &one); err == nil && len(p.Aud) > 0 && p.Aud[0] == '"' {
		*out = oauthAudiences{one}
	} else if err := json.Unmarshal(p.Aud, (*[]string)(out)); err != nil {
		return errString("aud is not a string or an array of strings")
	}
	if len(*out) == 0 || slices.Contains(*out, "") {
		return errString("aud is empty or holds an empty string")
	}
	return nil
}

// checkOAuthAudience implements behaviour.md §6.8 for an opaque OAuth access
// token verified (or cached) through the Backend API: with audiences
// configured, its `aud` must be present and contain one of them. M2M tokens
// and API keys carry no audience and are not checked, as in Clerk's SDKs.
func checkOAuthAudience(configured []string, c *Claims) error {
	if len(configured) == 0 || c.TokenType != OAuthToken {
		return nil
	}
	got, err := memoized(c, decodeOAuthAudiences)
	if err == nil && slices.ContainsFunc(got, func(s string) bool { return slices.Contains(configured, s) }) {
		return nil
	}
	return &Error{Reason: ReasonTokenInvalidAudience, Detail: "the OAuth access token's aud is absent or not one of the configured audiences", subject: c.Subject}
}

package conformance

import (
	"encoding/json"

	"github.com/clerkguard/clerkguard/core"
)

// claimsView is the part of the claims a terminal handler echoes back.
type claimsView struct {
	OK        bool   `json:"ok"`
	UserID    string `json:"user_id,omitempty"`
	SessionID string `json:"session_id,omitempty"`
	OrgID     string `json:"org_id,omitempty"`
	TokenType string `json:"token_type,omitempty"`
}

type summaryBody struct {
	Adapter claimsView `json:"adapter"`
	Context claimsView `json:"context"`
}

func view(c *core.Claims, ok bool) claimsView {
	v := claimsView{OK: ok && c != nil}
	if c != nil {
		v.UserID, v.SessionID, v.OrgID, v.TokenType = c.Subject, c.SessionID, c.OrgID, string(c.TokenType)
	}
	return v
}

func summarize(obs Observation) []byte {
	b, _ := json.Marshal(summaryBody{Adapter: view(obs.AdapterClaims, obs.AdapterOK), Context: view(obs.ContextClaims, obs.ContextOK)})
	return b
}

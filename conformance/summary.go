package conformance

import (
	"encoding/json"

	"github.com/clerkguard/clerkguard/core"
)

// claimsView is the part of the claims a terminal handler echoes back.
type claimsView struct {
	OK            bool   `json:"ok"`
	UserID        string `json:"user_id,omitempty"`
	SessionID     string `json:"session_id,omitempty"`
	OrgID         string `json:"org_id,omitempty"`
	TokenType     string `json:"token_type,omitempty"`
	SessionStatus string `json:"session_status,omitempty"`
}

// summaryBody is the JSON body every terminal handler answers with (see
// App.Handle). Reason is the signed-out reason, present only when the harness
// reported the Result (App.HandleContext).
type summaryBody struct {
	Adapter claimsView `json:"adapter"`
	Context claimsView `json:"context"`
	Reason  string     `json:"reason,omitempty"`
}

func view(c *core.Claims, ok bool) claimsView {
	v := claimsView{OK: ok && c != nil}
	if c != nil {
		v.UserID, v.SessionID, v.OrgID, v.TokenType = c.Subject, c.SessionID, c.OrgID, string(c.TokenType)
		v.SessionStatus = c.SessionStatus
	}
	return v
}

func summarize(obs Observation) []byte {
	s := summaryBody{Adapter: view(obs.AdapterClaims, obs.AdapterOK), Context: view(obs.ContextClaims, obs.ContextOK)}
	if obs.ResultReported && obs.Result != nil {
		s.Reason = string(obs.Result.Reason())
	}
	b, _ := json.Marshal(s)
	return b
}

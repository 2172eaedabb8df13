package core

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// Refresh error reasons, as clerk/javascript's RefreshTokenErrorReason names
// them; they end the handshake reason session-token-expired-refresh-<reason>
// (behaviour.md §10.7).
const (
	refreshNonEligibleNoCookie    = "non-eligible-no-refresh-cookie"
	refreshNonEligibleNonGet      = "non-eligible-non-get"
	refreshInvalidSessionToken    = "invalid-session-token"
	refreshMissingAPIClient       = "missing-api-client"
	refreshMissingSidClaim        = "expired-session-token-missing-sid-claim"
	refreshDecodeFailed           = "expired-session-token-decode-failed"
	refreshFetchError             = "fetch-error"
	refreshUnexpectedSDKError     = "unexpected-sdk-error"
	refreshUnexpectedBAPIError    = "unexpected-bapi-error"
	maxRefreshErrorCode           = 64
	headerXClerkAuthStatus        = "X-Clerk-Auth-Status"
	headerXClerkAuthReason        = "X-Clerk-Auth-Reason"
	headerSetCookie               = "Set-Cookie"
	headerLocation                = "Location"
	headerCacheControl            = "Cache-Control"
	headerAccessControlAllowOrig  = "Access-Control-Allow-Origin"
	headerAccessControlAllowCreds = "Access-Control-Allow-Credentials"
)

// refreshHeaders are the request headers sent to the refresh endpoint
// (clerk/javascript sends all of them; a Request can only be asked by name).
var refreshHeaders = [...]string{"User-Agent", "Origin", "Referer", "Accept", "Sec-Fetch-Dest", "X-Forwarded-For"}

// refreshSession asks the Backend API for a new session from the __refresh
// cookie (POST /v1/sessions/{sid}/refresh, format cookie; behaviour.md
// §10.7). It returns the cookie directives, or the refresh error reason.
func (a *Authorizer) refreshSession(ctx context.Context, req Request, sid, expired, refresh, origin string, suffixed bool) ([]string, string) {
	if a.cfg.secretKey == "" {
		return nil, refreshMissingAPIClient
	}
	if sid == "" {
		return nil, refreshMissingSidClaim
	}
	hdrs := make(map[string][]string, len(refreshHeaders))
	for _, h := range refreshHeaders {
		if v := req.Header(h); v != "" {
			hdrs[h] = []string{v}
		}
	}
	body, err := json.Marshal(struct {
		Format         string              `json:"format"`
		ExpiredToken   string              `json:"expired_token"`
		RefreshToken   string              `json:"refresh_token"`
		RequestOrigin  string              `json:"request_origin"`
		RequestHeaders map[string][]string `json:"request_headers"`
	}{"cookie", expired, refresh, origin, hdrs})
	if err != nil {
		return nil, refreshUnexpectedSDKError
	}
	var out struct {
		Cookies []string `json:"cookies"`
		Errors  []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	path := "/v1/sessions/" + url.PathEscape(sid) + "/refresh?suffixed_cookies=" + strconv.FormatBool(suffixed)
	status, err := a.backendCall(ctx, http.MethodPost, path, bytes.NewReader(body), &out)
	switch {
	case err != nil && status == 0:
		return nil, refreshUnexpectedBAPIError
	case status != http.StatusOK && len(out.Errors) > 0:
		code := out.Errors[0].Code
		if code == "unexpected_error" {
			return nil, refreshFetchError
		}
		if !safeCode(code) {
			return nil, refreshUnexpectedBAPIError
		}
		return nil, code
	case status != http.StatusOK || err != nil:
		return nil, refreshUnexpectedBAPIError
	}
	if len(out.Cookies) == 0 {
		return nil, refreshUnexpectedSDKError
	}
	if !validDirectives(out.Cookies) {
		return nil, refreshUnexpectedBAPIError
	}
	return out.Cookies, ""
}

// safeCode accepts an error code of the Backend API for use in a header
// and a URL: 1 to 64 characters from a-z, 0-9, '_' and '-'.
func safeCode(c string) bool {
	if c == "" || len(c) > maxRefreshErrorCode {
		return false
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

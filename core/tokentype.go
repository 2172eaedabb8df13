package core

// TokenType is the kind of token a request carries (behaviour.md §6.1).
type TokenType string

// Token types. An Authorizer accepts SessionToken only unless configured with
// WithAcceptsToken or AcceptAnyToken.
const (
	SessionToken TokenType = "session_token"
	M2MToken     TokenType = "m2m_token"
	OAuthToken   TokenType = "oauth_token"
	APIKey       TokenType = "api_key"
)

// String returns the Clerk name of the token type.
func (t TokenType) String() string { return string(t) }

// IsMachine reports whether t is a machine token type (anything but a session
// token).
func (t TokenType) IsMachine() bool {
	return t == M2MToken || t == OAuthToken || t == APIKey
}

func (t TokenType) valid() bool {
	return t == SessionToken || t.IsMachine()
}

package core

import (
	"testing"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// The decoding layer names token types by the values of TokenType, which
// keeps its literal values so that `go doc` shows them (behaviour.md §6.1).
func TestTokenTypesMatchDecoder(t *testing.T) {
	for _, tc := range []struct {
		core    TokenType
		decoder string
	}{
		{SessionToken, jwtdecode.SessionToken},
		{M2MToken, jwtdecode.M2MToken},
		{OAuthToken, jwtdecode.OAuthToken},
		{APIKey, jwtdecode.APIKey},
	} {
		if string(tc.core) != tc.decoder {
			t.Errorf("core's %q is the decoder's %q: the two must name a type alike", tc.core, tc.decoder)
		}
	}
}

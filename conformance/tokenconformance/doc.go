// Package tokenconformance is the conformance suite for token verifiers:
// integrations that are handed a bare bearer token rather than a request
// (the MCP SDK's auth.TokenVerifier, a WebSocket subprotocol, a message
// queue). It runs the token tables the HTTP and RPC suites run, the
// verification table of behaviour.md §2 and §3 and the machine-token table of
// §6, and checks that the verifier under test decides exactly as the
// adapters do: the same claims for every accepted token, the same reason
// (behaviour.md §8) for every refused one, no Backend API call for a token
// type it refuses, and never the token in a log line.
//
//	func TestConformance(t *testing.T) {
//		tokenconformance.Run(t, tokenconformance.Harness{
//			Name: "mine",
//			New: func(t *testing.T, a *core.Authorizer, accept []core.TokenType) tokenconformance.Verifier {
//				v, err := mine.New(a, mine.WithTokenTypes(accept...))
//				if err != nil {
//					t.Fatal(err)
//				}
//				return v.Verify
//			},
//		})
//	}
package tokenconformance

module github.com/clerkguard/clerkguard/examples/bench

go 1.25.0

replace (
	github.com/clerkguard/clerkguard/adapters/chi => ../../adapters/chi
	github.com/clerkguard/clerkguard/conformance => ../../conformance
	github.com/clerkguard/clerkguard/core => ../../core
)

require (
	github.com/MicahParks/jwkset v0.11.4
	github.com/MicahParks/keyfunc/v3 v3.9.1
	github.com/auth0/go-jwt-middleware/v2 v2.3.1
	github.com/clerk/clerk-sdk-go/v2 v2.4.2
	github.com/clerkguard/clerkguard/adapters/chi v0.1.0
	github.com/clerkguard/clerkguard/core v0.1.0
	gopkg.in/go-jose/go-jose.v2 v2.6.3
)

require (
	github.com/go-jose/go-jose/v3 v3.0.4 // indirect
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	golang.org/x/crypto v0.45.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

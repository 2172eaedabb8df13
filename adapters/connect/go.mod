module github.com/clerkguard/clerkguard/adapters/connect

go 1.26.0

require (
	connectrpc.com/connect v1.21.1
	github.com/clerkguard/clerkguard/adapters/chi v0.1.0
	github.com/clerkguard/clerkguard/conformance v0.1.0
	github.com/clerkguard/clerkguard/core v0.1.0
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1
)

require (
	github.com/MicahParks/jwkset v0.11.4 // indirect
	github.com/MicahParks/keyfunc/v3 v3.9.1 // indirect
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	golang.org/x/time v0.15.0 // indirect
	google.golang.org/protobuf v1.36.12
)

replace github.com/clerkguard/clerkguard/core => ../../core

replace (
	github.com/clerkguard/clerkguard/adapters/chi => ../chi
	github.com/clerkguard/clerkguard/conformance => ../../conformance
)

module github.com/clerkguard/clerkguard/adapters/grpc

go 1.26.0

require (
	github.com/clerkguard/clerkguard/conformance v0.1.0
	github.com/clerkguard/clerkguard/core v0.1.0
	github.com/grpc-ecosystem/go-grpc-middleware/v2 v2.3.4
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
)

require (
	github.com/MicahParks/jwkset v0.11.4 // indirect
	github.com/MicahParks/keyfunc/v3 v3.9.1 // indirect
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.42.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace github.com/clerkguard/clerkguard/core => ../../core

replace github.com/clerkguard/clerkguard/conformance => ../../conformance

package main

import (
	"fmt"
	"os"
	"strings"
)

// Inspecting an opaque machine token without any CLERK_* variable: the type
// is recognised from its prefix, the token is shown by its first characters
// only, and nothing is verified.
func Example_opaqueToken() {
	noEnv := func(string) string { return "" }
	code := run([]string{"inspect"}, strings.NewReader("Bearer mt_0123456789abcdef0123456789abcdef\n"),
		os.Stdout, os.Stderr, noEnv)
	fmt.Println("exit code", code)
	// Output:
	// Token       mt_0123456… (35 bytes)
	// Type        opaque M2M token (m2m_token): nothing to decode; Clerk's Backend API verifies it
	//
	// Verification
	//   not verified: set CLERK_JWT_KEY, CLERK_JWKS_URL or CLERK_SECRET_KEY
	// exit code 0
}

package main

import "os"

const usage = `clerkguard inspects Clerk tokens.

Usage:
  clerkguard inspect [flags] [TOKEN]
  clerkguard help

inspect decodes a token (from TOKEN, or from stdin when TOKEN is absent or
"-"; "Bearer <token>" is accepted) and prints its header, claims, type,
organization, permissions, features, plans and times. When CLERK_JWT_KEY,
CLERK_JWKS_URL or CLERK_SECRET_KEY is set (with CLERK_PUBLISHABLE_KEY,
CLERK_AUTHORIZED_PARTIES, CLERK_API_URL and CLERK_MACHINE_SECRET_KEY, as
core.NewFromEnv reads them),
it verifies the token with clerkguard's core and prints VALID or the exact
reason it is rejected.

Flags:
  -json           print one JSON object instead of text
  -no-verify      decode only; never contact the JWKS or Backend API
  -timeout d      bound on key loading and Backend API calls (default 15s)

Exit codes: 0 valid or decoded only, 1 rejected, 2 usage error or malformed
token. The token is never printed in full and is sent nowhere but, through
core, to the configured JWKS or Backend API.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

package main

import "os"

const usage = `clerkguard inspects Clerk tokens, and mints dev tokens for local development.

Usage:
  clerkguard inspect [flags] [TOKEN]
  clerkguard dev [-key FILE] [token flags] [-app URL]
  clerkguard mint -key FILE [token flags]
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

dev starts a local Clerk stand-in (its JWKS on 127.0.0.1) and prints the
export lines that make core.NewFromEnv trust it, plus one token
(CLERK_DEV_TOKEN) for curl; it serves until Ctrl-C. With -key FILE it signs
with the RSA key in FILE (creating it, mode 0600, when missing), so tokens
survive a restart and mint can sign more. mint prints one token signed with
-key FILE to stdout. Tokens are for development only: never configure a
production service to trust a dev key.

Token flags (dev and mint):
  -user id        user (default user_dev)     -session id   session (default sess_dev)
  -org id         active organization          -org-slug s   its slug
  -role r         organization role            -perm p,…     organization permissions
  -feature f,…    organization features        -plan p,…     organization plans
  -azp url        authorized party (default http://localhost:3000)
  -machine mch_…  an M2M token instead         -scope s,…    its scopes
  -ttl d          lifetime (default 8h, at most 720h)

Exit codes: 0 valid or decoded only, 1 rejected, 2 usage error or malformed
token. inspect never prints the token in full and sends it nowhere but, through
core, to the configured JWKS or Backend API.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

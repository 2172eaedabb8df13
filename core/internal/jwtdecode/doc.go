// Package jwtdecode is clerkguard's token decoding layer (behaviour.md §3.1,
// §3.11, §4, §6.2): it splits and base64url-decodes a compact JWT, reads its
// header (with a bounded cache), decodes its payload (a hand-written fast
// path for the ordinary payload, and encoding/json with exact,
// case-sensitive member names for anything else), detects the type of a
// token (opaque machine prefixes, M2M and OAuth signs), and computes the
// session-claim view of a payload (v1 and v2 claims, org permissions from
// fea, o.per and o.fpm, feature and plan scopes).
//
// Nothing here verifies anything: signatures, keys and the claim checks are
// core's. Two packages import it: core, which builds core.Claims from it in
// its Authorizer, and the clerkguard token inspector (core/cmd/clerkguard),
// which shows what the same code reads from a token, so that the two can
// never drift apart. It imports neither; being internal, it is no part of
// core's public API.
//
// Every input is untrusted: malformed input never panics and is refused
// with a *MalformedError or decoded into fewer claims, as behaviour.md says.
package jwtdecode

// Package exampleapp is the part the six runnable examples (examples/chi,
// examples/gin, examples/echo, examples/echov5, examples/fiber,
// examples/fiberv3) share, so that they differ
// only in the framework wiring:
//
//   - Start chooses the mode. With any CLERK_* variable of core.NewFromEnv
//     set, the Authorizer comes from core.NewFromEnv: a real Clerk instance.
//     With none set, it starts the local dev mode: an in-process dev issuer
//     (a fresh RSA key, its JWKS served on 127.0.0.1) whose tokens the
//     Authorizer trusts, and prints ready-to-paste curl commands with tokens
//     for an org admin and a plain member. Dev mode refuses to start unless
//     the server listens on a loopback address, and it logs loudly that it is
//     on.
//   - The routes and their guards are described once (paths, permission,
//     role, feature, plan) with the JSON bodies the handlers return, so all
//     six examples answer the same requests with the same bytes.
package exampleapp

// Package conformance is clerkguard's exported conformance suite: one set of
// HTTP checks of behaviour.md §1, 2, 3, 4, 5 and 7 that every adapter passes, and that
// you can run in your own CI against your own application.
//
// Adapter authors call Run with a Harness that builds their framework's
// application from a neutral description (App). Application authors call
// NewBlackBox, build their real handler with the suite's core options, and
// run BlackBox.Run against it (see the package README).
//
// The suite owns every input: keys, the JWKS server, tokens and the clock.
// It checks only what comes out: status codes, headers, exact body bytes (as
// rendered by core.ProblemFor) and what the terminal handlers observed. Every
// failure message states the rule it enforces in plain words and cites its
// number in docs/behaviour.md.
package conformance

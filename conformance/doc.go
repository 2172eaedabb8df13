// Package conformance is clerkguard's exported conformance suite: one set of
// black-box HTTP checks of SPEC 1, 3, 5 and 7 that every adapter passes, and
// that you can run in your own CI against your own application.
package conformance

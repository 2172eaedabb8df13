// Package quickstart holds the README's quick starts as programs that
// compile and run: examples/quickstart/chi, gin, echo and fiber. The README
// shows each main.go from its main function on, verbatim (checked by
// TestREADMEQuickStarts), and chi's main_test.go holds the README's
// black-box conformance test verbatim. scripts/install-check builds and
// tests these directories in a fresh module that gets clerkguard with
// `go get`, as a user does.
package quickstart

package rpcconformance

import (
	"slices"
	"testing"
)

// wiringCases check how the adapter is built, before any call.
func wiringCases() []tcase {
	return []tcase{
		{Name: "NilAuthorizerPanics", Run: func(t *testing.T, s *suite) {
			if len(s.h.NilAuthorizer) == 0 {
				t.Fatalf("harness %q: Harness.NilAuthorizer is empty: list each constructor of the adapter called with a nil *core.Authorizer, or list Wiring/NilAuthorizerPanics in Unsupported", s.h.Name)
			}
			names := make([]string, 0, len(s.h.NilAuthorizer))
			for name := range s.h.NilAuthorizer {
				names = append(names, name)
			}
			slices.Sort(names)
			for _, name := range names {
				func() {
					defer func() {
						if recover() == nil {
							t.Errorf("%s: %s built with a nil *core.Authorizer must panic at once (a programming error caught at startup)", s.h.Name, name)
						}
					}()
					s.h.NilAuthorizer[name]()
				}()
			}
		}},
	}
}

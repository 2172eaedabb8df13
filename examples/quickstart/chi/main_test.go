package main

import (
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

func TestClerkConformance(t *testing.T) {
	bb := conformance.NewBlackBox(t)    // issuer + JWKS on httptest, closed with t
	a, err := core.New(bb.Options()...) // trust the suite's issuer (bb.Env() for another process)
	if err != nil {
		t.Fatal(err)
	}
	bb.Run(t, conformance.BlackBoxConfig{
		Handler:          NewRouter(a), // your router; or BaseURL: "http://127.0.0.1:8080"
		PublicPath:       "/health",
		SignedInPath:     "/me",
		PermissionMethod: "POST",
		PermissionPath:   "/invoices",
		Permission:       "org:invoices:create",
	})
}

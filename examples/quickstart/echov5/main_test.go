package main

import (
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// The README's black-box test on this quick start, in process and over a
// real listener.
func TestClerkConformance(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(bb.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	bb.RunHandlerAndServer(t, conformance.BlackBoxConfig{Handler: NewRouter(a), PublicPath: "/health", SignedInPath: "/me",
		PermissionMethod: http.MethodPost, PermissionPath: "/invoices", Permission: "org:invoices:create"}, nil)
}

package clerktest

import (
	"fmt"
	"io"
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

// StartExample starts an Issuer standing in for Clerk and an Authorizer that
// trusts it (the Issuer's AuthorizerOptions, then opts), for Example
// functions and small programs that have no *testing.T: where Start and
// Issuer.Authorizer would fail the test, it panics. Close the Issuer when
// done. In production the Authorizer comes from core.NewFromEnv.
func StartExample(opts ...core.Option) (*Issuer, *core.Authorizer) {
	iss, err := NewIssuer()
	if err != nil {
		panic(err)
	}
	a, err := core.New(append(iss.AuthorizerOptions(), opts...)...)
	if err != nil {
		iss.Close()
		panic(err)
	}
	return iss, a
}

// PrintServed serves req through h and prints the response's status code and
// body on one line ("403 {…}"), the way an Example's // Output: shows what a
// client gets back. Build req with NewRequest.
func PrintServed(h http.Handler, req *http.Request) {
	rec := Serve(h, req)
	fmt.Println(rec.Code, rec.Body.String())
}

// PrintResponse prints resp's status code and body on one line, as
// PrintServed does, and closes the body; it panics on err. It takes the two
// results of a client call or of a framework's in-memory test call as they
// are: clerktest.PrintResponse(app.Test(req)).
func PrintResponse(resp *http.Response, err error) {
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, string(body))
}

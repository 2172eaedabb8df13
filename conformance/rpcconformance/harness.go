package rpcconformance

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Harness tells the suite how to serve and call the application under test.
type Harness struct {
	// Name identifies the adapter in failure messages ("grpc", "connect").
	Name string
	// New builds a fresh server for app (once per subtest), listening on
	// bufconn or loopback, and returns a client for it. It must install the
	// adapter's interceptor with app.Authorizer and app's rules (unless
	// app.NoInterceptor), serve every procedure of app.Procedures as
	// described, and stop the server with t.Cleanup.
	New func(t *testing.T, app *App) Client
	// Unsupported lists case names ("Guards/DefaultGuard") the adapter
	// deliberately does not support; they are skipped with the reason.
	Unsupported map[string]string
	// NilAuthorizer calls each of the adapter's constructors that take a
	// *core.Authorizer (named by the key: "UnaryServerInterceptor",
	// "NewInterceptor", …) with a nil one; each must panic, a programming
	// error caught at startup. Leave it empty only by listing
	// "Wiring/NilAuthorizerPanics" in Unsupported.
	NilAuthorizer map[string]func()
}

// App is the neutral description of the server under test.
type App struct {
	// Authorizer is the Authorizer the interceptor must use.
	Authorizer *core.Authorizer
	// Procedures are the procedures to serve.
	Procedures []Procedure
	// Rules are the method rules, to install in this order: a Rule with
	// Public set is the adapter's WithPublicMethod(Pattern), any other its
	// WithMethodGuard(Pattern, Guard).
	Rules []Rule
	// Default, when non-nil, is the adapter's WithDefaultGuard(*Default).
	Default *core.Guard
	// NoInterceptor serves the procedures WITHOUT the interceptor (to check
	// that the adapter's Check answers Internal, behaviour.md §7.2).
	NoInterceptor bool

	observe func(Observation)
}

// Procedure is one procedure the server serves. Its request message is
// google.protobuf.StringValue (ignored) and its response messages
// google.protobuf.BytesValue holding the body returned by App.Handle.
type Procedure struct {
	// Name is the gRPC full method / Connect procedure,
	// "/conformance.rpc.v1.Probe/Auth".
	Name string
	// Streaming makes it a server-streaming procedure: the handler sends
	// App.Handle's body, then App.Summarize's body (read again from the
	// stream's context after the first send). Otherwise it is unary and
	// answers App.Handle's body.
	Streaming bool
	// Check, when non-nil, makes the handler first call the adapter's guard
	// helper (clerkgrpc.Check / clerkconnect.Check) with *Check and return its
	// error when it refuses.
	Check *core.Guard
}

// Rule is one method rule of the interceptor.
type Rule struct {
	Pattern string
	Guard   core.Guard
	Public  bool
}

// Client calls the server under test over a real connection.
type Client interface {
	// Call calls procedure p with the request metadata md (lower-case keys;
	// several values per key are sent in order) and reports what came back.
	// A transport failure is reported with t.Fatal by the harness, never as
	// an Outcome.
	Call(ctx context.Context, p Procedure, md map[string][]string) Outcome
}

// Outcome is what one call produced.
type Outcome struct {
	// Code is the status code; 0 (OK) on success.
	Code adapter.RPCCode
	// Message is the status message ("" on success).
	Message string
	// ErrorInfo is the google.rpc.ErrorInfo detail of the status, nil when
	// there is none. Details is the number of details of any type.
	ErrorInfo *ErrorInfo
	Details   int
	// Trailer holds the response trailers (gRPC) or the error metadata
	// (Connect: headers and trailers), with lower-case keys.
	Trailer map[string][]string
	// Messages are the response messages received, in order (BytesValue
	// contents).
	Messages [][]byte
}

// ErrorInfo is a decoded google.rpc.ErrorInfo.
type ErrorInfo struct {
	Reason   string
	Domain   string
	Metadata map[string]string
}

// Observation is what a handler saw: the claims through the adapter's
// accessor and through core's, and the Result on the context.
type Observation struct {
	AdapterClaims *core.Claims
	AdapterOK     bool
	ContextClaims *core.Claims
	ContextOK     bool
	Result        *core.Result
}

// Handle is what every handler must do first, with the context the adapter
// gave it (for streams: the stream's context) and what the adapter's own
// accessor (ClaimsFrom) returned: it records the observation and returns the
// body of the (first) response message.
func (a *App) Handle(ctx context.Context, adapterClaims *core.Claims, adapterOK bool) []byte {
	obs := observe(ctx, adapterClaims, adapterOK)
	if a.observe != nil {
		a.observe(obs)
	}
	return summarize(obs)
}

// Summarize is Handle without recording an observation: streaming handlers
// call it for their second message.
func (a *App) Summarize(ctx context.Context, adapterClaims *core.Claims, adapterOK bool) []byte {
	return summarize(observe(ctx, adapterClaims, adapterOK))
}

func observe(ctx context.Context, adapterClaims *core.Claims, adapterOK bool) Observation {
	obs := Observation{AdapterClaims: adapterClaims, AdapterOK: adapterOK}
	obs.ContextClaims, obs.ContextOK = core.ClaimsFromContext(ctx)
	obs.Result, _ = core.ResultFromContext(ctx)
	return obs
}

// summary is the JSON body of every response message.
type summary struct {
	AdapterUser string `json:"adapter_user,omitempty"`
	ContextUser string `json:"context_user,omitempty"`
	TokenType   string `json:"token_type,omitempty"`
	Reason      string `json:"reason,omitempty"`
	HasResult   bool   `json:"has_result"`
}

func summarize(o Observation) []byte {
	var s summary
	if o.AdapterOK && o.AdapterClaims != nil {
		s.AdapterUser, s.TokenType = o.AdapterClaims.Subject, string(o.AdapterClaims.TokenType)
	}
	if o.ContextOK && o.ContextClaims != nil {
		s.ContextUser = o.ContextClaims.Subject
	}
	if o.Result != nil {
		s.HasResult, s.Reason = true, string(o.Result.Reason())
	}
	b, _ := json.Marshal(s)
	return b
}

// Options translates app's rules into an adapter's options, in order, given
// the adapter's option constructors:
//
//	opts := rpcconformance.Options(app, clerkgrpc.WithMethodGuard, clerkgrpc.WithPublicMethod, clerkgrpc.WithDefaultGuard)
func Options[O any](app *App, guard func(pattern string, g core.Guard) O, public func(pattern string) O, def func(g core.Guard) O) []O {
	var opts []O
	for _, r := range app.Rules {
		if r.Public {
			opts = append(opts, public(r.Pattern))
		} else {
			opts = append(opts, guard(r.Pattern, r.Guard))
		}
	}
	if app.Default != nil {
		opts = append(opts, def(*app.Default))
	}
	return opts
}

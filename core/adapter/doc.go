// Package adapter is for authors of clerkguard adapters: what every
// framework integration (clerkchi, clerkgin, clerkecho, clerkfiber,
// clerkgrpc, clerkconnect, yours) is built from, so that none re-implements
// a decision, a log line or a response. Applications never need it: they
// use package core and their framework's adapter.
//
// An HTTP adapter is four small pieces (docs/writing-an-adapter.md in the
// repository walks through them):
//
//   - A request view: a core.Request over the framework's request (Header,
//     Cookie) that also implements PathRequest, QueryRequest and
//     MethodRequest, for log lines, core.QuerySource and PassPreflightOption.
//     core.HTTPRequest is the view of a *http.Request.
//   - Options: aliases of MiddlewareOption, GuardOption and Option typed by
//     the adapter's error handler and request, built with
//     ErrorHandlerOption, SkipperOption and PassPreflightOption and read
//     with NewMiddlewareConfig and NewGuardConfig.
//   - Middleware: built with MustMiddlewareConfig (nil Authorizer and
//     handshake checks, the options applied), then
//     MiddlewareConfig.NewRequest (net/http) or NewState once per request,
//     never rejecting; the State is the request's context
//     (core.ResultFromContext reads it) and may go into the framework's own
//     per-request store. ClaimsOf and ResultOf of that State are the
//     adapter's ClaimsFrom and ResultFrom; AddAnswer and ReplaceHeader
//     write answers and problems to a header that is not net/http's.
//   - Guards: GuardConfig.Evaluate of a core.Guard against the State, which
//     decides (core), lets CORS preflights through when asked and logs 403
//     decisions; a rejection is rendered by GuardConfig.Handler, whose
//     default renders core.ProblemFor; the adapter then stops the request.
//
// RPC adapters build a ProcedureRules table from their options, call
// ProcedureRules.Authorize once per call and render refusals with
// RPCProblemFor; MustAuthorizer guards their constructors and
// EvaluateContext is their Check inside a handler.
//
// The test of an adapter is the conformance suite: conformance.Run with a
// Harness that builds the framework's application (rpcconformance.Run for
// RPC), plus tests of what only the adapter does. The suite's own tests
// build a reference adapter from this package alone.
package adapter

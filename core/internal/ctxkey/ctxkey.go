// Package ctxkey holds the context key under which the authentication
// Result of a request is stored: package core reads it (ResultFromContext)
// and package adapter writes it (its State answers it), so neither exports the
// key nor a hook to reach it.
package ctxkey

// Result is the key of the request's *core.Result.
type Result struct{}

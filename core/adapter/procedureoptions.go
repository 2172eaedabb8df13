package adapter

import "github.com/clerkguard/clerkguard/core"

// ProcedureOption configures the ProcedureRules of an RPC adapter's
// interceptor: the type behind clerkgrpc.Option and clerkconnect.Option,
// whose WithMethodGuard, WithDefaultGuard and WithPublicMethod return
// MethodGuardOption, DefaultGuardOption and PublicMethodOption.
type ProcedureOption func(*ProcedureRules)

// NewProcedureRules returns the rules opts set, applied in order (a later
// rule for the same pattern replaces an earlier one; nil options are
// ignored).
func NewProcedureRules(opts []ProcedureOption) *ProcedureRules {
	r := &ProcedureRules{}
	for _, o := range opts {
		if o != nil {
			o(r)
		}
	}
	return r
}

// MethodGuardOption is ProcedureRules.SetGuard(pattern, g) as an option.
func MethodGuardOption(pattern string, g core.Guard) ProcedureOption {
	return func(r *ProcedureRules) { r.SetGuard(pattern, g) }
}

// DefaultGuardOption is ProcedureRules.SetDefault(g) as an option.
func DefaultGuardOption(g core.Guard) ProcedureOption {
	return func(r *ProcedureRules) { r.SetDefault(g) }
}

// PublicMethodOption is ProcedureRules.SetPublic(pattern) as an option.
func PublicMethodOption(pattern string) ProcedureOption {
	return func(r *ProcedureRules) { r.SetPublic(pattern) }
}

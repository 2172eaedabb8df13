package conformance_test

import (
	"log"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// reference is the smallest correct net/http harness, built on core alone.
// It proves the suite passes against a correct adapter; each real adapter
// runs the suite in its own module.
func reference(t *testing.T, app *conformance.App) http.Handler {
	return build(app, "")
}

// referenceNil is the reference middleware's constructor check: a nil
// Authorizer is a programming error.
func referenceNil() {
	var a *core.Authorizer
	if a == nil {
		panic("reference: Middleware needs a non-nil *core.Authorizer")
	}
}

// leaked is the shared state of the "leaky" broken harness.
var (
	leakMu sync.Mutex
	leaked *core.Claims
)

// build mounts app; flaw names one deliberate wiring mistake (see
// TestSuiteCatchesBrokenHarnesses), "" for none.
func build(app *conformance.App, flaw string) http.Handler {
	mux := http.NewServeMux()
	for _, r := range app.Routes {
		switch flaw {
		case "no-middleware":
			r.NoMiddleware = true
		case "middleware-everywhere":
			r.NoMiddleware = false
		case "no-guard":
			r.Guard = nil
		}
		var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			c, ok := core.ClaimsFromContext(req.Context())
			var body []byte
			switch flaw {
			case "adapter-only":
				body = app.Handle(conformance.Observation{AdapterClaims: c, AdapterOK: ok})
			case "leaky":
				leakMu.Lock()
				if ok {
					leaked = c
				}
				c, ok = leaked, leaked != nil
				leakMu.Unlock()
				body = app.HandleContext(req.Context(), c, ok)
			default:
				body = app.HandleContext(req.Context(), c, ok)
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		})
		if flaw == "named-bypassed" { // the adapter's Guard only, named functions never mounted
			if r.Guard != nil {
				h = guardMW(flaw)(*r.Guard, r.Hook)(h)
			}
		} else if _, opts := referenceOptions.For(r); r.Guard != nil {
			guard, _ := referenceGuards(flaw).For(r, opts...)
			h = guard(h)
		}
		if !r.NoMiddleware {
			next := h
			mwOpts, _ := referenceOptions.For(r)
			switch flaw {
			case "skipper-ignored":
				mwOpts, _ = referenceOptions.For(conformance.Route{MiddlewareHook: r.MiddlewareHook})
			case "middleware-hook-ignored":
				mwOpts, _ = referenceOptions.For(conformance.Route{Skipped: r.Skipped})
			}
			withQueryToken := adapter.QueryTokenOption[conformance.ErrorHook, *http.Request]
			switch flaw {
			case "query-token-ignored": // WithQueryToken never passed
			case "query-token-everywhere": // every route reads ?token=
				mwOpts = append(mwOpts, withQueryToken("token"))
			default:
				mwOpts = append(mwOpts, conformance.QueryTokenOptions(r, withQueryToken)...)
			}
			if flaw != "handshake-ignored" {
				mwOpts = append(mwOpts, conformance.HandshakeOptions(app, adapter.HandshakeOption[conformance.ErrorHook, *http.Request])...)
			}
			cfg := adapter.NewMiddlewareConfig(mwOpts)
			h = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				req, st := cfg.NewRequest(app.Authorizer, req, req)
				if st.WriteAnswer(w) {
					return
				}
				next.ServeHTTP(w, req)
			})
		}
		mux.Handle(r.HTTPMethod()+" "+r.Path, h)
	}
	return mux
}

// writeProblem is the default error rendering of the reference harness, or
// one of the rendering flaws the suite must catch (behaviour.md §7: the same bytes and
// headers from every adapter).
func writeProblem(w http.ResponseWriter, err error, flaw string) {
	p := core.ProblemFor(err)
	switch flaw {
	case "trailing-newline": // what encoding/json.Encoder (gin c.JSON, echo c.JSON) appends
		p.Body = append(p.Body, '\n')
	case "extra-header":
		w.Header().Set("X-Powered-By", "broken")
	case "charset": // what fiber c.JSON and gin c.JSON send
		p.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	core.WriteProblem(w, p)
}

// referenceOptions are the reference harness's options: its middleware
// options are core/adapter's, its guard options the hooks themselves.
var referenceOptions = conformance.Options[adapter.MiddlewareOption[conformance.ErrorHook, *http.Request], conformance.ErrorHook]{
	Hook: func(h conformance.ErrorHook) (adapter.MiddlewareOption[conformance.ErrorHook, *http.Request], conformance.ErrorHook) {
		return adapter.ErrorHandlerOption[conformance.ErrorHook, *http.Request](h), h
	},
	SkipAll: func() adapter.MiddlewareOption[conformance.ErrorHook, *http.Request] {
		return adapter.SkipperOption[conformance.ErrorHook](func(*http.Request) bool { return true })
	},
}

// mw is the reference harness's guard type; its guard option is the
// route's conformance.ErrorHook itself.
type mw = func(http.Handler) http.Handler

// guardMW is the reference harness's Guard: adapter.GuardConfig.Evaluate, the
// route's hook, and the guard flaws the suite must catch.
func guardMW(flaw string) func(g core.Guard, hooks ...conformance.ErrorHook) mw {
	return func(g core.Guard, hooks ...conformance.ErrorHook) mw {
		var opts []adapter.GuardOption[conformance.ErrorHook]
		for _, h := range hooks {
			if h == passPreflight {
				opts = append(opts, adapter.PassPreflightOption[conformance.ErrorHook]())
			} else if h == resourceMeta {
				opts = append(opts, adapter.ResourceMetadataOption[conformance.ErrorHook]("https://api.conformance.test/.well-known/oauth-protected-resource"))
			} else if h == redirectToSignIn {
				opts = append(opts, adapter.RedirectToSignInOption[conformance.ErrorHook](""))
			} else {
				opts = append(opts, adapter.ErrorHandlerOption[conformance.ErrorHook, *http.Request](h))
			}
		}
		cfg := adapter.NewGuardConfig(opts)
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				st, _ := adapter.StateFromContext(req.Context())
				if st == nil && flaw == "guard-passes-without-middleware" {
					next.ServeHTTP(w, req)
					return
				}
				err := cfg.Evaluate(req.Context(), g, st, core.HTTPRequest(req))
				if err == nil {
					next.ServeHTTP(w, req)
					return
				}
				if ans, ok := cfg.SignInRedirect(st, core.HTTPRequest(req), err); ok {
					ans.WriteTo(w)
					return
				}
				switch cfg.Handler(st, conformance.HookDefault) {
				case conformance.HookSilent:
					if flaw == "silent-continues" {
						next.ServeHTTP(w, req)
					}
				case conformance.HookCustom:
					if flaw == "hook-ignored" {
						core.WriteError(w, err)
						return
					}
					w.Header().Set("Content-Type", "text/plain; charset=utf-8")
					w.WriteHeader(http.StatusTeapot)
					_, _ = w.Write([]byte("custom:" + string(core.ReasonOf(err))))
				default:
					writeProblem(w, err, flaw)
				}
			})
		}
	}
}

// referenceGuards are the reference harness's named guards, each a one-liner
// over guardMW as in every adapter, or one of the named-guard flaws.
// passPreflight is the reference harness's WithPassPreflight: its guard
// options are error hooks, and this one value stands for the option.
const passPreflight conformance.ErrorHook = -1

// resourceMeta is the reference harness's WithResourceMetadata, the same way;
// the suite uses one URL.
const resourceMeta conformance.ErrorHook = -2

// redirectToSignIn stands for WithRedirectToSignIn("") the same way: the
// suite's routes use the Authorizer's sign-in URL.
const redirectToSignIn conformance.ErrorHook = -3

func referenceGuards(flaw string) conformance.Guards[mw, conformance.ErrorHook] {
	type H = conformance.ErrorHook
	guard := guardMW(flaw)
	gs := conformance.Guards[mw, H]{
		Guard:             guard,
		RequireAuth:       func(o ...H) mw { return guard(core.RequireAuth(), o...) },
		RequirePermission: func(p string, o ...H) mw { return guard(core.RequirePermission(p), o...) },
		RequireRole:       func(r string, o ...H) mw { return guard(core.RequireRole(r), o...) },
		RequireFeature:    func(f string, o ...H) mw { return guard(core.RequireFeature(f), o...) },
		RequirePlan:       func(p string, o ...H) mw { return guard(core.RequirePlan(p), o...) },
		RequireScope:      func(s string, o ...H) mw { return guard(core.RequireScope(s), o...) },
		Require:           func(fn func(*core.Claims) bool, o ...H) mw { return guard(core.Require(fn), o...) },
		AcceptsToken:      func(ts []core.TokenType, o ...H) mw { return guard(core.AcceptsToken(ts...), o...) },
		RequireReverification: func(r core.Reverification, o ...H) mw {
			return guard(core.RequireReverification(r), o...)
		},
		WithPassPreflight: func() H { return passPreflight },
		WithRedirectToSignIn: func(url string) H {
			if url != "" {
				panic("reference harness: WithRedirectToSignIn takes only the Authorizer's URL")
			}
			return redirectToSignIn
		},
		WithResourceMetadata: func(string) H { return resourceMeta },
	}
	switch flaw {
	case "named-miswired": // RequireRole wired to the permission check
		gs.RequireRole = func(r string, o ...H) mw { return guard(core.RequirePermission(r), o...) }
	case "named-drops-options":
		gs.RequireFeature = func(f string, _ ...H) mw { return guard(core.RequireFeature(f)) }
	}
	return gs
}

func TestReferenceHarness(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "reference", New: reference, NilAuthorizer: referenceNil})
}

// TestSuiteCatchesBrokenHarnesses runs the suite (in a child process, since a
// failing suite fails its *testing.T) against harnesses with one deliberate
// wiring mistake each, and checks that it fails with a message naming it.
func TestSuiteCatchesBrokenHarnesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child test processes")
	}
	for _, c := range []struct{ flaw, groups, want string }{
		{"no-middleware", "Wiring", "the authentication middleware is not installed"},
		{"handshake-ignored", "Handshake", "status 200, want 307"},
		{"middleware-everywhere", "Wiring", "NoMiddleware"},
		{"no-guard", "Wiring", "guard RequireAuth is not installed"},
		{"named-miswired", "Guards", "RequireRole answers as Guard(core.RequireRole"},
		{"named-drops-options", "Guards", "RequireFeature must pass its options on"},
		{"named-bypassed", "Guards", "not mounted through Guards.For"},
		{"adapter-only", "Context", "core.ClaimsFromContext"},
		{"leaky", "Context|Concurrency", "behaviour.md §7.5"},
		{"hook-ignored", "Responses", "custom hook's 418"},
		{"silent-continues", "Responses", "must still stop the request"},
		{"trailing-newline", "Responses", `\n", want exactly`},
		{"extra-header", "Responses", "extra response header X-Powered-By"},
		{"charset", "Responses", "header Content-Type"},
		{"guard-passes-without-middleware", "Guards", "never lets a request through"},
		{"skipper-ignored", "Options", "WithSkipper"},
		{"middleware-hook-ignored", "Options", "the middleware's hook as the guard's default"},
		{"nil-authorizer-accepted", "Options", "must panic at once"},
		{"query-token-ignored", "Sources", "behaviour.md §1.6: the route that opts in reads it"},
		{"query-token-everywhere", "Sources", "behaviour.md §1.6: a planted ?token= on a route that did not opt in"},
	} {
		t.Run(c.flaw, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenHarnessChild$/^("+c.groups+")$", "-test.count=1")
			cmd.Env = append(os.Environ(), "CONFORMANCE_BROKEN="+c.flaw)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a harness with flaw %q:\n%s", c.flaw, out)
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("flaw %q: the suite failed without saying %q:\n%.3000s", c.flaw, c.want, out)
			}
		})
	}
}

// TestBrokenHarnessChild is the child of TestSuiteCatchesBrokenHarnesses.
func TestBrokenHarnessChild(t *testing.T) {
	flaw := os.Getenv("CONFORMANCE_BROKEN")
	if flaw == "" {
		t.Skip("helper process of TestSuiteCatchesBrokenHarnesses")
	}
	conformance.Run(t, conformance.Harness{Name: "broken-" + flaw, New: func(_ *testing.T, app *conformance.App) http.Handler {
		return build(app, flaw)
	}, NilAuthorizer: func() {
		if flaw != "nil-authorizer-accepted" {
			referenceNil()
		}
	}})
}

func TestCaseNamesStableAndUnique(t *testing.T) {
	names := conformance.CaseNames()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("duplicate case name %q", n)
		}
		seen[n] = true
	}
	if len(names) < 100 {
		t.Errorf("only %d cases", len(names))
	}
	t.Logf("%d cases", len(names))
}

// The suite captures slog.Default while it checks the wiring-error log line
// (Guards/MiddlewareMissingEveryGuard); it must hand the standard log package
// back untouched.
func TestRunRestoresDefaultLoggers(t *testing.T) {
	var buf strings.Builder
	prevOut, prevFlags := log.Writer(), log.Flags()
	log.SetOutput(&buf)
	defer func() { log.SetOutput(prevOut); log.SetFlags(prevFlags) }()
	before := slog.Default()
	conformance.Run(t, conformance.Harness{Name: "reference", New: reference, NilAuthorizer: referenceNil})
	if slog.Default() != before {
		t.Error("conformance.Run left slog.Default replaced")
	}
	log.Print("after-run")
	if !strings.Contains(buf.String(), "after-run") {
		t.Errorf("conformance.Run left the log package redirected: %q", buf.String())
	}
}

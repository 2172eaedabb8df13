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
)

// reference is the smallest correct net/http harness, built on core alone.
// It proves the suite passes against a correct adapter; each real adapter
// runs the suite in its own module.
func reference(t *testing.T, app *conformance.App) http.Handler {
	return build(app, "")
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
			r.Guard = conformance.GuardNone
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
		if g, ok := guardFor(r); ok {
			next := h
			h = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				res, _ := core.ResultFromContext(req.Context())
				if res == nil && flaw == "guard-passes-without-middleware" {
					next.ServeHTTP(w, req)
					return
				}
				if err := g.EvaluateRequest(req.Context(), res, core.HTTPRequest(req)); err != nil {
					switch r.Hook {
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
					return
				}
				next.ServeHTTP(w, req)
			})
		}
		if !r.NoMiddleware {
			next := h
			h = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				res := app.Authorizer.AuthenticateResult(req.Context(), core.HTTPRequest(req))
				ctx := core.ContextWithResult(req.Context(), res)
				next.ServeHTTP(w, req.WithContext(ctx))
			})
		}
		method := r.Method
		if method == "" {
			method = http.MethodGet
		}
		mux.Handle(method+" "+r.Path, h)
	}
	return mux
}

// writeProblem is the default error rendering of the reference harness, or
// one of the rendering flaws the suite must catch (SPEC 7: the same bytes and
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

func guardFor(r conformance.Route) (core.Guard, bool) {
	switch r.Guard {
	case conformance.GuardAuth:
		return core.RequireAuth(), true
	case conformance.GuardPermission:
		return core.RequirePermission(r.Arg), true
	case conformance.GuardRole:
		return core.RequireRole(r.Arg), true
	case conformance.GuardFeature:
		return core.RequireFeature(r.Arg), true
	case conformance.GuardPlan:
		return core.RequirePlan(r.Arg), true
	case conformance.GuardCustom:
		return core.Require(r.Custom), true
	case conformance.GuardScope:
		return core.RequireScope(r.Arg), true
	case conformance.GuardAcceptsToken:
		return core.AcceptsToken(r.Types...), true
	}
	return core.Guard{}, false
}

func TestReferenceHarness(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "reference", New: reference})
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
		{"middleware-everywhere", "Wiring", "NoMiddleware"},
		{"no-guard", "Wiring", "guard (kind 1) is not installed"},
		{"adapter-only", "Context", "core.ClaimsFromContext"},
		{"leaky", "Context|Concurrency", "SPEC 7.5"},
		{"hook-ignored", "Responses", "custom hook's 418"},
		{"silent-continues", "Responses", "must still stop the request"},
		{"trailing-newline", "Responses", `\n", want exactly`},
		{"extra-header", "Responses", "extra response header X-Powered-By"},
		{"charset", "Responses", "header Content-Type"},
		{"guard-passes-without-middleware", "Guards", "never lets a request through"},
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
	conformance.Run(t, conformance.Harness{Name: "reference", New: reference})
	if slog.Default() != before {
		t.Error("conformance.Run left slog.Default replaced")
	}
	log.Print("after-run")
	if !strings.Contains(buf.String(), "after-run") {
		t.Errorf("conformance.Run left the log package redirected: %q", buf.String())
	}
}

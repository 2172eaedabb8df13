package core_test

import (
	"errors"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// behaviour.md §14.1: Guard.WithResourceMetadata adds the RFC 9728 §5.1
// resource_metadata parameter to the guard's 401 challenges, and to nothing
// else.
func TestRule14_1_ResourceMetadata(t *testing.T) {
	const meta = "https://api.example.com/.well-known/oauth-protected-resource"
	signedIn := &core.Result{Claims: &core.Claims{Subject: "user_1", TokenType: core.SessionToken}}
	for _, c := range []struct {
		name   string
		g      core.Guard
		res    *core.Result
		status int
		www    string
	}{
		{"NoToken", core.RequireAuth(), &core.Result{Err: core.ErrSessionTokenMissing}, 401, `Bearer resource_metadata="` + meta + `"`},
		{"Rejected", core.RequireAuth(), &core.Result{Err: core.ErrTokenExpired}, 401, `Bearer error="invalid_token", resource_metadata="` + meta + `"`},
		{"TypeMismatch", core.RequireScope("a"), signedIn, 401, `Bearer error="invalid_token", resource_metadata="` + meta + `"`},
		{"Forbidden", core.RequireRole("admin"), signedIn, 403, ""},
		{"Unavailable", core.RequireAuth(), &core.Result{Err: core.ErrJWKRemoteFailedToLoad}, 503, ""},
		{"MiddlewareMissing", core.RequireAuth(), nil, 500, ""},
		{"Allowed", core.RequireAuth(), signedIn, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.g.WithResourceMetadata(meta).Evaluate(c.res)
			if c.status == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			p := core.ProblemFor(err)
			if p.Status != c.status || p.Header.Get("WWW-Authenticate") != c.www {
				t.Errorf("status %d WWW-Authenticate %q, want %d %q", p.Status, p.Header.Get("WWW-Authenticate"), c.status, c.www)
			}
			plain := core.ProblemFor(c.g.Evaluate(c.res))
			if string(plain.Body) != string(p.Body) || plain.Reason != p.Reason {
				t.Errorf("the body must not change: %s vs %s", p.Body, plain.Body)
			}
		})
	}
	// The shared sentinels are not modified.
	_ = core.RequireAuth().WithResourceMetadata(meta).Evaluate(&core.Result{Err: core.ErrSessionTokenMissing})
	if got := core.ProblemFor(core.ErrSessionTokenMissing).Header.Get("WWW-Authenticate"); got != "Bearer" {
		t.Errorf("the sentinel changed: %q", got)
	}
	err := core.RequireAuth().WithResourceMetadata(meta).Evaluate(&core.Result{Err: core.ErrTokenExpired})
	if !errors.Is(err, core.ErrTokenExpired) || core.ReasonOf(err) != core.ReasonTokenExpired {
		t.Errorf("errors.Is and ReasonOf must still see the reason: %v", err)
	}
	if core.RequireAuth().WithResourceMetadata(meta).ResourceMetadata() != meta {
		t.Error("ResourceMetadata does not return the URL")
	}
}

// behaviour.md §14.1: a URL a challenge cannot carry is ignored.
func TestRule14_1_ResourceMetadataRefusesBadURLs(t *testing.T) {
	for _, u := range []string{"", "/meta", "ftp://x.example/m", "https://", "https:///m", `https://x.example/"`, `https://x.example/\`, "https://x.example/a b", "https://x.example/\u00e9", "https://x.example/\n"} {
		if got := core.RequireAuth().WithResourceMetadata(u).ResourceMetadata(); got != "" {
			t.Errorf("WithResourceMetadata(%q) was kept", u)
		}
	}
	for _, u := range []string{"https://x.example", "http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp"} {
		if got := core.RequireAuth().WithResourceMetadata(u).ResourceMetadata(); got != u {
			t.Errorf("WithResourceMetadata(%q) was refused", u)
		}
	}
}

package main

import (
	"bytes"
	"errors"
	"flag"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

func TestRun(t *testing.T) {
	api := clerktest.StartBackend(t)
	api.AddUser(clerktest.User{ID: "user_1", FirstName: "Ada"})
	api.AddOrganization(clerktest.Organization{ID: "org_1", Name: "Acme"})
	env := map[string]string{
		"CLERK_SECRET_KEY": api.SecretKey(),
		"CLERK_API_URL":    api.URL(), // the base URL, without /v1, as core reads it
		"DATABASE_URL":     "sqlite:" + filepath.Join(t.TempDir(), "b.db"),
	}
	getenv := func(k string) string { return env[k] }
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"-page-size", "1"}, getenv, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	// page size 1 reads 2 objects a page (1 new + 1 overlap): users 1 page,
	// organizations 1, memberships of org_1 1.
	if got := out.String(); got != "users 1, organizations 1, memberships 0, pages 3\n" {
		t.Fatalf("output %q", got)
	}
	if strings.Contains(errOut.String(), api.SecretKey()) {
		t.Fatal("the secret key was logged")
	}
	out.Reset()
	if err := run(t.Context(), nil, getenv, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "already complete") {
		t.Fatalf("a second run must say the import is already complete: %q %v", out.String(), err)
	}

	for _, tc := range []struct {
		name   string
		key    string
		status int
		hint   bool
	}{
		{"RejectedKey", "sk_test_wrong", 0, false},
		{"Outage", "", http.StatusServiceUnavailable, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"CLERK_SECRET_KEY": api.SecretKey(), "CLERK_API_URL": api.URL(), "DATABASE_URL": env["DATABASE_URL"]}
			if tc.key != "" {
				env["CLERK_SECRET_KEY"] = tc.key
			}
			api.Fail(func(*http.Request) int { return tc.status })
			defer api.Fail(nil)
			err := run(t.Context(), []string{"-restart"}, func(k string) string { return env[k] }, &out, &errOut)
			if err == nil || strings.Contains(err.Error(), "resume") != tc.hint {
				t.Fatalf("got %v: the resume hint must appear only for failures a new run can get past (want hint %v)", err, tc.hint)
			}
		})
	}
	if err := run(t.Context(), nil, func(string) string { return "" }, &out, &errOut); err == nil || !strings.Contains(err.Error(), "CLERK_SECRET_KEY") {
		t.Fatalf("ran without CLERK_SECRET_KEY: %v", err)
	}
	if err := run(t.Context(), []string{"-page-size", "9999"}, getenv, &out, &errOut); err == nil {
		t.Fatal("page size 9999 accepted")
	}
}

// -h prints the usage with every environment variable on stdout and is not
// a failure (main exits 0 on flag.ErrHelp).
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		t.Run(arg, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(t.Context(), []string{arg}, func(string) string { return "" }, &out, &errOut)
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("%s: %v, want flag.ErrHelp (exit 0)", arg, err)
			}
			for _, want := range []string{"CLERK_SECRET_KEY", "CLERK_API_URL", "DATABASE_URL", "USERSYNC_TABLE_PREFIX", "-page-size", "-restart"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("%s: usage lacks %s:\n%s", arg, want, out.String())
				}
			}
		})
	}
}

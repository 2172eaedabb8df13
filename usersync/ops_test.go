package usersync_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/usersync"
)

// ClientConfigFromEnv reads core's variables; CLERK_API_URL is the base URL
// without /v1, and /v1 is added (behaviour.md §11.9).
func TestClientConfigFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name, key, url string
		wantURL        string // "" = clerk-sdk-go's default
		wantErr        bool
	}{
		{"KeyOnly", "sk_test_1", "", "", false},
		{"BaseURL", "sk_test_1", "https://api.clerk.test", "https://api.clerk.test/v1", false},
		{"TrailingSlash", "sk_test_1", "https://api.clerk.test/ ", "https://api.clerk.test/v1", false},
		{"AlreadyV1", "sk_test_1", "https://api.clerk.test/v1", "https://api.clerk.test/v1", false},
		{"NoKey", "", "https://api.clerk.test", "", true},
		{"NotHTTP", "sk_test_1", "ftp://api.clerk.test", "", true},
		{"NoHost", "sk_test_1", "https://", "", true},
		{"Query", "sk_test_1", "https://api.clerk.test?x=1", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"CLERK_SECRET_KEY": tc.key, "CLERK_API_URL": tc.url}
			cfg, err := usersync.ClientConfigFromEnv(func(k string) string { return env[k] })
			if tc.wantErr {
				if err == nil {
					t.Fatalf("accepted %q / %q", tc.key, tc.url)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := clerkString(cfg.Key); got != tc.key {
				t.Errorf("key %q", got)
			}
			if got := clerkString(cfg.URL); got != tc.wantURL {
				t.Errorf("URL %q, want %q", got, tc.wantURL)
			}
		})
	}
}

func clerkString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// A Provisioner given the base URL (CLERK_API_URL's spelling) or
// clerk-sdk-go's …/v1 reaches the same Backend API.
func TestWithClientConfigEitherURL(t *testing.T) {
	iss, api := newIssuer(t), fakeWithAda(t)
	for _, u := range []string{api.URL(), api.URL() + "/", api.URL() + "/v1"} {
		t.Run(u, func(t *testing.T) {
			s := database{"sqlite", filepath.Join(t.TempDir(), "u.db")}.open(t)
			j := newJIT(t, iss, api, s, usersync.WithClientConfig(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
				URL: clerk.String(u), Key: clerk.String(testSecretKey)}}))
			if _, err := j.auth.VerifyToken(t.Context(), token(iss, "user_1", "")); err != nil {
				t.Fatalf("URL %s: %v", u, err)
			}
		})
	}
}

// Open caps its pool at DefaultMaxOpenConns, or WithMaxOpenConns's value
// (behaviour.md §11.3).
func TestOpenConnectionCap(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []usersync.Option
		want int
	}{
		{"Default", nil, usersync.DefaultMaxOpenConns},
		{"Zero", []usersync.Option{usersync.WithMaxOpenConns(0)}, usersync.DefaultMaxOpenConns},
		{"One", []usersync.Option{usersync.WithMaxOpenConns(1)}, 1},
		{"Max", []usersync.Option{usersync.WithMaxOpenConns(1000)}, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := database{"sqlite", filepath.Join(t.TempDir(), "c.db")}.open(t, tc.opts...)
			if got := s.DB().Stats().MaxOpenConnections; got != tc.want {
				t.Fatalf("MaxOpenConnections %d, want %d", got, tc.want)
			}
		})
	}
	for _, n := range []int{-1, 1001} {
		if _, err := usersync.Open(t.Context(), filepath.Join(t.TempDir(), "x.db"), usersync.WithMaxOpenConns(n)); err == nil {
			t.Errorf("WithMaxOpenConns(%d) accepted", n)
		}
	}
}

// Resumable says which Backfill failures a new run can get past
// (behaviour.md §11.8).
func TestResumable(t *testing.T) {
	api := func(status int) error {
		return fmt.Errorf("%w: list users: %w", usersync.ErrBackend, &clerk.APIErrorResponse{HTTPStatusCode: status})
	}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"Nil", nil, false},
		{"Outage", api(503), true},
		{"RateLimited", api(429), true},
		{"Timeout", fmt.Errorf("%w: %w", usersync.ErrBackend, context.DeadlineExceeded), true},
		{"Cancelled", fmt.Errorf("usersync: backfill users: %w", context.Canceled), true},
		{"Transport", fmt.Errorf("%w: list users: connection refused", usersync.ErrBackend), true},
		{"KeyRefused", api(401), false},
		{"Forbidden", api(403), false},
		{"Paging", fmt.Errorf("%w: backfill users", usersync.ErrPaging), false},
		{"SchemaTooNew", usersync.ErrSchemaTooNew, false},
		{"Unknown", errors.New("usersync: WithPageSize 9999: want 1 to 500"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := usersync.Resumable(tc.err); got != tc.want {
				t.Fatalf("Resumable(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

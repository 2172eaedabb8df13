package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// A tiny Backend API with one user and one organization without members,
// in Clerk's JSON shapes.
func fakeAPI(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	user := `{"id":"user_1","object":"user","first_name":"Ada","primary_email_address_id":"idn_1",
"email_addresses":[{"id":"idn_1","object":"email_address","email_address":"ada@x.test"}],"public_metadata":{},"private_metadata":{},"created_at":1,"updated_at":2}`
	mux.HandleFunc("GET /v1/users", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer sk_test_cmd" {
			http.Error(w, `{"errors":[{"code":"authentication_invalid"}]}`, http.StatusUnauthorized)
			return
		}
		if r.URL.Query().Get("offset") == "0" {
			w.Write([]byte("[" + user + "]"))
			return
		}
		w.Write([]byte("[]"))
	})
	mux.HandleFunc("GET /v1/users/count", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"object":"total_count","total_count":1}`))
	})
	mux.HandleFunc("GET /v1/organizations", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") != "0" {
			w.Write([]byte(`{"data":[],"total_count":1}`))
			return
		}
		w.Write([]byte(`{"data":[{"id":"org_1","object":"organization","name":"Acme","slug":"acme","public_metadata":{},"private_metadata":{},"created_at":1,"updated_at":2}],"total_count":1}`))
	})
	mux.HandleFunc("GET /v1/organizations/org_1/memberships", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":[],"total_count":0}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestRun(t *testing.T) {
	srv := fakeAPI(t)
	env := map[string]string{
		"CLERK_SECRET_KEY": "sk_test_cmd",
		"CLERK_API_URL":    srv.URL,
		"DATABASE_URL":     "sqlite:" + filepath.Join(t.TempDir(), "b.db"),
	}
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"-page-size", "1"}, func(k string) string { return env[k] }, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	if got := out.String(); got != "users 1, organizations 1, memberships 0, pages 5\n" {
		t.Fatalf("output %q", got)
	}
	if strings.Contains(errOut.String(), "sk_test_cmd") {
		t.Fatal("the secret key was logged")
	}
	out.Reset()
	if err := run(t.Context(), nil, func(k string) string { return env[k] }, &out, &errOut); err != nil || out.String() != "users 0, organizations 0, memberships 0, pages 0\n" {
		t.Fatalf("second run must find the backfill done: %q %v", out.String(), err)
	}

	env["CLERK_SECRET_KEY"] = "sk_test_wrong"
	if err := run(t.Context(), []string{"-restart"}, func(k string) string { return env[k] }, &out, &errOut); err == nil || !strings.Contains(err.Error(), "resume") {
		t.Fatalf("rejected key: %v", err)
	}
	if err := run(t.Context(), nil, func(string) string { return "" }, &out, &errOut); err == nil {
		t.Fatal("ran without CLERK_SECRET_KEY")
	}
	if err := run(t.Context(), []string{"-page-size", "9999"}, func(k string) string { return env[k] }, &out, &errOut); err == nil {
		t.Fatal("page size 9999 accepted")
	}
}

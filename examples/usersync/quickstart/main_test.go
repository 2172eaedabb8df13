package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// The quick start runs against clerktest's Issuer and fake Backend API: a
// signed-in user unknown locally is provisioned on the first GET /me.
func TestQuickStart(t *testing.T) {
	iss := clerktest.Start(t)
	api := clerktest.NewBackend(clerktest.WithBackendSecretKey(iss.SecretKey()))
	api.AddUser(clerktest.User{ID: "user_1", Email: "ada@example.test"})
	iss.Handle(api) // CLERK_SECRET_KEY=iss.SecretKey(), CLERK_API_URL=iss.APIURL()
	env := map[string]string{
		core.EnvSecretKey: iss.SecretKey(), core.EnvAPIURL: iss.APIURL(),
		"CLERK_WEBHOOK_SIGNING_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"DATABASE_URL":                 filepath.Join(t.TempDir(), "q.db"),
	}
	store, h, err := setup(t.Context(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	req.Header.Set("Authorization", "Bearer "+iss.Mint(clerktest.Session{UserID: "user_1", TTL: time.Minute}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var me map[string]string
	_ = json.Unmarshal(rec.Body.Bytes(), &me)
	if rec.Code != http.StatusOK || me["email"] != "ada@example.test" {
		t.Fatalf("GET /me: %d %s, want user_1 provisioned", rec.Code, rec.Body.String())
	}
}

// usersync/README.md's quick start is this program from func main on, to
// the byte.
func TestREADMEQuickStart(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(src), "\nfunc main() {")
	want := string(src)[i+1:]
	readme, err := os.ReadFile("../../../usersync/README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```go\n"+want+"```\n") {
		t.Fatalf("usersync/README.md's quick start is not examples/usersync/quickstart/main.go from func main on:\n%s", want)
	}
	// The fake Backend API snippet is TestQuickStart's first lines.
	test, err := os.ReadFile("main_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(test), "func TestQuickStart(t *testing.T) {\n")
	lines := strings.SplitAfter(body, "\n")[:4]
	var snippet strings.Builder
	for _, l := range lines {
		snippet.WriteString(strings.TrimPrefix(l, "\t"))
	}
	if !strings.Contains(string(readme), "```go\n"+snippet.String()+"```\n") {
		t.Fatalf("usersync/README.md's clerktest snippet is not TestQuickStart's first lines:\n%s", snippet.String())
	}
}

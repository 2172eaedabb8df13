package usersync_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

const testSecretKey = "sk_test_usersync"

// fakeAPI is clerktest's fake Backend API with the shorthands these tests
// use: objects added as the exact Clerk JSON of helpers_test.go.
type fakeAPI struct {
	*clerktest.Backend
	t testing.TB
}

func newFakeAPI(t testing.TB) *fakeAPI {
	return &fakeAPI{clerktest.StartBackend(t, clerktest.WithBackendSecretKey(testSecretKey)), t}
}

// config is the clerk-sdk-go configuration pointing at the fake, with the
// base URL (no /v1): usersync adds /v1 itself.
func (f *fakeAPI) config() *clerk.ClientConfig {
	return &clerk.ClientConfig{BackendConfig: clerk.BackendConfig{URL: clerk.String(f.URL()), Key: clerk.String(testSecretKey)}}
}

func (f *fakeAPI) add(js string) {
	f.t.Helper()
	if err := f.AddJSON(js); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fakeAPI) addUser(js string)             { f.add(js) }
func (f *fakeAPI) addOrg(js string)              { f.add(js) }
func (f *fakeAPI) addMember(_ string, js string) { f.add(js) }

// requests returns the requests so far as "path?offset", and forgets them.
func (f *fakeAPI) requests() []string {
	var out []string
	for _, r := range f.Log() {
		path, raw, _ := strings.Cut(r, "?")
		q, _ := url.ParseQuery(raw)
		out = append(out, path+"?"+q.Get("offset"))
	}
	return out
}

package usersync_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
)

const testSecretKey = "sk_test_usersync"

// fakeAPI is an httptest Backend API serving Clerk's JSON shapes for the
// endpoints clerk-sdk-go calls: GET /v1/users/{id}, /v1/users (a JSON
// array) and /v1/users/count, /v1/organizations/{id}, /v1/organizations and
// /v1/organizations/{id}/memberships (paginated lists {"data", "total_count"}).
type fakeAPI struct {
	srv *httptest.Server

	mu      sync.Mutex
	users   []string // JSON objects, in creation order
	orgs    []string
	members map[string][]string // by organization id
	// fail, when set, answers a request instead of the data: a status
	// (0 lets the request through).
	fail  func(r *http.Request) int
	delay time.Duration

	calls atomic.Int64
	paths sync.Map // path → *atomic.Int64
	log   []string // request URIs, in order
}

func newFakeAPI(t testing.TB) *fakeAPI {
	f := &fakeAPI{members: map[string][]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// config is the clerk-sdk-go configuration pointing at the fake.
func (f *fakeAPI) config() *clerk.ClientConfig {
	return &clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
		URL: clerk.String(f.srv.URL + "/v1"), Key: clerk.String(testSecretKey)}}
}

func (f *fakeAPI) addUser(js string) { f.mu.Lock(); f.users = append(f.users, js); f.mu.Unlock() }
func (f *fakeAPI) addOrg(js string)  { f.mu.Lock(); f.orgs = append(f.orgs, js); f.mu.Unlock() }
func (f *fakeAPI) addMember(orgID, js string) {
	f.mu.Lock()
	f.members[orgID] = append(f.members[orgID], js)
	f.mu.Unlock()
}

func (f *fakeAPI) setFail(fn func(*http.Request) int) { f.mu.Lock(); f.fail = fn; f.mu.Unlock() }
func (f *fakeAPI) setDelay(d time.Duration)           { f.mu.Lock(); f.delay = d; f.mu.Unlock() }

// requests returns the requests so far as "path?offset", and forgets them.
func (f *fakeAPI) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.log
	f.log = nil
	return l
}

// count returns how many requests reached path.
func (f *fakeAPI) count(path string) int64 {
	if v, ok := f.paths.Load(path); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

func idOf(js string) string {
	var o struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(js), &o)
	return o.ID
}

func apiError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"errors":[{"code":"` + code + `","message":"` + code + `","long_message":"` + code + `"}],"clerk_trace_id":"trace_1"}`))
}

func page(all []string, r *http.Request) []string {
	limit, offset := 10, 0
	if v, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil {
		limit = v
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("offset")); err == nil {
		offset = v
	}
	if offset > len(all) {
		offset = len(all)
	}
	return all[offset:min(offset+limit, len(all))]
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	v, _ := f.paths.LoadOrStore(r.URL.Path, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	f.mu.Lock()
	f.log = append(f.log, r.URL.Path+"?"+r.URL.Query().Get("offset"))
	fail, delay := f.fail, f.delay
	users, orgs := slices.Clone(f.users), slices.Clone(f.orgs)
	members := map[string][]string{}
	for k, v := range f.members {
		members[k] = slices.Clone(v)
	}
	f.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if r.Header.Get("Authorization") != "Bearer "+testSecretKey {
		apiError(w, http.StatusUnauthorized, "authentication_invalid")
		return
	}
	if fail != nil {
		if status := fail(r); status != 0 {
			apiError(w, status, "internal_clerk_error")
			return
		}
	}
	if r.Method != http.MethodGet {
		apiError(w, http.StatusMethodNotAllowed, "method_not_allowed")
		return
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/v1"), "/"), "/")
	list := func(items []string) {
		p := page(items, r)
		writeJSON(w, `{"data":[`+strings.Join(p, ",")+`],"total_count":`+strconv.Itoa(len(items))+`}`)
	}
	find := func(items []string, id string) {
		for _, js := range items {
			if idOf(js) == id {
				writeJSON(w, js)
				return
			}
		}
		apiError(w, http.StatusNotFound, "resource_not_found")
	}
	switch {
	case len(parts) == 1 && parts[0] == "users":
		writeJSON(w, "["+strings.Join(page(users, r), ",")+"]")
	case len(parts) == 2 && parts[0] == "users" && parts[1] == "count":
		writeJSON(w, `{"object":"total_count","total_count":`+strconv.Itoa(len(users))+`}`)
	case len(parts) == 2 && parts[0] == "users":
		find(users, parts[1])
	case len(parts) == 1 && parts[0] == "organizations":
		list(orgs)
	case len(parts) == 2 && parts[0] == "organizations":
		find(orgs, parts[1])
	case len(parts) == 3 && parts[0] == "organizations" && parts[2] == "memberships":
		ms := members[parts[1]]
		if uids := r.URL.Query()["user_id"]; len(uids) > 0 {
			var keep []string
			for _, js := range ms {
				var m struct {
					PublicUserData struct {
						UserID string `json:"user_id"`
					} `json:"public_user_data"`
				}
				_ = json.Unmarshal([]byte(js), &m)
				if slices.Contains(uids, m.PublicUserData.UserID) {
					keep = append(keep, js)
				}
			}
			ms = keep
		}
		list(ms)
	default:
		apiError(w, http.StatusNotFound, "resource_not_found")
	}
}

func writeJSON(w http.ResponseWriter, js string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(js))
}

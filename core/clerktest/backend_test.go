package clerktest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

func get(t *testing.T, b *clerktest.Backend, key, path string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, b.URL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func ids(t *testing.T, body string) string {
	t.Helper()
	var wrapped struct {
		Data []struct{ ID string } `json:"data"`
	}
	var arr []struct{ ID string }
	if strings.HasPrefix(body, "[") {
		if err := json.Unmarshal([]byte(body), &arr); err != nil {
			t.Fatal(err)
		}
	} else if err := json.Unmarshal([]byte(body), &wrapped); err != nil {
		t.Fatal(err)
	} else {
		arr = wrapped.Data
	}
	var out []string
	for _, o := range arr {
		out = append(out, o.ID)
	}
	return strings.Join(out, ",")
}

// The fake Backend API pages, orders and filters its lists the way Clerk's
// do, and refuses what it does not model.
func TestBackendLists(t *testing.T) {
	b := clerktest.StartBackend(t)
	for i := 1; i <= 5; i++ {
		b.AddUser(clerktest.User{ID: fmt.Sprintf("user_%d", i), CreatedAt: int64(1000 + i)})
	}
	b.AddOrganization(clerktest.Organization{ID: "org_1"})
	b.AddMembership(clerktest.Membership{OrganizationID: "org_1", UserID: "user_2", Role: "org:admin"})
	b.AddMembership(clerktest.Membership{OrganizationID: "org_1", UserID: "user_3"})
	key := b.SecretKey()
	for _, tc := range []struct {
		path   string
		status int
		ids    string
	}{
		{"/v1/users", 200, "user_5,user_4,user_3,user_2,user_1"},
		{"/v1/users?order_by=%2Bcreated_at&limit=2&offset=1", 200, "user_2,user_3"},
		{"/v1/users?order_by=%2Bcreated_at&offset=5", 200, ""},
		{"/v1/users?order_by=%2Bcreated_at&created_at_after=1003", 200, "user_4,user_5"},
		{"/v1/users?order_by=-created_at&created_at_before=1003", 200, "user_2,user_1"},
		{"/v1/users?user_id=user_4&user_id=user_1", 200, "user_4,user_1"},
		{"/v1/users?limit=500", 200, "user_5,user_4,user_3,user_2,user_1"},
		{"/v1/users?limit=501", 422, ""},
		{"/v1/users?limit=0", 422, ""},
		{"/v1/users?offset=-1", 422, ""},
		{"/v1/users?order_by=%2Bemail_address", 422, ""},
		{"/v1/organizations?order_by=%2Bcreated_at", 200, "org_1"},
		{"/v1/organizations/org_1/memberships?user_id=user_3", 200, "orgmem_org_1_user_3"},
		{"/v1/organizations/org_2/memberships", 404, ""},
		{"/v1/users/user_9", 404, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			status, body, _ := get(t, b, key, tc.path)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if status == 200 {
				if got := ids(t, body); got != tc.ids {
					t.Fatalf("ids %q, want %q", got, tc.ids)
				}
			}
		})
	}
	if status, body, _ := get(t, b, key, "/v1/users/count"); status != 200 || body != `{"object":"total_count","total_count":5}` {
		t.Fatalf("count: %d %s", status, body)
	}
	if status, body, _ := get(t, b, key, "/v1/organizations"); status != 200 || !strings.HasSuffix(body, `"total_count":1}`) {
		t.Fatalf("organizations: %d %s", status, body)
	}
	if status, _, _ := get(t, b, "sk_test_wrong", "/v1/users"); status != 401 {
		t.Fatalf("a wrong secret key must get 401, got %d", status)
	}
	b.DeleteUser("user_3")
	if _, body, _ := get(t, b, key, "/v1/organizations/org_1/memberships"); ids(t, body) != "orgmem_org_1_user_2" {
		t.Fatalf("deleting a user must delete its memberships: %s", body)
	}
	if got := b.RequestsTo("/v1/users"); got != 12 {
		t.Fatalf("RequestsTo(/v1/users) = %d, want 12", got)
	}
}

// RateLimit, Fail, IgnorePaging and OnRequest misbehave on demand; MaxInFlight
// measures concurrency.
func TestBackendMisbehaves(t *testing.T) {
	b := clerktest.StartBackend(t)
	b.AddUser(clerktest.User{ID: "user_1"})
	b.AddUser(clerktest.User{ID: "user_2"})
	key := b.SecretKey()

	b.RateLimit(1, 1500*time.Millisecond)
	status, _, h := get(t, b, key, "/v1/users/user_1")
	if status != 429 || h.Get("Retry-After") != "2" {
		t.Fatalf("rate limited: %d Retry-After %q, want 429 and 2 (seconds, rounded up)", status, h.Get("Retry-After"))
	}
	if status, _, _ := get(t, b, key, "/v1/users/user_1"); status != 200 {
		t.Fatalf("after the limited answers: %d", status)
	}

	b.Fail(func(r *http.Request) int { return 502 })
	if status, _, _ := get(t, b, key, "/v1/users/user_1"); status != 502 {
		t.Fatalf("Fail: %d", status)
	}
	b.Fail(nil)

	b.IgnorePaging(true)
	_, p1, _ := get(t, b, key, "/v1/users?limit=1&order_by=%2Bcreated_at")
	_, p2, _ := get(t, b, key, "/v1/users?limit=1&offset=1&order_by=%2Bcreated_at")
	if ids(t, p1) != "user_1" || p1 != p2 {
		t.Fatalf("IgnorePaging must serve the first page for every offset: %s then %s", p1, p2)
	}
	b.IgnorePaging(false)

	b.OnRequest(func(*http.Request) { b.DeleteUser("user_1") })
	if status, _, _ := get(t, b, key, "/v1/users/user_1"); status != 404 {
		t.Fatalf("OnRequest runs before the answer: %d", status)
	}
	b.OnRequest(nil)

	b.Delay(50 * time.Millisecond)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { get(t, b, key, "/v1/users/user_2") })
	}
	wg.Wait()
	if b.MaxInFlight() < 2 || b.MaxInFlight() > 4 {
		t.Fatalf("MaxInFlight = %d, want 2 to 4 for 4 concurrent slow requests", b.MaxInFlight())
	}
	if err := b.AddJSON(`{"id":"x","object":"invoice"}`); err == nil {
		t.Fatal("AddJSON accepted an unknown object")
	}
}

// A Backend mounted on an Issuer shares its URL and secret key, so one
// server plays Clerk for keys, tokens and the Backend API.
func ExampleBackend() {
	iss, _ := clerktest.NewIssuer()
	defer iss.Close()
	b := clerktest.NewBackend(clerktest.WithBackendSecretKey(iss.SecretKey()))
	b.AddUser(clerktest.User{ID: "user_1", Email: "ada@example.test", FirstName: "Ada"})
	iss.Handle(b)

	req, _ := http.NewRequest(http.MethodGet, iss.APIURL()+"/v1/users/user_1", nil)
	req.Header.Set("Authorization", "Bearer "+iss.SecretKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var u struct {
		ID        string `json:"id"`
		FirstName string `json:"first_name"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&u)
	fmt.Println(resp.StatusCode, u.ID, u.FirstName, b.Requests())
	// Output: 200 user_1 Ada 1
}

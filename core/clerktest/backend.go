package clerktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Backend is a fake Clerk Backend API for tests: users, organizations and
// organization memberships held in memory and served in Clerk's JSON shapes
// at the paths clerk-sdk-go (and usersync) call, under /v1:
//
//	GET /v1/users                             JSON array; limit, offset, order_by, user_id, created_at_after/_before
//	GET /v1/users/count                       {"object":"total_count","total_count":n}
//	GET /v1/users/{id}                        the user, or 404 resource_not_found
//	GET /v1/organizations                     {"data":[…],"total_count":n}; limit, offset, order_by
//	GET /v1/organizations/{id}                the organization, or 404
//	GET /v1/organizations/{id}/memberships    {"data":[…],"total_count":n}; limit, offset, order_by, user_id, created_at_after/_before
//
// Lists default to limit 10 and order_by -created_at, as Clerk's do; limit
// must be 1 to 500 and order_by ±created_at (anything else is answered 422,
// so a test notices a query the fake does not model). Every request must
// carry "Authorization: Bearer <SecretKey>", else 401 authentication_invalid.
//
// It also misbehaves on demand, for the failure paths: RateLimit answers
// 429 with Retry-After, Fail answers any status, Delay slows every answer,
// IgnorePaging serves the first page whatever the offset, and OnRequest
// runs before each answer (to delete an object in the middle of a paging
// run, for example). Requests, RequestsTo and MaxInFlight measure what
// reached it.
//
// Use it alone (StartBackend, or NewBackend as an http.Handler) or on an
// Issuer, which then serves keys, machine-token verification and this API
// from one URL: iss.Handle(clerktest.NewBackend(clerktest.WithBackendSecretKey(iss.SecretKey()))).
// The base URL for clerkguard (CLERK_API_URL) is the server's URL, without
// /v1; clerk-sdk-go's ClientConfig.URL is that URL + "/v1".
type Backend struct {
	secretKey string
	srv       *httptest.Server // set by StartBackend

	mu      sync.Mutex
	users   []object
	orgs    []object
	members map[string][]object // by organization id
	seq     int64               // creation times handed out by default
	delay   time.Duration
	fail    func(*http.Request) int
	limited int           // answers left to rate-limit
	retry   time.Duration // their Retry-After
	ignore  bool
	hook    func(*http.Request)
	log     []string

	requests atomic.Int64
	inFlight atomic.Int64
	maxIn    atomic.Int64
	paths    sync.Map // path → *atomic.Int64
}

// object is one Clerk object as JSON, with what lists sort and filter on.
type object struct {
	id        string
	userID    string // memberships: public_user_data.user_id
	createdAt int64
	raw       json.RawMessage
}

// BackendOption configures NewBackend and StartBackend.
type BackendOption func(*Backend)

// DefaultBackendSecretKey is the secret key a Backend accepts unless
// WithBackendSecretKey says otherwise.
const DefaultBackendSecretKey = "sk_test_clerktest_backend"

// WithBackendSecretKey sets the secret key the Backend accepts (default
// DefaultBackendSecretKey). Pass an Issuer's SecretKey to mount the Backend
// on that Issuer.
func WithBackendSecretKey(sk string) BackendOption {
	return func(b *Backend) {
		if sk != "" {
			b.secretKey = sk
		}
	}
}

// NewBackend returns an empty fake Backend API, an http.Handler: serve it
// with httptest.NewServer or mount it on an Issuer with Issuer.Handle.
func NewBackend(opts ...BackendOption) *Backend {
	b := &Backend{secretKey: DefaultBackendSecretKey, members: map[string][]object{}, seq: 1_700_000_000_000}
	for _, o := range opts {
		if o != nil {
			o(b)
		}
	}
	return b
}

// StartBackend starts a Backend on its own httptest.Server, closed when the
// test ends.
func StartBackend(t testing.TB, opts ...BackendOption) *Backend {
	t.Helper()
	b := NewBackend(opts...)
	b.srv = httptest.NewServer(b)
	t.Cleanup(b.srv.Close)
	return b
}

// URL is the base URL of a Backend started with StartBackend (without /v1:
// what CLERK_API_URL and core.WithAPIURL take); empty otherwise.
func (b *Backend) URL() string {
	if b.srv == nil {
		return ""
	}
	return b.srv.URL
}

// SecretKey is the secret key the Backend accepts.
func (b *Backend) SecretKey() string { return b.secretKey }

// User describes a user to add (AddUser). Zero fields get plain defaults:
// the email "<id>@example.test", creation times in the order of addition.
type User struct {
	ID                   string
	Email                string
	FirstName, LastName  string
	Username             string
	ExternalID           string
	PublicMetadata       map[string]any
	PrivateMetadata      map[string]any
	CreatedAt, UpdatedAt int64 // Unix milliseconds
}

// Organization describes an organization to add (AddOrganization).
type Organization struct {
	ID, Name, Slug       string
	PublicMetadata       map[string]any
	PrivateMetadata      map[string]any
	CreatedAt, UpdatedAt int64 // Unix milliseconds
}

// Membership describes an organization membership to add (AddMembership).
type Membership struct {
	ID                   string // default "orgmem_<org>_<user>"
	OrganizationID       string
	UserID               string
	Role                 string // default "org:member"
	Permissions          []string
	CreatedAt, UpdatedAt int64 // Unix milliseconds
}

func (b *Backend) times(created, updated int64) (int64, int64) {
	if created == 0 {
		b.seq++
		created = b.seq
	}
	if updated == 0 {
		updated = created
	}
	return created, updated
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AddUser adds a user in Clerk's user JSON shape (one verified primary email).
func (b *Backend) AddUser(u User) {
	b.mu.Lock()
	defer b.mu.Unlock()
	created, updated := b.times(u.CreatedAt, u.UpdatedAt)
	email := orDefault(u.Email, u.ID+"@example.test")
	js := map[string]any{
		"id": u.ID, "object": "user", "external_id": nullable(u.ExternalID), "username": nullable(u.Username),
		"first_name": nullable(u.FirstName), "last_name": nullable(u.LastName),
		"image_url": "", "has_image": false, "primary_email_address_id": "idn_" + u.ID,
		"email_addresses": []any{map[string]any{"id": "idn_" + u.ID, "object": "email_address", "email_address": email,
			"verification": map[string]any{"status": "verified", "strategy": "email_code"}}},
		"phone_numbers": []any{}, "web3_wallets": []any{}, "external_accounts": []any{},
		"public_metadata": orEmpty(u.PublicMetadata), "private_metadata": orEmpty(u.PrivateMetadata), "unsafe_metadata": map[string]any{},
		"banned": false, "locked": false, "created_at": created, "updated_at": updated,
	}
	b.users = append(b.users, mustObject(js))
}

// AddOrganization adds an organization in Clerk's JSON shape.
func (b *Backend) AddOrganization(o Organization) {
	b.mu.Lock()
	defer b.mu.Unlock()
	created, updated := b.times(o.CreatedAt, o.UpdatedAt)
	js := map[string]any{
		"id": o.ID, "object": "organization", "name": orDefault(o.Name, o.ID), "slug": orDefault(o.Slug, o.ID),
		"image_url": "", "has_image": false, "max_allowed_memberships": 0, "admin_delete_enabled": true,
		"public_metadata": orEmpty(o.PublicMetadata), "private_metadata": orEmpty(o.PrivateMetadata),
		"created_at": created, "updated_at": updated,
	}
	b.orgs = append(b.orgs, mustObject(js))
}

// AddMembership adds userID's membership of an organization in Clerk's
// JSON shape (with the organization and public_user_data objects).
func (b *Backend) AddMembership(m Membership) {
	b.mu.Lock()
	defer b.mu.Unlock()
	created, updated := b.times(m.CreatedAt, m.UpdatedAt)
	perms := m.Permissions
	if perms == nil {
		perms = []string{}
	}
	js := map[string]any{
		"id": orDefault(m.ID, "orgmem_"+m.OrganizationID+"_"+m.UserID), "object": "organization_membership",
		"role": orDefault(m.Role, "org:member"), "permissions": perms, "public_metadata": map[string]any{}, "private_metadata": map[string]any{},
		"organization": map[string]any{"id": m.OrganizationID, "object": "organization", "name": m.OrganizationID, "slug": m.OrganizationID,
			"public_metadata": map[string]any{}, "private_metadata": map[string]any{}, "created_at": created, "updated_at": created},
		"public_user_data": map[string]any{"user_id": m.UserID, "identifier": m.UserID, "image_url": "", "has_image": false},
		"created_at":       created, "updated_at": updated,
	}
	b.members[m.OrganizationID] = append(b.members[m.OrganizationID], mustObject(js))
}

// AddJSON adds objects given as Clerk JSON, each placed by its "object"
// field: "user", "organization" or "organization_membership" (listed under
// its organization.id). It is for tests that need exact shapes; it returns
// an error for anything else.
func (b *Backend) AddJSON(objects ...string) error {
	for _, js := range objects {
		var head struct {
			ID        string `json:"id"`
			Object    string `json:"object"`
			CreatedAt int64  `json:"created_at"`
			Org       struct {
				ID string `json:"id"`
			} `json:"organization"`
			User struct {
				UserID string `json:"user_id"`
			} `json:"public_user_data"`
		}
		if err := json.Unmarshal([]byte(js), &head); err != nil || head.ID == "" {
			return fmt.Errorf("clerktest: AddJSON: not a Clerk object with an id: %v", err)
		}
		o := object{id: head.ID, userID: head.User.UserID, createdAt: head.CreatedAt, raw: json.RawMessage(js)}
		b.mu.Lock()
		switch head.Object {
		case "user":
			b.users = append(b.users, o)
		case "organization":
			b.orgs = append(b.orgs, o)
		case "organization_membership":
			b.members[head.Org.ID] = append(b.members[head.Org.ID], o)
		default:
			b.mu.Unlock()
			return fmt.Errorf("clerktest: AddJSON: unknown object %q", head.Object)
		}
		b.mu.Unlock()
	}
	return nil
}

// DeleteUser removes a user and its memberships, as Clerk does.
func (b *Backend) DeleteUser(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.users = slices.DeleteFunc(b.users, func(o object) bool { return o.id == id })
	for org, ms := range b.members {
		b.members[org] = slices.DeleteFunc(ms, func(o object) bool { return o.userID == id })
	}
}

// DeleteOrganization removes an organization and its memberships.
func (b *Backend) DeleteOrganization(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.orgs = slices.DeleteFunc(b.orgs, func(o object) bool { return o.id == id })
	delete(b.members, id)
}

// RateLimit answers the next n requests 429 too_many_requests with
// "Retry-After: <retryAfter in whole seconds, at least 1>", as Clerk does
// when an instance exceeds its rate limit.
func (b *Backend) RateLimit(n int, retryAfter time.Duration) {
	b.mu.Lock()
	b.limited, b.retry = n, retryAfter
	b.mu.Unlock()
}

// Fail makes fn decide every answer: a non-zero status is answered with a
// Clerk error body instead of the data. Nil removes it.
func (b *Backend) Fail(fn func(*http.Request) int) {
	b.mu.Lock()
	b.fail = fn
	b.mu.Unlock()
}

// Delay delays every answer by d (real time; a request that ends first gets
// none).
func (b *Backend) Delay(d time.Duration) {
	b.mu.Lock()
	b.delay = d
	b.mu.Unlock()
}

// IgnorePaging makes lists ignore offset and created_at filters, serving the
// first page again and again, like a broken proxy or API version.
func (b *Backend) IgnorePaging(ignore bool) {
	b.mu.Lock()
	b.ignore = ignore
	b.mu.Unlock()
}

// OnRequest runs fn (outside the Backend's lock, so fn may change the
// Backend) before each authenticated request is answered. Nil removes it.
func (b *Backend) OnRequest(fn func(*http.Request)) {
	b.mu.Lock()
	b.hook = fn
	b.mu.Unlock()
}

// Requests is the number of requests that reached the Backend.
func (b *Backend) Requests() int64 { return b.requests.Load() }

// RequestsTo is the number of requests that reached path ("/v1/users").
func (b *Backend) RequestsTo(path string) int64 {
	if v, ok := b.paths.Load(path); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

// MaxInFlight is the largest number of requests the Backend was answering
// at once.
func (b *Backend) MaxInFlight() int64 { return b.maxIn.Load() }

// Log returns the requests so far as "path?query" (the raw query) and
// forgets them.
func (b *Backend) Log() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.log
	b.log = nil
	return l
}

func mustObject(js map[string]any) object {
	raw, err := json.Marshal(js)
	if err != nil {
		panic(err) // maps of plain values always marshal
	}
	var userID string
	if p, ok := js["public_user_data"].(map[string]any); ok {
		userID, _ = p["user_id"].(string)
	}
	return object{id: js["id"].(string), userID: userID, createdAt: js["created_at"].(int64), raw: raw}
}

package usersync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/organization"
	"github.com/clerk/clerk-sdk-go/v2/organizationmembership"
	"github.com/clerk/clerk-sdk-go/v2/user"
	"github.com/clerkguard/clerkguard/webhooks"
)

// DefaultBackendTimeout bounds each Backend API call (on top of the
// caller's context) unless WithBackendTimeout or WithPageTimeout says
// otherwise.
const DefaultBackendTimeout = 5 * time.Second

// clerkAPI reads users, organizations and memberships through Clerk's own
// Go client, clerk-sdk-go v2, and hands them over in the webhooks shapes the
// Store writes (the same JSON: Clerk's objects).
type clerkAPI struct {
	users   *user.Client
	orgs    *organization.Client
	members *organizationmembership.Client
	timeout time.Duration
}

// newClerkAPI builds the clients from cfg (nil: clerk-sdk-go's defaults, the
// key of clerk.SetKey and api.clerk.com). Without an HTTP client of its own,
// cfg gets one that follows no redirects (the secret key would go along)
// and times out after timeout. Either way its transport is wrapped in the
// upstream bounds: at most concurrent calls at once, 429s waited out
// (upstream.go). A URL without "/v1" gets it.
func newClerkAPI(cfg *clerk.ClientConfig, timeout time.Duration, concurrent int) *clerkAPI {
	c := clerk.ClientConfig{}
	if cfg != nil {
		c = *cfg
	}
	if c.URL != nil {
		c.URL = clerk.String(versionedURL(*c.URL))
	}
	var hc http.Client
	if c.HTTPClient != nil {
		hc = *c.HTTPClient
	} else {
		hc = http.Client{
			Timeout: timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	}
	hc.Transport = newUpstream(hc.Transport, concurrent)
	c.HTTPClient = &hc
	return &clerkAPI{
		users:   user.NewClient(&c),
		orgs:    organization.NewClient(&c),
		members: organizationmembership.NewClient(&c),
		timeout: timeout,
	}
}

func (c *clerkAPI) user(ctx context.Context, id string) (*webhooks.User, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u, err := c.users.Get(ctx, id)
	if err != nil {
		return nil, apiErr("get user", err)
	}
	return convert[webhooks.User](u)
}

func (c *clerkAPI) organization(ctx context.Context, id string) (*webhooks.Organization, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	o, err := c.orgs.Get(ctx, id)
	if err != nil {
		return nil, apiErr("get organization", err)
	}
	return convert[webhooks.Organization](o)
}

// membership finds userID's membership of orgID.
func (c *clerkAPI) membership(ctx context.Context, orgID, userID string) (*webhooks.OrganizationMembership, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	list, err := c.members.List(ctx, &organizationmembership.ListParams{OrganizationID: orgID, UserIDs: []string{userID}})
	if err != nil {
		return nil, apiErr("list memberships", err)
	}
	for _, m := range list.OrganizationMemberships {
		if m.PublicUserData != nil && m.PublicUserData.UserID == userID {
			return convert[webhooks.OrganizationMembership](m)
		}
	}
	return nil, fmt.Errorf("%w: Backend API has no membership of the user in the organization", ErrNotFound)
}

// listUsers reads one page of GET /v1/users. clerk-sdk-go's user.List also
// calls /v1/users/count for every page; the backfill needs no count, so the
// page is requested through the client's Backend alone: one call per page.
func (c *clerkAPI) listUsers(ctx context.Context, offset, limit int64) ([]*webhooks.User, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	p := &user.ListParams{OrderBy: clerk.String("+created_at")}
	p.Limit, p.Offset = &limit, &offset
	req := clerk.NewAPIRequest(http.MethodGet, "/users")
	req.SetParams(p)
	var page rawPage
	if err := c.users.Backend.Call(ctx, req, &page); err != nil {
		return nil, apiErr("list users", err)
	}
	out := make([]*webhooks.User, 0, len(page))
	for _, raw := range page {
		u := new(webhooks.User)
		if err := json.Unmarshal(raw, u); err != nil {
			return nil, fmt.Errorf("%w: decode user: %w", ErrBackend, err)
		}
		out = append(out, u)
	}
	return out, nil
}

// rawPage is a Backend API answer that is a JSON array, kept raw.
type rawPage []json.RawMessage

// Read implements clerk.ResponseReader (the answer's metadata is not needed).
func (*rawPage) Read(*clerk.APIResponse) {}

func (c *clerkAPI) listOrganizations(ctx context.Context, offset, limit int64) ([]*webhooks.Organization, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	p := &organization.ListParams{OrderBy: clerk.String("+created_at")}
	p.Limit, p.Offset = &limit, &offset
	list, err := c.orgs.List(ctx, p)
	if err != nil {
		return nil, apiErr("list organizations", err)
	}
	return convertAll[webhooks.Organization](list.Organizations)
}

func (c *clerkAPI) listMemberships(ctx context.Context, orgID string, offset, limit int64) ([]*webhooks.OrganizationMembership, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	p := &organizationmembership.ListParams{OrganizationID: orgID, OrderBy: clerk.String("+created_at")}
	p.Limit, p.Offset = &limit, &offset
	list, err := c.members.List(ctx, p)
	if err != nil {
		return nil, apiErr("list memberships", err)
	}
	return convertAll[webhooks.OrganizationMembership](list.OrganizationMemberships)
}

// versionedURL is the Backend API URL clerk-sdk-go wants: the base URL
// (CLERK_API_URL's convention, without /v1) with "/v1" added.
func versionedURL(u string) string {
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	if strings.HasSuffix(u, "/v1") {
		return u
	}
	return u + "/v1"
}

// apiErr wraps a clerk-sdk-go error: ErrNotFound for Clerk's own 404 answer
// (a resource_not_found error body; a bare 404 from a wrong URL or a proxy
// is an outage, ErrBackend), else ErrBackend; the SDK's error stays
// reachable (errors.As *clerk.APIErrorResponse) and so does a context's
// deadline.
func apiErr(what string, err error) error {
	var api *clerk.APIErrorResponse
	if errors.As(err, &api) && api.HTTPStatusCode == http.StatusNotFound && len(api.Errors) > 0 && api.Errors[0].Code == "resource_not_found" {
		return fmt.Errorf("%w: Backend API %s: %w", ErrNotFound, what, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrBackend, what, err)
}

// convert re-reads a clerk-sdk-go object as the webhooks type of the same
// Clerk JSON object.
func convert[T any](v any) (*T, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: encode: %w", ErrBackend, err)
	}
	out := new(T)
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("%w: decode: %w", ErrBackend, err)
	}
	return out, nil
}

func convertAll[T any, S any](in []*S) ([]*T, error) {
	out := make([]*T, 0, len(in))
	for _, v := range in {
		t, err := convert[T](v)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

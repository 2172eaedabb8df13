package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/core"
)

// Provisioner makes sure a signed-in user exists in the Store, just in time:
// after a session token is verified, it checks the local rows of the user
// and, when the token has an active organization, of the organization and
// the membership, in one query, and fetches whatever is missing from the
// Backend API with clerk-sdk-go.
//
// Install it on the Authorizer with one option, whatever the framework:
//
//	a, err := core.New(core.WithSecretKey(sk), prov.Option())
//
// It then runs once per freshly verified token and never for a token found
// in the Authorizer's cache, so a known user's repeated requests cost no
// database round trip. Concurrent requests of one user share one
// provisioning (single flight), each bounded by its own request context;
// instances provisioning the same user at once converge on one row (the
// writes are upserts ordered by updated_at, exactly like webhook events).
// A user or organization deleted in Clerk is refused (ErrDeleted): a
// deletion is terminal and provisioning never brings the row back.
//
// A failure signs the request out with 503 (fail closed), unless
// WithOnError or WithFailOpen says otherwise.
type Provisioner struct {
	store   *Store
	api     *clerkAPI
	onError func(ctx context.Context, c *core.Claims, err error) error
	logger  *slog.Logger
	flights flights
}

// NewProvisioner returns a Provisioner writing into s. Options:
// WithClientConfig (the Backend API: key, URL, HTTP client),
// WithBackendTimeout, WithOnError or WithFailOpen, WithLogger.
func NewProvisioner(s *Store, opts ...ProvisionOption) (*Provisioner, error) {
	if s == nil {
		return nil, errors.New("usersync: NewProvisioner: nil Store")
	}
	cfg := provisionConfig{timeout: DefaultBackendTimeout}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	p := &Provisioner{store: s, api: newClerkAPI(cfg.client, cfg.timeout), onError: cfg.onError, logger: cfg.logger}
	if p.logger == nil {
		p.logger = slog.Default()
	}
	return p, nil
}

// Option is the core option that installs the Provisioner on an
// Authorizer: core.WithOnVerified(p.OnVerified).
func (p *Provisioner) Option() core.Option { return core.WithOnVerified(p.OnVerified) }

// OnVerified is the core.WithOnVerified hook: it provisions the user of a
// session token (and its active organization and membership). Other token
// types (machine tokens) pass untouched.
func (p *Provisioner) OnVerified(ctx context.Context, c *core.Claims) error {
	uid := c.UserID()
	if uid == "" {
		return nil
	}
	err := p.Provision(ctx, uid, c.OrgID)
	if err == nil {
		return nil
	}
	p.logger.LogAttrs(ctx, slog.LevelError, "usersync: just-in-time provisioning failed",
		slog.String("user_id", uid), slog.String("org_id", c.OrgID), slog.String("failure", failureKind(err)))
	if p.onError != nil {
		return p.onError(ctx, c, err)
	}
	return err
}

// Provision makes sure userID (and, when orgID is not empty, the
// organization and userID's membership of it) has a live local row,
// fetching what is missing from the Backend API. It is what OnVerified
// runs; call it yourself for other entry points (a gRPC interceptor, a job).
func (p *Provisioner) Provision(ctx context.Context, userID, orgID string) error {
	return p.flights.do(ctx, userID+"\x00"+orgID, func() error { return p.provision(ctx, userID, orgID) })
}

// Row states of the Store's state query.
const (
	statePresent = 1
	stateDeleted = 2
)

func (p *Provisioner) provision(ctx context.Context, userID, orgID string) error {
	s := p.store
	var us, os, ms sql.NullInt64
	if err := s.queryRow(ctx, s.q.state, userID, orgID, orgID, userID).Scan(&us, &os, &ms); err != nil {
		return wrap("provision: read", err)
	}
	switch us.Int64 {
	case stateDeleted:
		return fmt.Errorf("%w: user %s", ErrDeleted, userID)
	case statePresent:
	default:
		u, err := p.api.user(ctx, userID)
		if err != nil {
			return err
		}
		if err := s.UpsertUser(ctx, u, u.UpdatedAt); err != nil {
			return err
		}
	}
	if orgID == "" {
		return nil
	}
	switch os.Int64 {
	case stateDeleted:
		return fmt.Errorf("%w: organization %s", ErrDeleted, orgID)
	case statePresent:
	default:
		o, err := p.api.organization(ctx, orgID)
		if err != nil {
			return err
		}
		if err := s.UpsertOrganization(ctx, o, o.UpdatedAt); err != nil {
			return err
		}
	}
	if ms.Valid && ms.Int64 == statePresent {
		return nil
	}
	m, err := p.api.membership(ctx, orgID, userID)
	if err != nil {
		return err
	}
	return s.UpsertMembership(ctx, m, m.UpdatedAt)
}

// failureKind names a provisioning failure for logs without its text, which
// may hold a Backend API body.
func failureKind(err error) string {
	var api *clerk.APIErrorResponse
	switch {
	case errors.Is(err, ErrDeleted):
		return "deleted"
	case errors.Is(err, ErrNotFound):
		return "not-found"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &api):
		return fmt.Sprintf("backend-status-%d", api.HTTPStatusCode)
	case errors.Is(err, ErrBackend):
		return "backend"
	}
	return "database"
}

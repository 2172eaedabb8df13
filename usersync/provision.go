package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

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
// It is bounded (behaviour.md §11.1 to §11.4): at most WithMaxConcurrent
// provisioning runs at once (DefaultMaxConcurrent), so at most that many
// Backend API calls and database connections; a request waits for a slot
// no longer than its own context. A 429 from the Backend API is retried
// after its Retry-After when that fits in MaxRetryAfter and the request's
// deadline.
//
// A permanent condition (the Backend API does not know the user, the
// organization or the membership; a local tombstone) signs the request out
// with 401 identity-not-found (core.PermanentFailure, behaviour.md §11.5)
// and is remembered for WithNegativeTTL: the same user's requests are then
// refused from memory, with no database query and no Backend API call, and
// the condition is logged once per TTL. Any other failure (an outage)
// signs the request out with 503 (fail closed). WithOnError or
// WithFailOpen change both.
type Provisioner struct {
	store   *Store
	api     *clerkAPI
	onError func(ctx context.Context, c *core.Claims, err error) error
	logger  *slog.Logger
	flights flights
	runs    chan struct{} // provisioning slots
	neg     negative
}

// NewProvisioner returns a Provisioner writing into s. Options:
// WithClientConfig (the Backend API: key, URL, HTTP client),
// WithBackendTimeout, WithMaxConcurrent, WithNegativeTTL, WithOnError or
// WithFailOpen, WithLogger. NewProvisionerFromEnv reads the key and the API
// URL from the environment instead.
func NewProvisioner(s *Store, opts ...ProvisionOption) (*Provisioner, error) {
	if s == nil {
		return nil, errors.New("usersync: NewProvisioner: nil Store")
	}
	cfg := provisionConfig{timeout: DefaultBackendTimeout, concurrent: DefaultMaxConcurrent, negativeTTL: DefaultNegativeTTL}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	p := &Provisioner{store: s, api: newClerkAPI(cfg.client, cfg.timeout, cfg.concurrent), onError: cfg.onError, logger: cfg.logger,
		runs: make(chan struct{}, cfg.concurrent), neg: negative{ttl: cfg.negativeTTL, max: MaxNegativeEntries, now: time.Now}}
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
	perm := permanent(err)
	if !perm { // permanent conditions are logged once per TTL, when remembered
		p.logger.LogAttrs(ctx, slog.LevelError, "usersync: just-in-time provisioning failed",
			slog.String("user_id", uid), slog.String("org_id", c.OrgID), slog.String("failure", failureKind(err)))
	}
	if p.onError != nil {
		return p.onError(ctx, c, err)
	}
	if perm {
		return core.PermanentFailure(err)
	}
	return err
}

// permanent reports whether err is a condition that retrying cannot fix:
// the object does not exist in Clerk, or is deleted.
func permanent(err error) bool {
	return errors.Is(err, ErrNotFound) || errors.Is(err, ErrDeleted)
}

// Provision makes sure userID (and, when orgID is not empty, the
// organization and userID's membership of it) has a live local row,
// fetching what is missing from the Backend API. It is what OnVerified
// runs; call it yourself for other entry points (a gRPC interceptor, a job).
//
// A permanent failure remembered from an earlier call (WithNegativeTTL) is
// returned at once. Otherwise the call waits for one of the
// WithMaxConcurrent slots, within ctx.
func (p *Provisioner) Provision(ctx context.Context, userID, orgID string) error {
	if err := p.remembered(userID, orgID); err != nil {
		return err
	}
	return p.flights.do(ctx, userID+"\x00"+orgID, func() error {
		select {
		case p.runs <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("usersync: provision: waiting for a slot: %w", ctx.Err())
		}
		defer func() { <-p.runs }()
		return p.provision(ctx, userID, orgID)
	})
}

// Keys of the negative memory.
func userKey(id string) string              { return "user\x00" + id }
func orgKey(id string) string               { return "org\x00" + id }
func memberKey(orgID, userID string) string { return "member\x00" + orgID + "\x00" + userID }

func (p *Provisioner) remembered(userID, orgID string) error {
	if err := p.neg.get(userKey(userID)); err != nil {
		return err
	}
	if orgID == "" {
		return nil
	}
	if err := p.neg.get(orgKey(orgID)); err != nil {
		return err
	}
	return p.neg.get(memberKey(orgID, userID))
}

// remember records a permanent failure of key and logs it, once per TTL.
// Other errors pass through.
func (p *Provisioner) remember(ctx context.Context, key, userID, orgID string, err error) error {
	if permanent(err) && p.neg.put(key, err) {
		p.logger.LogAttrs(ctx, slog.LevelWarn, "usersync: refusing tokens of an object Clerk does not have (remembered for the negative TTL)",
			slog.String("user_id", userID), slog.String("org_id", orgID), slog.String("failure", failureKind(err)),
			slog.Duration("ttl", p.neg.ttl))
	}
	return err
}

// Row states of the Store's state query.
const (
	statePresent = 1
	stateDeleted = 2
)

// provision reads what the database already holds of the user, the
// organization and the membership, fetches from the Backend API only what
// is missing, and writes what it fetched in one transaction (Store.Apply),
// after the last Backend API call: no transaction is open while it waits
// for Clerk, and each first login costs one write transaction, not three.
// When a later lookup fails, what was already fetched is still written
// (the next request need not fetch it again) and the lookup's error is
// returned.
func (p *Provisioner) provision(ctx context.Context, userID, orgID string) error {
	s := p.store
	var us, os, ms sql.NullInt64
	if err := s.queryRow(ctx, s.q.state, userID, orgID, orgID, userID).Scan(&us, &os, &ms); err != nil {
		return wrap("provision: read", err)
	}
	var b Batch
	err := p.fetchMissing(ctx, &b, userID, orgID, us.Int64, os.Int64, ms.Valid && ms.Int64 == statePresent)
	if werr := s.Apply(ctx, &b); werr != nil {
		return werr
	}
	return err
}

// fetchMissing adds to b what the database lacks of the user, the
// organization and the membership (their states as read by provision),
// fetched from the Backend API, in that order; it stops at the first
// deleted object or failed lookup and returns its (remembered) error.
func (p *Provisioner) fetchMissing(ctx context.Context, b *Batch, userID, orgID string, userState, orgState int64, memberPresent bool) error {
	switch userState {
	case stateDeleted:
		return p.remember(ctx, userKey(userID), userID, orgID, fmt.Errorf("%w: user %s", ErrDeleted, userID))
	case statePresent:
	default:
		u, err := p.api.user(ctx, userID)
		if err != nil {
			return p.remember(ctx, userKey(userID), userID, orgID, err)
		}
		b.UpsertUser(u, u.UpdatedAt)
	}
	if orgID == "" {
		return nil
	}
	switch orgState {
	case stateDeleted:
		return p.remember(ctx, orgKey(orgID), userID, orgID, fmt.Errorf("%w: organization %s", ErrDeleted, orgID))
	case statePresent:
	default:
		o, err := p.api.organization(ctx, orgID)
		if err != nil {
			return p.remember(ctx, orgKey(orgID), userID, orgID, err)
		}
		b.UpsertOrganization(o, o.UpdatedAt)
	}
	if memberPresent {
		return nil
	}
	// An ended membership is looked up again: the user may have joined
	// anew (a new membership id).
	m, err := p.api.membership(ctx, orgID, userID)
	if err != nil {
		return p.remember(ctx, memberKey(orgID, userID), userID, orgID, err)
	}
	b.UpsertMembership(m, m.UpdatedAt)
	return nil
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

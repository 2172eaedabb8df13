package webhooks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// HandlerFunc handles one verified event. Returning an error answers 500 so
// that Svix retries the delivery later.
type HandlerFunc func(ctx context.Context, ev *Event) error

// Mux is the http.Handler returned by Handler: it verifies, deduplicates and
// dispatches Clerk webhooks to the functions registered with On and the
// typed On… helpers. Register handlers before serving; registering while
// serving is safe but a delivery sees either the old or the new set.
//
// Answers (JSON bodies; error bodies are {"error","reason","message"} with
// fixed messages that never contain the secret, a signature, the payload or
// a handler's error text):
//
//	200 {"status":"processed"}  every handler for the type returned nil
//	200 {"status":"duplicate"}  this svix-id was already processed
//	200 {"status":"ignored"}    no handler for this type
//	400 bad_request             verification failed; reason is one of the Reason… constants
//	405 method_not_allowed      not a POST (Allow: POST)
//	409 conflict                reason "delivery-in-flight": the same svix-id was still
//	                            being handled by another request after waiting for it
//	                            (WithInFlightWait); Svix retries later, and the handler is
//	                            not run twice
//	413 payload_too_large       body above the limit (WithMaxBodyBytes)
//	500 handler_failed          a handler returned an error or panicked; the delivery is
//	                            released so the retry runs the handlers again
//	503 unavailable             the Deduplicator failed; nothing was run
type Mux struct {
	v        *Verifier
	cfg      handlerConfig
	mu       sync.RWMutex
	handlers map[string][]HandlerFunc
}

// Handler returns a Mux that verifies deliveries with v. Options:
// WithMaxBodyBytes, WithDeduplicator, WithInFlightWait, WithLogger. A nil v
// or a bad option is an error, as it is for NewVerifier.
func Handler(v *Verifier, opts ...HandlerOption) (*Mux, error) {
	if v == nil {
		return nil, errors.New("webhooks: Handler: nil *Verifier")
	}
	cfg := handlerConfig{maxBody: DefaultMaxBodyBytes, inFlightWait: DefaultInFlightWait}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.dedup == nil {
		cfg.dedup, _ = NewMemoryDeduplicator()
	}
	if cfg.logger == nil {
		cfg.logger = slog.Default()
	}
	return &Mux{v: v, cfg: cfg, handlers: map[string][]HandlerFunc{}}, nil
}

// On registers fn for eventType (such as "subscription.created"). Several
// functions for one type run in registration order; the first error stops
// the delivery and answers 500, and the retry runs all of them again, so
// handlers must be idempotent on their own data.
func (m *Mux) On(eventType string, fn HandlerFunc) {
	if fn == nil {
		panic("webhooks: On: nil handler")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handlers[eventType] = append(m.handlers[eventType], fn)
}

func on[T any](m *Mux, eventType string, decode func(*Event) (*T, error), fn func(context.Context, *T) error) {
	if fn == nil {
		panic("webhooks: On…: nil handler")
	}
	m.On(eventType, func(ctx context.Context, ev *Event) error {
		v, err := decode(ev)
		if err != nil {
			return err
		}
		return fn(ctx, v)
	})
}

// OnUserCreated registers fn for user.created. EventFromContext(ctx) gives
// the envelope.
func (m *Mux) OnUserCreated(fn func(context.Context, *User) error) {
	on(m, EventUserCreated, (*Event).User, fn)
}

// OnUserUpdated registers fn for user.updated.
func (m *Mux) OnUserUpdated(fn func(context.Context, *User) error) {
	on(m, EventUserUpdated, (*Event).User, fn)
}

// OnUserDeleted registers fn for user.deleted.
func (m *Mux) OnUserDeleted(fn func(context.Context, *DeletedObject) error) {
	on(m, EventUserDeleted, (*Event).Deleted, fn)
}

// OnSessionCreated registers fn for session.created.
func (m *Mux) OnSessionCreated(fn func(context.Context, *Session) error) {
	on(m, EventSessionCreated, (*Event).Session, fn)
}

// OnSessionEnded registers fn for session.ended.
func (m *Mux) OnSessionEnded(fn func(context.Context, *Session) error) {
	on(m, EventSessionEnded, (*Event).Session, fn)
}

// OnSessionRemoved registers fn for session.removed.
func (m *Mux) OnSessionRemoved(fn func(context.Context, *Session) error) {
	on(m, EventSessionRemoved, (*Event).Session, fn)
}

// OnSessionRevoked registers fn for session.revoked.
func (m *Mux) OnSessionRevoked(fn func(context.Context, *Session) error) {
	on(m, EventSessionRevoked, (*Event).Session, fn)
}

// OnSessionPending registers fn for session.pending.
func (m *Mux) OnSessionPending(fn func(context.Context, *Session) error) {
	on(m, EventSessionPending, (*Event).Session, fn)
}

// OnOrganizationCreated registers fn for organization.created.
func (m *Mux) OnOrganizationCreated(fn func(context.Context, *Organization) error) {
	on(m, EventOrganizationCreated, (*Event).Organization, fn)
}

// OnOrganizationUpdated registers fn for organization.updated.
func (m *Mux) OnOrganizationUpdated(fn func(context.Context, *Organization) error) {
	on(m, EventOrganizationUpdated, (*Event).Organization, fn)
}

// OnOrganizationDeleted registers fn for organization.deleted.
func (m *Mux) OnOrganizationDeleted(fn func(context.Context, *DeletedObject) error) {
	on(m, EventOrganizationDeleted, (*Event).Deleted, fn)
}

// OnOrganizationMembershipCreated registers fn for
// organizationMembership.created.
func (m *Mux) OnOrganizationMembershipCreated(fn func(context.Context, *OrganizationMembership) error) {
	on(m, EventOrganizationMembershipCreated, (*Event).OrganizationMembership, fn)
}

// OnOrganizationMembershipUpdated registers fn for
// organizationMembership.updated.
func (m *Mux) OnOrganizationMembershipUpdated(fn func(context.Context, *OrganizationMembership) error) {
	on(m, EventOrganizationMembershipUpdated, (*Event).OrganizationMembership, fn)
}

// OnOrganizationMembershipDeleted registers fn for
// organizationMembership.deleted (its data is the removed membership).
func (m *Mux) OnOrganizationMembershipDeleted(fn func(context.Context, *OrganizationMembership) error) {
	on(m, EventOrganizationMembershipDeleted, (*Event).OrganizationMembership, fn)
}

// OnOrganizationInvitationCreated registers fn for
// organizationInvitation.created.
func (m *Mux) OnOrganizationInvitationCreated(fn func(context.Context, *OrganizationInvitation) error) {
	on(m, EventOrganizationInvitationCreated, (*Event).OrganizationInvitation, fn)
}

// OnOrganizationInvitationAccepted registers fn for
// organizationInvitation.accepted.
func (m *Mux) OnOrganizationInvitationAccepted(fn func(context.Context, *OrganizationInvitation) error) {
	on(m, EventOrganizationInvitationAccepted, (*Event).OrganizationInvitation, fn)
}

// OnOrganizationInvitationRevoked registers fn for
// organizationInvitation.revoked.
func (m *Mux) OnOrganizationInvitationRevoked(fn func(context.Context, *OrganizationInvitation) error) {
	on(m, EventOrganizationInvitationRevoked, (*Event).OrganizationInvitation, fn)
}

// OnRoleCreated registers fn for role.created.
func (m *Mux) OnRoleCreated(fn func(context.Context, *Role) error) {
	on(m, EventRoleCreated, (*Event).Role, fn)
}

// OnRoleUpdated registers fn for role.updated.
func (m *Mux) OnRoleUpdated(fn func(context.Context, *Role) error) {
	on(m, EventRoleUpdated, (*Event).Role, fn)
}

// OnRoleDeleted registers fn for role.deleted.
func (m *Mux) OnRoleDeleted(fn func(context.Context, *DeletedObject) error) {
	on(m, EventRoleDeleted, (*Event).Deleted, fn)
}

// OnPermissionCreated registers fn for permission.created.
func (m *Mux) OnPermissionCreated(fn func(context.Context, *Permission) error) {
	on(m, EventPermissionCreated, (*Event).Permission, fn)
}

// OnPermissionUpdated registers fn for permission.updated.
func (m *Mux) OnPermissionUpdated(fn func(context.Context, *Permission) error) {
	on(m, EventPermissionUpdated, (*Event).Permission, fn)
}

// OnPermissionDeleted registers fn for permission.deleted.
func (m *Mux) OnPermissionDeleted(fn func(context.Context, *DeletedObject) error) {
	on(m, EventPermissionDeleted, (*Event).Deleted, fn)
}

// OnEmailCreated registers fn for email.created.
func (m *Mux) OnEmailCreated(fn func(context.Context, *Email) error) {
	on(m, EventEmailCreated, (*Event).Email, fn)
}

// OnSMSCreated registers fn for sms.created.
func (m *Mux) OnSMSCreated(fn func(context.Context, *SMS) error) {
	on(m, EventSMSCreated, (*Event).SMS, fn)
}

// Status values and error codes of the JSON answers.
const (
	reasonInFlight      = "delivery-in-flight"
	reasonHandlerFailed = "handler-failed"
	reasonUnavailable   = "deduplicator-unavailable"
	reasonTooLarge      = "body-too-large"
	reasonMethod        = "method-not-allowed"
)

// ServeHTTP implements http.Handler. It reads the body once, verifies it as
// is (no re-encoding), then claims the svix-id, runs the handlers and answers
// 2xx only after they all succeeded. See Mux for every answer.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		m.reject(w, r, http.StatusMethodNotAllowed, "method_not_allowed", reasonMethod, "webhooks are delivered with POST")
		return
	}
	tooLarge := func() {
		m.reject(w, r, http.StatusRequestEntityTooLarge, "payload_too_large", reasonTooLarge,
			"the body is larger than "+strconv.FormatInt(m.cfg.maxBody, 10)+" bytes")
	}
	if r.ContentLength > m.cfg.maxBody {
		// Declared too large: answer before reading anything.
		tooLarge()
		return
	}
	if r.Body == nil {
		r.Body = http.NoBody
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, m.cfg.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge()
			return
		}
		m.reject(w, r, http.StatusBadRequest, "bad_request", ReasonInvalidPayload, "the body could not be read")
		return
	}
	ev, err := m.v.Verify(body, r.Header)
	if err != nil {
		reason := ReasonInvalidSignature
		var we *Error
		if errors.As(err, &we) {
			reason = we.Reason
		}
		m.reject(w, r, http.StatusBadRequest, "bad_request", reason, message(reason))
		return
	}
	status, code, reason := m.dispatch(r.Context(), ev)
	switch status {
	case http.StatusOK:
		writeStatus(w, code)
	case http.StatusConflict:
		w.Header().Set("Retry-After", "5")
		writeError(w, status, code, reason, "the same delivery is being handled; retry later")
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "5")
		writeError(w, status, code, reason, "the delivery could not be recorded; retry later")
	default:
		writeError(w, status, code, reason, "a handler failed; retry later")
	}
}

// dispatch runs the handlers of ev under a claim. It returns the HTTP status
// and the status word or error code and reason.
func (m *Mux) dispatch(ctx context.Context, ev *Event) (int, string, string) {
	m.mu.RLock()
	hs := m.handlers[ev.Type]
	m.mu.RUnlock()
	if len(hs) == 0 {
		return http.StatusOK, "ignored", ""
	}
	log := m.cfg.logger
	claim, err := m.claim(ctx, ev.ID)
	if err != nil {
		log.ErrorContext(ctx, "webhooks: deduplicator claim failed", "type", ev.Type, "svix_id", ev.ID, "error", err)
		return http.StatusServiceUnavailable, "unavailable", reasonUnavailable
	}
	switch claim {
	case Claimed:
	case AlreadyProcessed:
		return http.StatusOK, "duplicate", ""
	case InFlight:
		return http.StatusConflict, "conflict", reasonInFlight
	default:
		log.ErrorContext(ctx, "webhooks: deduplicator returned an unknown claim", "type", ev.Type, "svix_id", ev.ID, "claim", int(claim))
		return http.StatusServiceUnavailable, "unavailable", reasonUnavailable
	}
	hctx := ContextWithEvent(ctx, ev)
	for _, h := range hs {
		if err := runHandler(hctx, h, ev); err != nil {
			log.ErrorContext(ctx, "webhooks: handler failed", "type", ev.Type, "svix_id", ev.ID, "error", err)
			// The request context may be gone; the release must still happen.
			if rerr := m.cfg.dedup.Release(context.WithoutCancel(ctx), ev.ID); rerr != nil {
				log.ErrorContext(ctx, "webhooks: deduplicator release failed", "type", ev.Type, "svix_id", ev.ID, "error", rerr)
			}
			return http.StatusInternalServerError, "handler_failed", reasonHandlerFailed
		}
	}
	if err := m.cfg.dedup.Complete(context.WithoutCancel(ctx), ev.ID); err != nil {
		// The handlers succeeded: answering 5xx would run them again. The
		// claim's lease runs out and a later duplicate may run them again.
		log.ErrorContext(ctx, "webhooks: deduplicator complete failed", "type", ev.Type, "svix_id", ev.ID, "error", err)
	}
	return http.StatusOK, "processed", ""
}

// claim claims id. While another request holds it (InFlight), it waits for
// that request to finish, polling with a growing interval, for at most the
// in-flight wait (WithInFlightWait) and never past ctx: the answer is then
// AlreadyProcessed when the first delivery succeeded, Claimed when it failed
// (this request runs the handlers again), or InFlight when the wait ran out.
func (m *Mux) claim(ctx context.Context, id string) (Claim, error) {
	c, err := m.cfg.dedup.Claim(ctx, id)
	if err != nil || c != InFlight {
		return c, err
	}
	deadline := time.NewTimer(m.cfg.inFlightWait)
	defer deadline.Stop()
	pause := time.Millisecond
	for {
		poll := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			poll.Stop()
			return InFlight, nil
		case <-deadline.C:
			poll.Stop()
			return InFlight, nil
		case <-poll.C:
		}
		c, err = m.cfg.dedup.Claim(ctx, id)
		if err != nil && ctx.Err() != nil {
			return InFlight, nil // the request is gone, not the deduplicator
		}
		if err != nil || c != InFlight {
			return c, err
		}
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// runHandler calls h and turns a panic into an error, so the claim is
// released and Svix retries.
func runHandler(ctx context.Context, h HandlerFunc, ev *Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("webhooks: handler for %s panicked: %v", ev.Type, p)
		}
	}()
	return h(ctx, ev)
}

// reject answers a delivery refused before any handler ran and logs it at
// warning level with the status, the reason and the svix-id (or
// webhook-id), cut to MaxIDLength: never the body, a signature or the
// secret.
func (m *Mux) reject(w http.ResponseWriter, r *http.Request, status int, code, reason, msg string) {
	id := header(r.Header, "Svix-Id")
	if id == "" {
		id = header(r.Header, "Webhook-Id")
	}
	m.cfg.logger.WarnContext(r.Context(), "webhooks: delivery rejected",
		"status", status, "reason", reason, "svix_id", id[:min(len(id), MaxIDLength)])
	writeError(w, status, code, reason, msg)
}

func writeStatus(w http.ResponseWriter, status string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, `{"status":"`+status+`"}`+"\n")
}

// writeError writes {"error":code,"reason":reason,"message":msg}. All three
// are fixed strings of this package (no quoting needed).
func writeError(w http.ResponseWriter, status int, code, reason, msg string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"error":"`+code+`","reason":"`+reason+`","message":"`+msg+`"}`+"\n")
}

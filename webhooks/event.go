package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Event types Clerk sends. Any other type passes through as an Event with raw
// Data (behaviour.md §9.4).
const (
	EventUserCreated = "user.created"
	EventUserUpdated = "user.updated"
	EventUserDeleted = "user.deleted"

	EventSessionCreated = "session.created"
	EventSessionEnded   = "session.ended"
	EventSessionRemoved = "session.removed"
	EventSessionRevoked = "session.revoked"
	EventSessionPending = "session.pending"

	EventOrganizationCreated = "organization.created"
	EventOrganizationUpdated = "organization.updated"
	EventOrganizationDeleted = "organization.deleted"

	EventOrganizationMembershipCreated = "organizationMembership.created"
	EventOrganizationMembershipUpdated = "organizationMembership.updated"
	EventOrganizationMembershipDeleted = "organizationMembership.deleted"

	EventOrganizationInvitationCreated  = "organizationInvitation.created"
	EventOrganizationInvitationAccepted = "organizationInvitation.accepted"
	EventOrganizationInvitationRevoked  = "organizationInvitation.revoked"

	EventRoleCreated       = "role.created"
	EventRoleUpdated       = "role.updated"
	EventRoleDeleted       = "role.deleted"
	EventPermissionCreated = "permission.created"
	EventPermissionUpdated = "permission.updated"
	EventPermissionDeleted = "permission.deleted"

	EventEmailCreated = "email.created"
	EventSMSCreated   = "sms.created"
)

// Event is a verified Clerk webhook (behaviour.md §9.4). Data stays raw JSON; the
// typed accessors (User, Session, Organization, …) decode it on demand.
type Event struct {
	// ID is the delivery's message id (the svix-id or webhook-id header),
	// the same on every retry of one message. Empty when the Event came from
	// ParseEvent.
	ID string `json:"-"`
	// SignedAt is the signed svix-timestamp. Zero when the Event came from
	// ParseEvent.
	SignedAt time.Time `json:"-"`
	// Raw is the whole payload exactly as received (and, from Verify, as
	// signed), for storing or forwarding the event unchanged. It shares
	// memory with the slice given to Verify or ParseEvent.
	Raw json.RawMessage `json:"-"`

	// Type is the event type, such as "user.created".
	Type string `json:"type"`
	// Object is "event".
	Object string `json:"object"`
	// Data is the event's payload, raw.
	Data json.RawMessage `json:"data"`
	// Timestamp is when Clerk produced the event, in Unix milliseconds.
	Timestamp int64 `json:"timestamp"`
	// InstanceID is the Clerk instance the event belongs to.
	InstanceID string `json:"instance_id"`
	// EventAttributes holds event_attributes.
	EventAttributes EventAttributes `json:"event_attributes"`
}

// EventAttributes is the envelope's event_attributes.
type EventAttributes struct {
	HTTPRequest HTTPRequest `json:"http_request"`
}

// HTTPRequest describes the request that caused the event, when Clerk knows it.
type HTTPRequest struct {
	ClientIP  string `json:"client_ip"`
	UserAgent string `json:"user_agent"`
}

// Time returns Timestamp as a time.Time (zero when Timestamp is 0).
func (e *Event) Time() time.Time {
	if e.Timestamp == 0 {
		return time.Time{}
	}
	return time.UnixMilli(e.Timestamp)
}

// ParseEvent decodes an event envelope without verifying anything. Use it for
// payloads verified elsewhere; Verify calls it after the signature check. The
// payload must be a JSON object whose envelope fields, when present, have
// their JSON types (type, object and instance_id strings, timestamp a
// number, …); anything else is ErrInvalidPayload. Fields are not required:
// an object without "type" (such as the behaviour.md §9.2 vector's body) is an Event
// with an empty Type, which no handler matches, and unknown types pass
// through (behaviour.md §9.4).
func ParseEvent(payload []byte) (*Event, error) {
	raw := payload
	payload = bytes.TrimSpace(payload)
	if len(payload) == 0 || payload[0] != '{' {
		return nil, newError(ReasonInvalidPayload, "payload is not a JSON object", nil)
	}
	var ev Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, newError(ReasonInvalidPayload, "payload is not a valid event envelope", err)
	}
	if string(ev.Data) == "null" {
		ev.Data = nil
	}
	ev.Raw = raw
	return &ev, nil
}

// Family returns the part of Type before the first dot ("user" for
// "user.created").
func (e *Event) Family() string {
	f, _, _ := strings.Cut(e.Type, ".")
	return f
}

// Decode decodes Data into v (any JSON-compatible type). Use it for event
// types without a typed accessor. A failure is ErrInvalidPayload.
func (e *Event) Decode(v any) error {
	if len(e.Data) == 0 {
		return newError(ReasonInvalidPayload, "event has no data", nil)
	}
	if err := json.Unmarshal(e.Data, v); err != nil {
		return newError(ReasonInvalidPayload, "data does not decode", err)
	}
	return nil
}

func decodeAs[T any](e *Event, family string, deleted bool) (*T, error) {
	if e.Family() != family {
		return nil, newError(ReasonInvalidPayload, "event type "+e.Type+" is not a "+family+" event", nil)
	}
	if deleted && strings.HasSuffix(e.Type, ".deleted") {
		return nil, newError(ReasonInvalidPayload, e.Type+" carries a DeletedObject: use Deleted", nil)
	}
	var v T
	if err := e.Decode(&v); err != nil {
		return nil, err
	}
	return &v, nil
}

// User decodes the data of user.created and user.updated. user.deleted
// carries a DeletedObject: use Deleted.
func (e *Event) User() (*User, error) { return decodeAs[User](e, "user", true) }

// Session decodes the data of session.* events.
func (e *Event) Session() (*Session, error) { return decodeAs[Session](e, "session", false) }

// Organization decodes the data of organization.created and
// organization.updated. organization.deleted carries a DeletedObject: use
// Deleted.
func (e *Event) Organization() (*Organization, error) {
	return decodeAs[Organization](e, "organization", true)
}

// OrganizationMembership decodes the data of organizationMembership.*
// events (including .deleted, whose data is the membership that was removed).
func (e *Event) OrganizationMembership() (*OrganizationMembership, error) {
	return decodeAs[OrganizationMembership](e, "organizationMembership", false)
}

// OrganizationInvitation decodes the data of organizationInvitation.* events.
func (e *Event) OrganizationInvitation() (*OrganizationInvitation, error) {
	return decodeAs[OrganizationInvitation](e, "organizationInvitation", false)
}

// Role decodes the data of role.created and role.updated. role.deleted
// carries a DeletedObject: use Deleted.
func (e *Event) Role() (*Role, error) { return decodeAs[Role](e, "role", true) }

// Permission decodes the data of permission.created and permission.updated.
// permission.deleted carries a DeletedObject: use Deleted.
func (e *Event) Permission() (*Permission, error) {
	return decodeAs[Permission](e, "permission", true)
}

// Email decodes the data of email.created.
func (e *Event) Email() (*Email, error) { return decodeAs[Email](e, "email", false) }

// SMS decodes the data of sms.created.
func (e *Event) SMS() (*SMS, error) { return decodeAs[SMS](e, "sms", false) }

// Deleted decodes the data of a *.deleted event that carries only
// {id, object, deleted} (user.deleted, organization.deleted, role.deleted,
// permission.deleted, …).
func (e *Event) Deleted() (*DeletedObject, error) {
	if !strings.HasSuffix(e.Type, ".deleted") {
		return nil, newError(ReasonInvalidPayload, "event type "+e.Type+" is not a deletion", nil)
	}
	var d DeletedObject
	if err := e.Decode(&d); err != nil {
		return nil, err
	}
	return &d, nil
}

type eventKey struct{}

// ContextWithEvent returns a copy of ctx carrying ev. Handler does this for
// every handler it calls.
func ContextWithEvent(ctx context.Context, ev *Event) context.Context {
	return context.WithValue(ctx, eventKey{}, ev)
}

// EventFromContext returns the Event being handled, for typed handlers (such
// as OnUserUpdated) that need the envelope, e.g. its Timestamp or ID.
func EventFromContext(ctx context.Context) (*Event, bool) {
	ev, ok := ctx.Value(eventKey{}).(*Event)
	return ev, ok && ev != nil
}

package webhooks

// Reasons carried by *Error. They are stable, machine-readable strings: they
// appear in the JSON body of a 400 answer and may be matched by callers.
const (
	// ReasonMissingHeaders: the svix-id, svix-timestamp or svix-signature
	// header (or its webhook-* equivalent) is absent, empty, oversized or
	// malformed (a timestamp that is not a decimal Unix time).
	ReasonMissingHeaders = "missing-headers"
	// ReasonInvalidSignature: no v1 signature in the signature header matches
	// the payload (also: a signature header that is too long or lists too
	// many signatures).
	ReasonInvalidSignature = "invalid-signature"
	// ReasonTimestampTooOld: the signed timestamp is more than the tolerance in
	// the past (behaviour.md §9.2, replay protection).
	ReasonTimestampTooOld = "timestamp-too-old"
	// ReasonTimestampTooNew: the signed timestamp is more than the tolerance in
	// the future.
	ReasonTimestampTooNew = "timestamp-too-new"
	// ReasonInvalidPayload: the payload is authentic but is not a JSON event
	// envelope (behaviour.md §9.4), or its data does not decode into the requested
	// type.
	ReasonInvalidPayload = "invalid-payload"
)

// Error is the error returned by Verify and by the Event accessors. Reason is
// one of the Reason… constants; Detail is a fixed, log-safe explanation that
// never contains the secret, a signature or payload bytes.
type Error struct {
	// Reason is one of the Reason… constants.
	Reason string
	// Detail says more, for logs. It is never sent in an HTTP answer.
	Detail string
	// Err is the underlying cause, if any.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	msg := "webhooks: " + e.Reason
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Reason, so that
// errors.Is(err, webhooks.ErrInvalidSignature) works for any detail.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Reason == e.Reason
}

// Sentinels for errors.Is, one per reason. They are compared by Reason only.
var (
	ErrMissingHeaders   = &Error{Reason: ReasonMissingHeaders}
	ErrInvalidSignature = &Error{Reason: ReasonInvalidSignature}
	ErrTimestampTooOld  = &Error{Reason: ReasonTimestampTooOld}
	ErrTimestampTooNew  = &Error{Reason: ReasonTimestampTooNew}
	ErrInvalidPayload   = &Error{Reason: ReasonInvalidPayload}
)

func newError(reason, detail string, cause error) *Error {
	return &Error{Reason: reason, Detail: detail, Err: cause}
}

// message is the fixed text sent to the client for each reason.
func message(reason string) string {
	switch reason {
	case ReasonMissingHeaders:
		return "the svix-id, svix-timestamp and svix-signature headers (or webhook-*) are required"
	case ReasonInvalidSignature:
		return "no signature matched the payload"
	case ReasonTimestampTooOld:
		return "the webhook timestamp is too far in the past"
	case ReasonTimestampTooNew:
		return "the webhook timestamp is too far in the future"
	case ReasonInvalidPayload:
		return "the payload is not a valid event envelope"
	default:
		return "the webhook could not be verified"
	}
}

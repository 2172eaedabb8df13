package core

import (
	"errors"
	"log/slog"
	"strconv"
)

// This file implements Clerk's reverification check, has({reverification})
// (behaviour.md §5.6), and the hint Clerk's frontend reads from a 403
// (behaviour.md §7.3).

// ReverificationLevel says which factors a Reverification requires to be
// fresh.
type ReverificationLevel string

// Reverification levels, spelled as Clerk spells them.
const (
	// FirstFactor requires a fresh first factor (password, email code, …).
	FirstFactor ReverificationLevel = "first_factor"
	// SecondFactor requires a fresh second factor; a user with only one
	// factor group enrolled may use that one instead.
	SecondFactor ReverificationLevel = "second_factor"
	// MultiFactor requires both factors fresh when both are enrolled, the
	// first one when no second factor is enrolled, and fails when only the
	// second factor is enrolled.
	MultiFactor ReverificationLevel = "multi_factor"
)

// Reverification is a step-up requirement: the user must have verified the
// factors of Level less than AfterMinutes minutes ago, as measured by the
// token's `fva` claim (Claims.FactorVerificationAge). AfterMinutes must be
// positive and Level one of FirstFactor, SecondFactor and MultiFactor; any
// other value is never satisfied.
type Reverification struct {
	// Level is the factor level to check.
	Level ReverificationLevel
	// AfterMinutes is the age, in minutes, from which a verification is
	// stale: a factor verified m minutes ago is fresh when m < AfterMinutes.
	AfterMinutes int
}

// Clerk's presets. A Reverification equal to a preset is reported to Clerk's
// frontend by the preset's name ("strict_mfa", "strict", "moderate", "lax").
// Treat these variables as constants.
var (
	// ReverificationStrictMFA: both factors within 10 minutes.
	ReverificationStrictMFA = Reverification{Level: MultiFactor, AfterMinutes: 10}
	// ReverificationStrict: the second factor within 10 minutes.
	ReverificationStrict = Reverification{Level: SecondFactor, AfterMinutes: 10}
	// ReverificationModerate: the second factor within 60 minutes.
	ReverificationModerate = Reverification{Level: SecondFactor, AfterMinutes: 60}
	// ReverificationLax: the second factor within 24 hours.
	ReverificationLax = Reverification{Level: SecondFactor, AfterMinutes: 1440}
)

// Valid reports whether r can be satisfied at all: a known level and a
// positive number of minutes.
func (r Reverification) Valid() bool {
	switch r.Level {
	case FirstFactor, SecondFactor, MultiFactor:
		return r.AfterMinutes > 0
	}
	return false
}

// presetName returns Clerk's name for r when r is one of the presets.
func (r Reverification) presetName() string {
	switch r {
	case Reverification{Level: MultiFactor, AfterMinutes: 10}:
		return "strict_mfa"
	case Reverification{Level: SecondFactor, AfterMinutes: 10}:
		return "strict"
	case Reverification{Level: SecondFactor, AfterMinutes: 60}:
		return "moderate"
	case Reverification{Level: SecondFactor, AfterMinutes: 1440}:
		return "lax"
	}
	return ""
}

// String returns the preset name of r, or "level/minutes" otherwise.
func (r Reverification) String() string {
	if n := r.presetName(); n != "" {
		return n
	}
	return string(r.Level) + "/" + strconv.Itoa(r.AfterMinutes)
}

// HasReverification reports whether the session satisfies r (behaviour.md
// §5.6, the semantics of Clerk's has({reverification})). It is false when c
// is not a signed-in session, when `fva` is absent or malformed (an age below
// -1), when neither factor group is enrolled (both ages -1), or when r is not
// Valid. A factor is fresh when its age is not -1 and r.AfterMinutes is
// greater than its age.
func (c *Claims) HasReverification(r Reverification) bool {
	if !c.session() || c.FactorVerificationAge == nil || !r.Valid() {
		return false
	}
	first, second := c.FactorVerificationAge[0], c.FactorVerificationAge[1]
	if first < -1 || second < -1 || (first == -1 && second == -1) {
		return false
	}
	firstFresh := first != -1 && r.AfterMinutes > first
	secondFresh := second != -1 && r.AfterMinutes > second
	switch r.Level {
	case FirstFactor:
		return firstFresh
	case SecondFactor:
		// Whichever factor is enrolled when the other is not.
		if second == -1 {
			return firstFresh
		}
		return secondFresh
	default: // MultiFactor
		if second == -1 {
			return firstFresh
		}
		return firstFresh && secondFresh
	}
}

// RequireReverification allows signed-in sessions that satisfy r
// (Claims.HasReverification, behaviour.md §5.6): 401 when signed out, 403
// with reason reverification-error otherwise. The 403 body carries Clerk's
// hint, "clerk_error":{"type":"forbidden","reason":"reverification-error",
// "metadata":{"reverification":…}}, so that Clerk's frontend
// (useReverification) prompts the user and retries (behaviour.md §7.3).
//
// An invalid r (see Reverification.Valid) can never be satisfied: the guard
// then answers 403 forbidden without the hint, so the frontend does not ask
// for a reverification that would not help, and an error is logged when the
// guard is built.
func RequireReverification(r Reverification) Guard {
	g := Guard{name: "RequireReverification(" + r.String() + ")", reason: ReasonReverificationError,
		allow: func(c *Claims) bool { return c.HasReverification(r) }}
	if !r.Valid() {
		slog.Default().Error("clerkguard: RequireReverification with an invalid requirement refuses every request",
			slog.String("level", string(r.Level)), slog.Int("after_minutes", r.AfterMinutes))
		g.reason = ReasonForbidden
		return g
	}
	g.hint = &r
	return g
}

// reverificationHint is the "clerk_error" member of a reverification-error
// body, in the shape of @clerk/shared's reverificationError.
type reverificationHint struct {
	Type     string                 `json:"type"`
	Reason   Reason                 `json:"reason"`
	Metadata reverificationMetadata `json:"metadata"`
}

type reverificationMetadata struct {
	// Reverification is a preset name (string) or a reverificationObject;
	// omitted when the requirement is not known.
	Reverification any `json:"reverification,omitempty"`
}

type reverificationObject struct {
	Level        ReverificationLevel `json:"level"`
	AfterMinutes int                 `json:"afterMinutes"`
}

// newReverificationHint builds the hint for r (nil: requirement unknown).
func newReverificationHint(r *Reverification) *reverificationHint {
	h := &reverificationHint{Type: "forbidden", Reason: ReasonReverificationError}
	if r != nil {
		if n := r.presetName(); n != "" {
			h.Metadata.Reverification = n
		} else {
			h.Metadata.Reverification = reverificationObject{Level: r.Level, AfterMinutes: r.AfterMinutes}
		}
	}
	return h
}

// reverificationHintOf returns the hint for a reverification-error err.
func reverificationHintOf(err error) *reverificationHint {
	var e *Error
	if errors.As(err, &e) {
		return newReverificationHint(e.reverification)
	}
	return newReverificationHint(nil)
}

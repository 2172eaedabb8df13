package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/clerkguard/clerkguard/core"
)

// report is everything one inspection prints.
type report struct {
	tok     string // only ever printed through redact
	d       *decoded
	now     time.Time
	v       verification
	machine *machineInfo
}

// redactedLen is how much of a token may be shown.
const redactedLen = 10

// redact shows at most the first 10 characters of a token (fewer for a
// short one) followed by "…".
func redact(tok string) string {
	n := min(redactedLen, len(tok)/2)
	return tok[:n] + "…"
}

// redactAll replaces every full occurrence of tok in s. It is the last line
// of defence: nothing in this program prints the token on purpose.
func redactAll(s, tok string) string {
	if tok == "" {
		return s
	}
	return strings.ReplaceAll(s, tok, redact(tok))
}

// jsonReport is the --json output.
type jsonReport struct {
	Token        string              `json:"token"` // redacted
	TokenType    core.TokenType      `json:"token_type"`
	Opaque       bool                `json:"opaque"`
	Header       json.RawMessage     `json:"header"`
	Claims       json.RawMessage     `json:"claims"`
	Version      int                 `json:"version,omitempty"`
	Org          *orgInfo            `json:"org"`
	Permissions  []string            `json:"permissions"`
	Features     *scopedNames        `json:"features"`
	Plans        *scopedNames        `json:"plans"`
	Times        map[string]jsonTime `json:"times,omitempty"`
	ClaimsError  string              `json:"claims_error,omitempty"`
	Machine      *machineInfo        `json:"machine,omitempty"`
	Verification verification        `json:"verification"`
}

// jsonTime is a time claim in --json output.
type jsonTime struct {
	Unix     int64  `json:"unix"`
	Time     string `json:"time"`
	Relative string `json:"relative"`
}

func writeJSON(w io.Writer, r *report) error {
	d := r.d
	out := jsonReport{Token: redact(r.tok), TokenType: d.tokenType, Opaque: d.opaque,
		Header: d.header, Claims: d.claims, Org: d.org, Permissions: d.permissions,
		Features: d.features, Plans: d.plans, ClaimsError: d.claimsError, Machine: r.machine, Verification: r.v}
	if !d.opaque {
		out.Version = d.version
		out.Times = map[string]jsonTime{}
		for _, tc := range d.times {
			if tc.set {
				out.Times[tc.name] = jsonTime{Unix: tc.t.Unix(), Time: tc.t.UTC().Format(time.RFC3339),
					Relative: relativeTime(tc.name, tc.t, r.now)}
			}
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(terminalSafe(b.Bytes()))
	return err
}

// jsonError is the -json output when there is no token to report on (exit
// code 2): Error is a stable kind ("usage", "malformed-input",
// "malformed-token", "configuration"), Message the same text as on stderr.
type jsonError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// writeErrorJSON writes a jsonError to w when jsonMode is set, so that a
// script reading -json output always gets one JSON object.
func writeErrorJSON(w io.Writer, jsonMode bool, kind, msg string) {
	if !jsonMode {
		return
	}
	b, err := json.Marshal(jsonError{Error: kind, Message: msg})
	if err != nil { // cannot happen: two strings
		return
	}
	_, _ = w.Write(terminalSafe(append(b, '\n')))
}

func writeText(w io.Writer, r *report) {
	d := r.d
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Token       %s (%d bytes)\n", clean(redact(r.tok)), d.size)
	if d.opaque {
		p("Type        opaque %s (%s): nothing to decode; Clerk's Backend API verifies it\n", typeName(d.tokenType), d.tokenType)
	} else {
		p("Type        %s (%s)\n", typeName(d.tokenType), d.tokenType)
		p("\nHeader\n%s\n", indentJSON(d.header))
		p("\nClaims\n%s\n", indentJSON(d.claims))
		p("\nTimes\n")
		for _, tc := range d.times {
			switch {
			case tc.set:
				p("  %s  %s  (%s)\n", tc.name, tc.t.UTC().Format(time.RFC3339), relativeTime(tc.name, tc.t, r.now))
			case tc.wrong:
				p("  %s  not a number\n", tc.name)
			default:
				p("  %s  absent\n", tc.name)
			}
		}
	}
	if d.claimsError != "" && !d.opaque {
		p("\nClaims do not decode: %s\n  (verification answers token-verification-failed once the signature verified)\n", clean(d.claimsError))
	}
	if d.tokenType == core.SessionToken && !d.opaque && d.claimsError == "" {
		p("\nOrganization (claims v%d)\n", d.version)
		if d.org == nil {
			p("  none active\n")
		} else {
			p("  id    %s\n  slug  %s\n  role  %s\n", clean(d.org.ID), clean(d.org.Slug), clean(d.org.Role))
			p("\nPermissions (%s)\n", d.permSource)
			if len(d.permissions) == 0 {
				p("  none\n")
			}
			for _, perm := range d.permissions {
				p("  %s\n", clean(perm))
			}
		}
		writeScoped(p, "Features (fea)", d.features)
		writeScoped(p, "Plans (pla)", d.plans)
	}
	if m := r.machine; m != nil {
		p("\nMachine (from the Backend API)\n  subject    %s\n", clean(m.Subject))
		for _, kv := range [][2]string{{"id", m.ID}, {"name", m.Name}, {"client_id", m.ClientID}, {"expiry", m.Expiry}} {
			if kv[1] != "" {
				p("  %-9s  %s\n", kv[0], clean(kv[1]))
			}
		}
		p("  scopes     %s\n", cleanList(m.Scopes))
	}
	writeVerification(p, r.v)
}

func writeScoped(p func(string, ...any), title string, l *scopedNames) {
	p("\n%s\n", title)
	switch {
	case l == nil:
		p("  none\n")
	case l.Malformed:
		p("  malformed (an element has no scope): none granted\n")
	default:
		p("  org   %s\n  user  %s\n", cleanList(l.Org), cleanList(l.User))
	}
}

func writeVerification(p func(string, ...any), v verification) {
	p("\nVerification\n")
	switch {
	case !v.Verified:
		p("  %s\n", v.Detail)
		for _, line := range v.Explanation {
			p("  %s\n", line)
		}
		return
	case v.Valid:
		p("  VALID\n")
		for _, line := range v.Explanation {
			p("  - %s\n", clean(line))
		}
		return
	}
	p("  REJECTED  %s\n  %s\n", v.Reason, v.Message)
	if v.Detail != "" {
		p("  detail    %s\n", clean(v.Detail))
	}
	if v.Cause != "" {
		p("  cause     %s\n", clean(v.Cause))
	}
	if v.AZP != nil {
		azp := clean(*v.AZP)
		if *v.AZP == "" {
			azp = "(absent)"
		}
		p("  azp       %s\n  parties   %s  (%s)\n", azp, cleanList(v.AuthorizedParties), core.EnvAuthorizedParties)
	}
	if v.Issuer != nil {
		iss := clean(*v.Issuer)
		if *v.Issuer == "" {
			iss = "(absent)"
		}
		p("  iss       %s\n  expected  %s\n", iss, v.ExpectedIssuer)
	}
	if v.Time != "" {
		name := map[string]string{
			string(core.ReasonTokenExpired):        "exp",
			string(core.ReasonTokenNotActiveYet):   "nbf",
			string(core.ReasonTokenIatInTheFuture): "iat",
		}[v.Reason]
		p("  %-8s  %s\n", name, v.Time)
	}
	if v.Now != "" {
		p("  now       %s\n", v.Now)
	}
	if v.KeySource != "" {
		p("  keys      %s\n", v.KeySource)
	}
	for _, line := range v.Explanation {
		p("  hint      %s\n", clean(line))
	}
}

// relativeTime says how t relates to now for the claim name.
func relativeTime(name string, t, now time.Time) string {
	if years := t.Year() - now.Year(); years > 200 || years < -200 {
		// Beyond what a time.Duration holds (about 292 years): a claim
		// such as exp 1e16, which core accepts as far in the future.
		if name == "exp" {
			if years > 0 {
				return fmt.Sprintf("expires in about %d years", years)
			}
			return fmt.Sprintf("expired about %d years ago", -years)
		}
		if years > 0 {
			return fmt.Sprintf("in about %d years", years)
		}
		return fmt.Sprintf("about %d years ago", -years)
	}
	d := t.Sub(now)
	if name == "exp" {
		if d > 0 {
			return "expires in " + human(d)
		}
		return "expired " + human(-d) + " ago"
	}
	if d > 0 {
		return "in " + human(d)
	}
	return human(-d) + " ago"
}

// human formats a duration to the second ("48s", "3m12s", "2h5m", "3d4h").
func human(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

// indentJSON pretty-prints a JSON object, keeping its key order and numbers
// exactly as encoded in the token (but see terminalSafe).
func indentJSON(raw []byte) string {
	var b bytes.Buffer
	if err := json.Indent(&b, bytes.TrimSpace(raw), "", "  "); err != nil {
		return clean(string(raw))
	}
	return string(terminalSafe(b.Bytes()))
}

// terminalSafe escapes, as JSON \u sequences, every rune of an indented JSON
// document that is not printable (control and format characters: the C1 CSI,
// a right-to-left override…) and writes each byte of invalid UTF-8 as
// \ufffd. Claims are attacker-controlled and JSON allows such characters
// raw inside strings, where they would drive or garble the terminal. Outside
// strings such a document holds only spaces and newlines, which are kept, so
// the result decodes to the same value.
func terminalSafe(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		bad := (r == utf8.RuneError && size == 1) || (r != '\n' && !unicode.IsPrint(r))
		if bad && out == nil {
			out = append(make([]byte, 0, len(b)+16), b[:i]...)
		}
		switch {
		case !bad:
			if out != nil {
				out = append(out, b[i:i+size]...)
			}
		case size == 1 && r == utf8.RuneError:
			out = append(out, `\ufffd`...)
		default:
			for _, u := range utf16.Encode([]rune{r}) {
				out = fmt.Appendf(out, `\u%04x`, u)
			}
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out
}

// clean quotes a string that would put control characters or invalid UTF-8
// on a terminal. Claims are attacker-controlled.
func clean(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// quoteIfNeeded quotes s when it is empty or not plain.
func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\"") {
		return strconv.Quote(s)
	}
	return clean(s)
}

func cleanList(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = clean(s)
	}
	return strings.Join(out, ", ")
}

package webhooks_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/webhooks"
)

// FuzzVerifyHeaders feeds arbitrary header values and bodies to the Verifier:
// it never panics, fails only with a *webhooks.Error, and never accepts a
// delivery whose signature header lacks the real signature.
func FuzzVerifyHeaders(f *testing.F) {
	f.Add(vecID, "1614265330", vecSig, []byte(vecBody))
	f.Add(vecID, "1614265330", "v1,AAAA "+vecSig, []byte(vecBody))
	f.Add("", "", "", []byte(nil))
	f.Add(vecID, "-1", "v1,", []byte("{}"))
	f.Add(vecID, "99999999999999999999", vecSig, []byte(vecBody))
	v := newVerifier(f, t0)
	s := newSigner(f)
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set("svix-id", id)
		h.Set("svix-timestamp", ts)
		h.Set("svix-signature", sig)
		gotID, at, err := v.VerifySignature(body, h)
		if err != nil {
			var we *webhooks.Error
			if !errors.As(err, &we) {
				t.Fatalf("not a *webhooks.Error: %T %v", err, err)
			}
			return
		}
		if gotID != id {
			t.Fatalf("id %q, want %q", gotID, id)
		}
		want := s.Signature(id, at, body)
		if !strings.Contains(sig, want) {
			t.Fatalf("accepted %q without the real signature %q", sig, want)
		}
	})
}

// FuzzParseEvent checks the envelope parser and every accessor on any
// payload: no panic, failures are ErrInvalidPayload, and a parsed event keeps
// the payload as Raw.
func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(userCreated))
	f.Add([]byte(`{"type":"user.deleted","data":{"id":"user_1","deleted":true}}`))
	f.Add([]byte(`{"type":"x","data":null}`))
	f.Add([]byte(`{"type":""}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		ev, err := webhooks.ParseEvent(payload)
		if err != nil {
			if !errors.Is(err, webhooks.ErrInvalidPayload) {
				t.Fatalf("error %v is not invalid-payload", err)
			}
			return
		}
		if string(ev.Raw) != string(payload) {
			t.Fatal("Raw is not the payload")
		}
		check := func(err error) {
			if err != nil && !errors.Is(err, webhooks.ErrInvalidPayload) {
				t.Fatalf("accessor error %v", err)
			}
		}
		_, err = ev.User()
		check(err)
		_, err = ev.Session()
		check(err)
		_, err = ev.Organization()
		check(err)
		_, err = ev.OrganizationMembership()
		check(err)
		_, err = ev.OrganizationInvitation()
		check(err)
		_, err = ev.Role()
		check(err)
		_, err = ev.Permission()
		check(err)
		_, err = ev.Email()
		check(err)
		_, err = ev.SMS()
		check(err)
		_, err = ev.Deleted()
		check(err)
		var anyv any
		check(ev.Decode(&anyv))
		_ = ev.Time()
		_ = ev.Family()
	})
}

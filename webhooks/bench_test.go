package webhooks_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/webhooks"
)

// event2KiB is a user.updated envelope of exactly 2048 bytes.
func event2KiB(b *testing.B) []byte {
	e := event("user.updated", `{"id":"user_1","first_name":"Ada","public_metadata":{"pad":"PAD"}}`)
	body := []byte(strings.Replace(e, "PAD", strings.Repeat("x", 2048-len(e)+len("PAD")), 1))
	if len(body) != 2048 {
		b.Fatalf("size %d", len(body))
	}
	return body
}

// nopDedup claims everything, so each iteration runs the handler.
type nopDedup struct{}

func (nopDedup) Claim(context.Context, string) (webhooks.Claim, error) { return webhooks.Claimed, nil }
func (nopDedup) Complete(context.Context, string) error                { return nil }
func (nopDedup) Release(context.Context, string) error                 { return nil }

// BenchmarkVerifyAndDispatch2KiB measures one delivery of a 2 KiB event
// through ServeHTTP: body read, header checks, HMAC (svix), envelope parse,
// typed decode and handler call, plus the deduplicator. "Memory" uses the
// default MemoryDeduplicator with one id per iteration; "NoDedup" isolates
// verification and dispatch.
func BenchmarkVerifyAndDispatch2KiB(b *testing.B) {
	body := event2KiB(b)
	sign := newSigner(b)
	run := func(b *testing.B, opts ...webhooks.HandlerOption) {
		m := newMux(b, opts...)
		m.OnUserUpdated(func(_ context.Context, u *webhooks.User) error {
			if u.ID != "user_1" {
				b.Fatal(u.ID)
			}
			return nil
		})
		// A ring of signed deliveries with distinct ids.
		const ring = 4096
		hdrs := make([]map[string][]string, ring)
		for i := range ring {
			hdrs[i] = sign.Headers("msg_"+itoa(i), t0, body)
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			r := httptest.NewRequest("POST", "/", strings.NewReader(string(body)))
			r.Header = hdrs[i%ring]
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, r)
			if rec.Code != 200 {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			i++
			if i%ring == 0 {
				// Fresh deduplicator memory for the next lap of the ring.
				if len(opts) == 0 {
					b.StopTimer()
					m = newMux(b)
					m.OnUserUpdated(func(context.Context, *webhooks.User) error { return nil })
					b.StartTimer()
				}
			}
		}
	}
	b.Run("Memory", func(b *testing.B) { run(b) })
	b.Run("NoDedup", func(b *testing.B) { run(b, webhooks.WithDeduplicator(nopDedup{})) })
}

// BenchmarkVerify2KiB measures Verify alone (signature and envelope).
func BenchmarkVerify2KiB(b *testing.B) {
	body := event2KiB(b)
	v := newVerifier(b, t0)
	h := newSigner(b).Headers("msg_1", t0, body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(body, h); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	var s []byte
	for ; i > 0; i /= 10 {
		s = append([]byte{digits[i%10]}, s...)
	}
	return string(s)
}

package webhooks

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// FuzzParseSignatureHeader checks the svix-signature parser on any input: it
// never panics, stays within its bounds, and returns only v1 signatures that
// occur in the header.
func FuzzParseSignatureHeader(f *testing.F) {
	for _, s := range []string{
		"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		"v1,a v1,b",
		"v1a,xyz v1,abc",
		"v1,",
		",",
		"v1,a,b",
		"   ",
		strings.Repeat("v1,A ", MaxSignatures+1),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sigs, err := parseSignatureHeader(s)
		if err != nil {
			if sigs != nil {
				t.Fatal("signatures with an error")
			}
			return
		}
		if len(s) > MaxSignatureHeaderLength {
			t.Fatalf("accepted a %d-byte header", len(s))
		}
		if len(sigs) == 0 || len(sigs) > MaxSignatures {
			t.Fatalf("%d signatures", len(sigs))
		}
		for _, sig := range sigs {
			if sig == "" || strings.ContainsAny(sig, ", \t\n") || !strings.Contains(s, "v1,"+sig) {
				t.Fatalf("bad signature %q from %q", sig, s)
			}
		}
	})
}

func TestNewSQLDeduplicatorNilDB(t *testing.T) {
	d, err := NewSQLDeduplicator(nil)
	if err == nil || d != nil {
		t.Fatal("nil db")
	}
}

func TestPostgresQueries(t *testing.T) {
	// The PostgreSQL dialect is not run against a server here; check that
	// every query has numbered placeholders only.
	s, err := NewSQLDeduplicator(nilDB(), WithDialect(sqldb.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{s.qInsert, s.qSelect, s.qTakeOver, s.qComplete, s.qRelease, s.qPurge} {
		if strings.Contains(q, "?") || strings.Contains(q, "$T") {
			t.Errorf("query not rebound: %s", q)
		}
	}
	if s.qTakeOver != "UPDATE clerkguard_webhook_deliveries SET state = 'inflight', expires_at = $1 WHERE id = $2 AND state = $3 AND expires_at = $4" {
		t.Errorf("take-over query: %s", s.qTakeOver)
	}
}

func nilDB() *sql.DB { return new(sql.DB) }

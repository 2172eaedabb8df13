package usersync_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/usersync"
)

// Eight instances starting at once on one database apply each schema
// version exactly once; starting again changes nothing; a database migrated
// by a newer usersync is refused rather than written with the old schema.
func TestMigrationsConcurrentStart(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				s, err := usersync.Open(t.Context(), db.url)
				if err != nil {
					errs <- err
					return
				}
				s.Close()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("instance failed to start while others migrated: %v", err)
		}
		s := db.open(t)
		rows, err := s.DB().Query(`SELECT version FROM clerk_schema_migrations ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			got = append(got, v)
		}
		rows.Close()
		if len(got) != usersync.SchemaVersion() || got[0] != 1 || got[len(got)-1] != usersync.SchemaVersion() {
			t.Fatalf("versions applied: %v, want 1..%d once each", got, usersync.SchemaVersion())
		}
		if v, err := s.Version(t.Context()); err != nil || v != usersync.SchemaVersion() {
			t.Fatalf("Version = %d, %v", v, err)
		}
		if _, err := s.DB().Exec(`INSERT INTO clerk_schema_migrations (version, applied_at) VALUES (999, 0)`); err != nil {
			t.Fatal(err)
		}
		if _, err := usersync.Open(t.Context(), db.url); !errors.Is(err, usersync.ErrSchemaTooNew) {
			t.Fatalf("newer schema: %v, want ErrSchemaTooNew", err)
		}
		// Another prefix is another, independent set of tables.
		other := db.open(t, usersync.WithTablePrefix("other_"))
		if v, err := other.Version(t.Context()); err != nil || v != usersync.SchemaVersion() {
			t.Fatalf("other prefix: Version = %d, %v", v, err)
		}
	})
}

package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
	_ "modernc.org/sqlite" // the driver your program uses
)

// The dialect comes from the driver you imported; Rebind numbers the
// placeholders for PostgreSQL.
func ExampleDetect() {
	dir, _ := os.MkdirTemp("", "sqldb-example")
	defer os.RemoveAll(dir)
	db, _ := sql.Open("sqlite", filepath.Join(dir, "app.db"))
	defer db.Close()
	d, err := sqldb.Detect(context.Background(), db)
	fmt.Println(d, err)
	fmt.Println(sqldb.Postgres.Rebind("SELECT id FROM t WHERE a = ? AND b = ?"))
	// Output:
	// sqlite <nil>
	// SELECT id FROM t WHERE a = $1 AND b = $2
}

// A versioned schema, migrated at start-up by every instance: each version
// is applied once, under a lock, and recorded in VersionTable.
func ExampleSchema_Migrate() {
	dir, _ := os.MkdirTemp("", "sqldb-example")
	defer os.RemoveAll(dir)
	db, _ := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db")+"?_pragma=busy_timeout(5000)")
	defer db.Close()
	ctx := context.Background()
	schema := sqldb.Schema{
		VersionTable: "app_schema_versions",
		Migrations: []sqldb.Migration{
			{Version: 1, Statements: []string{`CREATE TABLE app_notes (id TEXT NOT NULL PRIMARY KEY, body TEXT NOT NULL)`}},
			{Version: 2, Statements: []string{`CREATE INDEX app_notes_body ON app_notes (body)`}},
		},
	}
	for range 2 { // the second start finds everything done
		if err := schema.Migrate(ctx, db, sqldb.SQLite); err != nil {
			panic(err)
		}
	}
	v, err := schema.Version(ctx, db)
	fmt.Println(v, err)
	// Output: 2 <nil>
}

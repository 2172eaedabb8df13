// Package sqldb is the SQL layer shared by clerkguard's database code (the
// webhooks package's SQLDeduplicator and the usersync module): the dialect of
// a database/sql database, placeholder rewriting, and versioned migrations
// that several instances may run at once.
//
// It imports no database driver. You import the driver you use, as with any
// database/sql program, and the dialect is inferred from it (Detect), or set
// with an option where inference cannot work (a wrapped driver, such as a
// tracing one). A PostgreSQL program therefore links no SQLite code, and a
// SQLite program no PostgreSQL code.
//
// The SQL it runs and checks is the portable subset of SQLite 3.24+ and
// PostgreSQL 9.5+ (INSERT … ON CONFLICT, row values), written with "?"
// placeholders that Rebind numbers for PostgreSQL.
package sqldb

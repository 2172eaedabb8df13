// Package usersync keeps a copy of your Clerk users, organizations and
// organization memberships in your own database (SQLite or PostgreSQL,
// through the database/sql driver your program imports: usersync imports
// none, see Open and New), so that you can join them, point foreign keys at
// them and list them on admin screens.
//
// It keeps them current three ways, which work together:
//
//   - Webhooks: Store.WebhookHandler wires the Store to a webhooks.Handler
//     for every user.*, organization.* and organizationMembership.* event,
//     deduplicating deliveries in the same database (behaviour.md §9).
//   - Just in time: a Provisioner, installed on the core.Authorizer with
//     one option (Provisioner.Option), makes sure the user of every freshly
//     verified session token (and its active organization and membership)
//     has a local row, fetching what is missing from the Backend API with
//     Clerk's own Go client, github.com/clerk/clerk-sdk-go/v2. It works
//     with every clerkguard adapter, because it runs inside the Authorizer.
//   - Backfill: Backfill (and the usersync-backfill command) imports every
//     existing object through the Backend API, resumably.
//
// All three write through the same ordered upserts, each event in one
// transaction with its cascades and a backfill page in one (Batch): a row
// only takes newer data, replays change nothing, deletions are terminal
// soft deletes (tombstones when they arrive first) that cascade to
// memberships. The
// result does not depend on the order in which events, provisioning and the
// backfill happen to run, on one instance or many.
//
// Every path is bounded (behaviour.md §11): Open caps its pool at
// DefaultMaxOpenConns connections, a Provisioner runs at most
// DefaultMaxConcurrent provisionings (and Backend API calls) at once and
// waits out 429 answers within MaxRetryAfter, and a permanent condition (a
// user Clerk does not know, a deleted one) is answered 401
// identity-not-found and remembered instead of costing an upstream call per
// request. The Backend API URL is the base URL without /v1, as
// CLERK_API_URL and core read it (ClientConfigFromEnv,
// NewProvisionerFromEnv). clerktest.Backend is a fake Backend API for
// tests. usersync/README.md has the schema, a quick start and operations.
//
// New and Open migrate the schema at start-up (versioned, in
// <prefix>schema_migrations; several instances may start at once). Read the
// rows with Store.User, Store.Organization, Store.Membership and
// Store.Memberships, or join the tables (Store.Table) in your own SQL.
package usersync

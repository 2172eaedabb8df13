// Command usersync-backfill imports every user, organization and
// organization membership of a Clerk instance into the usersync tables,
// through the Backend API. It resumes where an interrupted run stopped;
// run it once after setting up webhooks (it is safe while they arrive).
//
// Environment:
//
//	CLERK_SECRET_KEY        the instance's secret key (sk_…), required
//	DATABASE_URL            postgres://… for PostgreSQL; else a SQLite path
//	                        (sqlite:PATH allowed; default usersync.db)
//	CLERK_API_URL           Backend API base, as core reads it (default https://api.clerk.com)
//	USERSYNC_TABLE_PREFIX   table prefix (default clerk_)
//
// Flags:
//
//	-page-size N   objects per Backend API page (default 100, at most 500)
//	-timeout D     bound of each Backend API call (default 5s)
//	-restart       forget earlier progress and read everything again
package main

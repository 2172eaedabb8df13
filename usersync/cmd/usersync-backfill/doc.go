// Command usersync-backfill imports every user, organization and
// organization membership of a Clerk instance into the usersync tables,
// through the Backend API. It resumes where an interrupted run stopped and
// says "already complete" when there is nothing left; run it once after
// setting up webhooks (it is safe while they arrive). -h prints this.
//
// Environment:
//
//	CLERK_SECRET_KEY        the instance's secret key (sk_…), required
//	CLERK_API_URL           Backend API base URL without /v1, as core reads it (default https://api.clerk.com)
//	DATABASE_URL            postgres://… for PostgreSQL; else a SQLite path
//	                        (sqlite:PATH allowed; default usersync.db)
//	USERSYNC_TABLE_PREFIX   table prefix (default clerk_)
//
// Flags:
//
//	-page-size N   objects per Backend API page (default 100, at most 500)
//	-timeout D     bound of each Backend API call (default 5s)
//	-restart       forget earlier progress and read everything again
//
// Exit status: 0 on success (and for -h), 1 on failure; the "run again to
// resume" hint follows only failures a new run can get past
// (usersync.Resumable).
package main

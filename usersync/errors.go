package usersync

import (
	"errors"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// Errors returned by the Store, the Provisioner and Backfill. Match them with
// errors.Is; a Backend API failure also wraps the clerk-sdk-go error
// (*clerk.APIErrorResponse for an API answer), reachable with errors.As.
var (
	// ErrNotFound: the row does not exist locally, or the Backend API
	// answered 404 for the object.
	ErrNotFound = errors.New("usersync: not found")
	// ErrDeleted: the user, organization or membership is deleted (a
	// terminal soft delete); just-in-time provisioning refuses it.
	ErrDeleted = errors.New("usersync: deleted")
	// ErrBackend: a Backend API call failed (error answer, transport
	// failure or timeout).
	ErrBackend = errors.New("usersync: Backend API call failed")
	// ErrPaging: a Backfill list served a full page of objects already
	// read: the Backend API (or something in front of it) ignores paging.
	// Running again does not help.
	ErrPaging = errors.New("usersync: Backend API paging does not advance")
	// ErrSchemaTooNew: the database was migrated by a newer usersync whose
	// schema this version does not know. It is sqldb.ErrSchemaTooNew.
	ErrSchemaTooNew = sqldb.ErrSchemaTooNew
)

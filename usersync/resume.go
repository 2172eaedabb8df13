package usersync

import (
	"context"
	"errors"
	"net/http"

	"github.com/clerk/clerk-sdk-go/v2"
)

// Resumable reports whether running Backfill again may get past err, which
// Backfill returned: a timeout, a cancelled run, a Backend API outage or
// rate limit. It is false for what needs a change first (a secret key the
// Backend API refuses, 401 or 403; ErrPaging; ErrSchemaTooNew; a bad
// option) and for errors it cannot classify, such as a database's.
func Resumable(err error) bool {
	var api *clerk.APIErrorResponse
	switch {
	case err == nil, errors.Is(err, ErrPaging), errors.Is(err, ErrSchemaTooNew):
		return false
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return true
	case errors.As(err, &api):
		return api.HTTPStatusCode != http.StatusUnauthorized && api.HTTPStatusCode != http.StatusForbidden
	}
	return errors.Is(err, ErrBackend)
}

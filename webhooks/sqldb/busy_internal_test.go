package sqldb

import (
	"errors"
	"testing"
)

func TestIsBusy(t *testing.T) {
	for _, tc := range []struct {
		err  error
		busy bool
	}{
		{nil, false}, {errors.New("database is locked (5) (SQLITE_BUSY)"), true},
		{errors.New("SQLITE_BUSY"), true}, {errors.New("no such table"), false},
	} {
		if isBusy(tc.err) != tc.busy {
			t.Errorf("isBusy(%v) = %v", tc.err, !tc.busy)
		}
	}
}

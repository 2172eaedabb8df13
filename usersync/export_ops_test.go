package usersync

import "time"

// SetNegativeClock sets the clock of p's memory of permanent failures.
func SetNegativeClock(p *Provisioner, now func() time.Time) { p.neg.now = now }

package core

// MachineWaiters returns how many requests wait for the Backend API call in
// flight for token (0 when there is none), so that tests can order events
// without sleeping.
func MachineWaiters(a *Authorizer, token string) int {
	b := a.backend
	b.mu.Lock()
	defer b.mu.Unlock()
	if call, ok := b.inflight[token]; ok {
		return call.waiters
	}
	return 0
}

// MachineNotFoundEntries returns the number of 404 answers a remembers.
func MachineNotFoundEntries(a *Authorizer) int { return a.backend.notFound.len() }

// MachineKnownGoodEntries returns the number of known-good tokens a holds
// (behaviour.md §6.6).
func MachineKnownGoodEntries(a *Authorizer) int { return a.backend.known.len() }

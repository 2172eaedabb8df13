package usersync

import (
	"context"
	"sync"
)

// flights runs one provisioning per key at a time: concurrent requests for
// the same user wait for the one in flight and share its result, each
// within its own context. When the leader's request is cancelled, a waiter
// whose request is still alive takes over instead of failing with it.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done      chan struct{}
	err       error
	abandoned bool // the leader's own context ended before fn returned
}

func (g *flights) do(ctx context.Context, key string, fn func() error) error {
	for {
		g.mu.Lock()
		if f, ok := g.m[key]; ok {
			g.mu.Unlock()
			select {
			case <-f.done:
				if f.abandoned && ctx.Err() == nil {
					continue // the leader's request ended; try ourselves
				}
				return f.err
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if g.m == nil {
			g.m = make(map[string]*flight)
		}
		f := &flight{done: make(chan struct{})}
		g.m[key] = f
		g.mu.Unlock()

		f.err = fn()
		f.abandoned = f.err != nil && ctx.Err() != nil
		g.mu.Lock()
		delete(g.m, key)
		g.mu.Unlock()
		close(f.done)
		return f.err
	}
}

package discordtest

import (
	"fmt"
	"sync"
	"time"
)

// board is a mutex plus a channel that is closed on every change, so
// goroutines can wait for a condition on the guarded data with a timeout.
type board struct {
	mu      sync.Mutex
	changed chan struct{}
}

// update runs f under the lock and wakes every waiter.
func (b *board) update(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f()
	b.notifyLocked()
}

// read runs f under the lock.
func (b *board) read(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f()
}

// notifyLocked wakes every waiter; the caller holds the lock.
func (b *board) notifyLocked() {
	if b.changed != nil {
		close(b.changed)
	}
	b.changed = make(chan struct{})
}

// wait blocks until cond, evaluated under the lock, is true or timeout
// passes. what names the awaited thing in the error.
func (b *board) wait(timeout time.Duration, what string, cond func() bool) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		b.mu.Lock()
		ok := cond()
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		changed := b.changed
		b.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-timer.C:
			return fmt.Errorf("discordtest: no %s within %s", what, timeout)
		}
	}
}

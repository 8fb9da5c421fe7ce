package announce

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"dubbot/store"
)

// Summary says what one Deliver did.
type Summary struct {
	Events   int // events planned by this run
	Planned  int // outbox entries written (posts × targets)
	Digests  int // of those, digests of events older than the window
	Sent     int // posted in a channel or DMed
	Notices  int // kept as a notice: the watcher's DMs are closed
	Skipped  int // dropped: the target unsubscribed or stopped watching
	Failed   int // given up: refused by Discord, or out of attempts
	Disabled int // subscriptions turned off: channel deleted or access lost
	Pending  int // entries left for a later run
	Pruned   int // old events and delivery records removed
}

func (s Summary) String() string {
	return fmt.Sprintf("announcements: %d new events planned as %d posts (%d digests); %d sent, %d notices, %d skipped, %d failed, %d subscriptions disabled; %d pending; %d pruned",
		s.Events, s.Planned, s.Digests, s.Sent, s.Notices, s.Skipped, s.Failed, s.Disabled, s.Pending, s.Pruned)
}

// breakerLimit stops a run after this many passing failures in a row:
// Discord or the network is down, and every further try would only count
// against the invalid-request limit.
const breakerLimit = 10

// Deliver plans the events nobody planned yet, then sends every pending
// outbox entry that is due, a few targets at a time, each target's posts
// in order. The scheduler calls it after each refresh, on a timer and at
// start (which retries what a crash left pending). Runs are serialised.
func (s *Service) Deliver(ctx context.Context) (Summary, error) {
	if s.cfg.Poster == nil {
		return Summary{}, ErrNoDiscord
	}
	select {
	case s.running <- struct{}{}:
	case <-ctx.Done():
		return Summary{}, ctx.Err()
	}
	defer func() { <-s.running }()
	now := s.now()
	p, err := s.plan(now)
	if err != nil {
		return Summary{}, fmt.Errorf("plan announcements: %w", err)
	}
	sum := Summary{Events: p.events, Planned: p.entries, Digests: p.digests, Pruned: p.pruned}
	sendErr := s.sendAll(ctx, now, &sum)
	n, pruneErr := s.pruneRecords(now)
	sum.Pruned += n
	if sum.Pending, err = s.pendingCount(); err != nil {
		return sum, errors.Join(sendErr, pruneErr, err)
	}
	return sum, errors.Join(sendErr, pruneErr)
}

// run is one Deliver's sending pass.
type run struct {
	s      *Service
	now    time.Time
	cancel context.CancelCauseFunc
	streak atomic.Int32 // passing failures in a row
	mu     sync.Mutex
	sum    *Summary
}

func (s *Service) sendAll(ctx context.Context, now time.Time, sum *Summary) error {
	var groups [][]entry
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		groups, err = pendingEntries(tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("read outbox: %w", err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r := &run{s: s, now: now, cancel: cancel, sum: sum}
	work := make(chan []entry)
	var wg sync.WaitGroup
	for range min(s.cfg.Senders, len(groups)) {
		wg.Go(func() {
			for g := range work {
				r.target(ctx, g)
			}
		})
	}
feed:
	for _, g := range groups {
		select {
		case work <- g:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return context.Cause(ctx)
}

// target sends one target's due entries in order, stopping at the first
// that must wait so later news never overtakes earlier news.
func (r *run) target(ctx context.Context, es []entry) {
	for i := range es {
		e := &es[i]
		if ctx.Err() != nil || e.NextTry.After(r.now) || !r.deliver(ctx, e) {
			return
		}
	}
}

func (r *run) count(f func(*Summary)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r.sum)
}

// deliver sends one entry and records the outcome; false means "stop this
// target for now".
func (r *run) deliver(ctx context.Context, e *entry) bool {
	d, err := r.s.prepare(e)
	if err != nil {
		r.s.log.Error("prepare announcement", errAttrs(e, err)...)
		return false
	}
	if d.skip {
		return r.finish(e, record{State: stateSkipped, At: r.s.now()}, func(s *Summary) { s.Skipped++ })
	}
	var msgID string
	if e.Target[0] == targetGuild {
		msgID, err = r.s.cfg.Poster.SendMessage(ctx, d.channel, d.msg)
	} else {
		err = r.s.cfg.DM.DM(ctx, e.targetID(), d.msg, d.notice)
	}
	return r.settle(ctx, e, d.channel, msgID, err)
}

// settle records how a send went.
func (r *run) settle(ctx context.Context, e *entry, channel, msgID string, err error) bool {
	at := r.s.now()
	switch {
	case err == nil:
		r.streak.Store(0)
		return r.finish(e, record{State: stateSent, Channel: channel, MessageID: msgID, At: at}, func(s *Summary) { s.Sent++ })
	case e.Target[0] == targetUser && isDMsClosed(err):
		return r.finish(e, record{State: stateNotice, At: at}, func(s *Summary) { s.Notices++ })
	case ctx.Err() != nil:
		return false // shutting down, or the breaker tripped: it stays pending
	case e.Target[0] == targetGuild && targetGone(err):
		r.finish(e, record{State: stateFailed, Channel: channel, Error: err.Error(), At: at}, func(s *Summary) { s.Failed++ })
		if derr := r.s.disable(e.targetID(), channel, err); derr != nil {
			r.s.log.Error("disable subscription", errAttrs(e, derr)...)
			return false
		}
		r.count(func(s *Summary) { s.Disabled++ })
		return false
	case badToken(err):
		// Every post would fail the same way: stop, and keep them all
		// pending for when the token works again.
		r.cancel(fmt.Errorf("announcements stopped: Discord refused the bot token: %w", err))
		return false
	case !passing(err):
		r.s.log.Warn("announcement refused by Discord; giving it up", errAttrs(e, err)...)
		return r.finish(e, record{State: stateFailed, Channel: channel, Error: err.Error(), At: at}, func(s *Summary) { s.Failed++ })
	}
	return r.retryLater(e, channel, err)
}

// retryLater counts a passing failure: the entry waits with a growing
// delay, or is given up after MaxAttempts.
func (r *run) retryLater(e *entry, channel string, err error) bool {
	if n := r.streak.Add(1); n >= breakerLimit {
		r.cancel(fmt.Errorf("announcements stopped after %d failures in a row: %w", n, err))
	}
	e.Attempts++
	e.LastError = err.Error()
	if e.Attempts >= r.s.cfg.MaxAttempts {
		r.s.log.Warn("announcement failed too often; giving it up", errAttrs(e, err)...)
		r.finish(e, record{State: stateFailed, Channel: channel, Error: err.Error(), At: r.s.now()}, func(s *Summary) { s.Failed++ })
		return false
	}
	e.NextTry = r.s.now().Add(backoff(e.Attempts))
	r.s.log.Info("announcement will be retried", append(errAttrs(e, err), slog.Time("next_try", e.NextTry))...)
	if perr := r.s.db.Batch(func(tx *store.Tx) error { return postpone(tx, e) }); perr != nil {
		r.s.log.Error("record announcement attempt", errAttrs(e, perr)...)
	}
	return false
}

// finish records a finished entry; it reports whether the target's next
// entry may go.
func (r *run) finish(e *entry, rec record, tally func(*Summary)) bool {
	if err := r.s.db.Batch(func(tx *store.Tx) error { return finish(tx, e, rec) }); err != nil {
		r.s.log.Error("record announcement", errAttrs(e, err)...)
		return false
	}
	r.count(tally)
	return true
}

// backoff is the wait before the next try: 1 minute, doubling, at most an
// hour.
func backoff(attempts int) time.Duration {
	return min(time.Minute<<min(attempts-1, 6), time.Hour)
}

func (s *Service) pendingCount() (int, error) {
	n := 0
	err := s.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketOutbox, pendingPrefix, func(string, []byte) error {
			n++
			return nil
		})
	})
	return n, err
}

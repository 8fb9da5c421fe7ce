// Package ratelimit paces the requests to one upstream, so that every caller
// (download queue workers, command handlers, jobs) shares one budget.
//
// # Pacing rather than bursting
//
// A budget is one or more windows, such as 3/s and 60/m. The Limiter spaces
// requests evenly instead of letting a window's whole budget go out at once:
// each window N/Per admits one request every (Per+slack)/N, and the slowest
// window sets the pace. That is GCRA with a burst of one for every window.
// Spaced that way, any span of Per holds at most N requests, so every window
// is honoured at once. The cost is that idle time does not bank a burst; the
// gain is a steady trickle that upstreams which answer 429 below their
// documented limit (Jikan) tolerate, and no minute-long stall after a burst.
//
// The slack (WithSlack, default 50 ms) stretches each window a little because
// the server counts arrivals, not departures: a request that leaves on time
// but arrives early relative to one sent a window before would otherwise
// break the window on the server's clock. For the same reason a caller woken
// late (a starved process, a suspended machine) goes at once, but those
// queued behind it are spaced again from that moment instead of following
// it in a burst.
//
// # Slowing down
//
// A 429 or 503 calls Penalize: everyone waits until the server's Retry-After,
// and the pace drops by a factor (×0.8 by default, down to a floor of ×0.25).
// After each quiet period without a penalty (a minute by default) the pace
// recovers by a step (0.05), until it is back to the configured budget: the
// additive-increase, multiplicative-decrease of TCP.
package ratelimit

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Defaults for a Limiter's options.
const (
	DefaultSlack        = 50 * time.Millisecond
	DefaultSlowdown     = 0.8
	DefaultFloor        = 0.25
	DefaultQuiet        = time.Minute
	DefaultRecoveryStep = 0.05
	DefaultMinPenalty   = time.Second
)

// maxLateness is how late a timer may fire before the callers queued behind
// it are spaced again; timers normally fire well within a millisecond.
const maxLateness = 10 * time.Millisecond

// Limiter is the shared budget of one upstream. It is safe for concurrent use.
type Limiter struct {
	name       string
	clock      Clock
	slack      time.Duration
	slowdown   float64
	floor      float64
	quiet      time.Duration
	step       float64
	minPenalty time.Duration

	mu           sync.Mutex
	windows      []window
	factor       float64   // 1 at full budget, lower after penalties
	calmSince    time.Time // recovery counts quiet periods from here
	next         time.Time // earliest slot of the next reservation
	lastRelease  time.Time // when the latest caller was let through
	blockedUntil time.Time
	epoch        uint64        // bumped by requeue: older reservations are void
	wake         chan struct{} // closed by requeue to rouse sleeping waiters
	counts       counts
}

// window is one budget window, possibly lowered by a server's header.
type window struct {
	per        time.Duration
	configured int // 0 for a window learned only through Lower
	limit      int
}

// Option changes a Limiter's defaults.
type Option func(*Limiter)

// WithClock sets the time source; tests use a fake.
func WithClock(c Clock) Option { return func(l *Limiter) { l.clock = c } }

// WithSlack sets how much each window is stretched to absorb network jitter.
func WithSlack(d time.Duration) Option { return func(l *Limiter) { l.slack = max(d, 0) } }

// WithSlowdown sets the factor each penalty multiplies the pace by, and the
// floor it never drops below; both in (0, 1].
func WithSlowdown(factor, floor float64) Option {
	return func(l *Limiter) {
		l.slowdown = clampFraction(factor, DefaultSlowdown)
		l.floor = clampFraction(floor, DefaultFloor)
	}
}

// WithRecovery sets how long the limiter must go without a penalty before
// the pace rises by step (a fraction of the full budget); quiet 0 disables
// recovery.
func WithRecovery(quiet time.Duration, step float64) Option {
	return func(l *Limiter) {
		l.quiet = max(quiet, 0)
		l.step = clampFraction(step, DefaultRecoveryStep)
	}
}

// WithMinPenalty sets the shortest block a penalty imposes. It lets one
// burst of 429s, answering requests already in flight, count as one.
func WithMinPenalty(d time.Duration) Option { return func(l *Limiter) { l.minPenalty = max(d, 0) } }

func clampFraction(f, def float64) float64 {
	if f > 0 && f <= 1 {
		return f
	}
	return def
}

// New returns the limiter of the upstream called name, enforcing every rate
// at once. With no rates only penalties slow it down. New panics on a rate
// with N < 1 or Per under a millisecond: Parse never returns one.
func New(name string, rates []Rate, opts ...Option) *Limiter {
	l := &Limiter{
		name:       name,
		clock:      systemClock{},
		slack:      DefaultSlack,
		slowdown:   DefaultSlowdown,
		floor:      DefaultFloor,
		quiet:      DefaultQuiet,
		step:       DefaultRecoveryStep,
		minPenalty: DefaultMinPenalty,
		factor:     1,
		wake:       make(chan struct{}),
	}
	for _, r := range rates {
		if err := r.validate(); err != nil {
			panic(fmt.Sprintf("ratelimit.New(%q): rate %v: %v", name, r, err))
		}
		l.windows = append(l.windows, window{per: r.Per, configured: r.N, limit: r.N})
	}
	for _, opt := range opts {
		opt(l)
	}
	return l
}

// Name is the upstream the limiter paces.
func (l *Limiter) Name() string { return l.name }

// Wait blocks until the caller may send one request, or ctx ends. When ctx's
// deadline comes before the caller's turn, Wait gives up at once rather than
// sleeping into a certain failure.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("wait for %s rate limit: %w", l.name, err)
	}
	start := l.clock.Now()
	for {
		now := l.clock.Now()
		r := l.reserve(now)
		if r.granted {
			l.noteWait(start, now)
			return nil
		}
		delay := r.slot.Sub(now)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			l.cancel(r)
			return fmt.Errorf("wait for %s rate limit: next slot in %v is past the deadline: %w",
				l.name, delay, context.DeadlineExceeded)
		}
		select {
		case <-ctx.Done():
			l.cancel(r)
			return fmt.Errorf("wait for %s rate limit: %w", l.name, ctx.Err())
		case <-r.wake:
			// A penalty or a late caller voided the reservation: queue again.
		case <-l.clock.After(delay):
			if l.commit(r, l.clock.Now()) {
				l.noteWait(start, l.clock.Now())
				return nil
			}
		}
	}
}

// reservation is a caller's place in line.
type reservation struct {
	slot     time.Time
	prevNext time.Time // l.next before this reservation, to give the slot back
	next     time.Time // l.next after it
	epoch    uint64
	wake     <-chan struct{}
	granted  bool // the slot is now: no need to sleep
}

func (l *Limiter) reserve(now time.Time) reservation {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recover(now)
	slot := latest(now, l.next, l.blockedUntil)
	r := reservation{slot: slot, prevNext: l.next, epoch: l.epoch, wake: l.wake}
	l.next = slot.Add(l.interval())
	r.next = l.next
	if !slot.After(now) {
		l.release(now)
		r.granted = true
	}
	return r
}

// commit lets a woken caller through, unless a penalty came while it slept
// or another caller went moments ago; then it must queue again. A caller
// that wakes late, because the process was starved or the machine slept,
// goes now, and everyone queued behind it lines up again from now: on their
// old slots they would follow it too closely.
func (l *Limiter) commit(r reservation, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	iv := l.interval()
	tolerance := min(iv/4, maxLateness)
	if r.epoch != l.epoch || now.Before(l.lastRelease.Add(iv-tolerance)) {
		return false
	}
	l.release(now)
	if now.After(r.slot.Add(tolerance)) {
		l.next = now.Add(iv)
		l.requeue()
	}
	return true
}

// requeue voids every outstanding reservation and wakes its holder.
func (l *Limiter) requeue() {
	l.epoch++
	close(l.wake)
	l.wake = make(chan struct{})
}

// cancel gives an abandoned slot back when nobody has queued behind it, so a
// caller that gives up does not slow the others down.
func (l *Limiter) cancel(r reservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r.epoch == l.epoch && l.next.Equal(r.next) {
		l.next = r.prevNext
	}
}

func (l *Limiter) release(now time.Time) {
	l.lastRelease = latest(l.lastRelease, now)
	l.counts.admitted++
}

func (l *Limiter) noteWait(start, end time.Time) {
	if !end.After(start) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.counts.waits++
	l.counts.waited += end.Sub(start)
}

// interval is the spacing the slowest window needs at the current pace,
// rounded up so that N intervals never fall short of the window.
func (l *Limiter) interval() time.Duration {
	var iv time.Duration
	for _, w := range l.windows {
		n := time.Duration(w.limit)
		iv = max(iv, (l.stretch(w.per)+n-1)/n)
	}
	return iv
}

// stretch is the length a window is paced over: widened by the slack and by
// the slowdown.
func (l *Limiter) stretch(per time.Duration) time.Duration {
	return time.Duration(math.Ceil(float64(per+l.slack) / l.factor))
}

func latest(t time.Time, more ...time.Time) time.Time {
	for _, u := range more {
		if u.After(t) {
			t = u
		}
	}
	return t
}

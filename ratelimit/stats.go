package ratelimit

import "time"

// counts are the limiter's running totals.
type counts struct {
	admitted  uint64
	waits     uint64
	waited    time.Duration
	penalties uint64
}

// Stats is a snapshot of a limiter, for /metrics and the queue status.
type Stats struct {
	Name string
	// Configured is the budget the limiter was built with.
	Configured []Rate
	// Effective is the budget enforced now: lowered by headers and stretched
	// by the slack and the slowdown, so 1/s at ×0.8 reads 1/1.3125s.
	Effective []Rate
	// Factor is the pace relative to the budget: 1, or less after penalties.
	Factor float64
	// Interval is the spacing between requests at the current pace.
	Interval time.Duration
	// Admitted counts requests let through; Waits those that had to wait,
	// for Waited in total.
	Admitted uint64
	Waits    uint64
	Waited   time.Duration
	// Penalties counts 429s and 503s reported; BlockedUntil is when the
	// latest penalty's block ends (zero or past when not blocked).
	Penalties    uint64
	BlockedUntil time.Time
}

// Stats returns the limiter's current state.
func (l *Limiter) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recover(l.clock.Now())
	s := Stats{
		Name:         l.name,
		Factor:       l.factor,
		Interval:     l.interval(),
		Admitted:     l.counts.admitted,
		Waits:        l.counts.waits,
		Waited:       l.counts.waited,
		Penalties:    l.counts.penalties,
		BlockedUntil: l.blockedUntil,
	}
	for _, w := range l.windows {
		if w.configured > 0 {
			s.Configured = append(s.Configured, Rate{N: w.configured, Per: w.per})
		}
		s.Effective = append(s.Effective, Rate{N: w.limit, Per: l.stretch(w.per)})
	}
	return s
}

package ratelimit

import "time"

// Penalize tells the limiter the upstream refused a request (429 or 503):
// nobody is let through until retryAfter from now (at least the minimum
// penalty), and the pace drops by the slowdown factor. 429s that arrive while
// an earlier penalty still blocks answer requests sent before it, so they
// extend the block but do not slow the pace again.
func (l *Limiter) Penalize(retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	l.recover(now)
	l.counts.penalties++
	if !now.Before(l.blockedUntil) {
		l.factor = max(l.floor, l.factor*l.slowdown)
	}
	l.blockedUntil = latest(l.blockedUntil, now.Add(max(retryAfter, l.minPenalty)))
	l.calmSince = l.blockedUntil
	l.next = latest(l.blockedUntil, l.lastRelease.Add(l.interval()))
	l.requeue()
}

// Lower caps the window of length per at limit requests, as a server's
// header (AniList's X-RateLimit-Limit) announces. A later call with a higher
// limit lifts the cap again, though never above the configured rate. A window
// the budget did not have is added. Nonsense values are ignored.
func (l *Limiter) Lower(limit int, per time.Duration) {
	if limit < 1 || per < minPer {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	found := false
	for i := range l.windows {
		w := &l.windows[i]
		if w.per != per {
			continue
		}
		found = true
		w.limit = limit
		if w.configured > 0 {
			w.limit = min(limit, w.configured)
		}
	}
	if !found {
		l.windows = append(l.windows, window{per: per, limit: limit})
	}
}

// recover raises the pace by one step for every quiet period since the last
// penalty ended.
func (l *Limiter) recover(now time.Time) {
	if l.factor >= 1 || l.quiet <= 0 {
		return
	}
	calm := now.Sub(l.calmSince)
	if calm < l.quiet {
		return
	}
	steps := calm / l.quiet
	l.factor = min(1, l.factor+float64(steps)*l.step)
	l.calmSince = l.calmSince.Add(steps * l.quiet)
}

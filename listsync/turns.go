package listsync

import (
	"hash/fnv"
	"time"
)

// hash spreads users over turns and reconcile times; it only has to be
// stable and even, not secret.
func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// slot is the user's turn within the interval, 0..Slots-1.
func (s *Service) slot(userID string) int {
	return int(hash(userID) % uint64(s.cfg.Slots))
}

// turn numbers the TickEvery-long periods since the Unix epoch; turn n is
// slot n mod Slots.
func (s *Service) turn(t time.Time) int64 {
	return t.UnixNano() / int64(s.TickEvery())
}

// dueSlots returns the slots whose turn came up since the previous call:
// the current one, and those a late tick skipped (never more than a whole
// interval's worth).
func (s *Service) dueSlots(now time.Time) map[int]bool {
	cur := s.turn(now)
	s.mu.Lock()
	last := s.lastTurn
	s.lastTurn = max(last, cur)
	s.mu.Unlock()
	from := cur
	if last > 0 {
		from = max(last+1, cur-int64(s.cfg.Slots)+1)
	}
	due := make(map[int]bool)
	for t := from; t <= cur; t++ {
		due[int(t%int64(s.cfg.Slots))] = true
	}
	return due
}

// nextTurn is roughly when the user's turn next comes up after now.
func (s *Service) nextTurn(userID string, now time.Time) time.Time {
	n := int64(s.cfg.Slots)
	cur := s.turn(now)
	t := cur + 1 + (int64(s.slot(userID))-(cur+1)%n+n)%n
	return time.Unix(0, t*int64(s.TickEvery())).UTC()
}

// reconcileDue reports whether the user's periodic full comparison is due:
// each user has a fixed time of day (by hash), so that the reconciles of
// users who enabled sync together are spread over the day anyway. A user
// reconciled less than half a period ago waits for the next one.
func (s *Service) reconcileDue(userID string, last, now time.Time) bool {
	if last.IsZero() {
		return true
	}
	every := int64(s.cfg.ReconcileEvery)
	offset := int64(hash(userID+"/reconcile") % uint64(every))
	n := now.UnixNano()
	since := ((n-offset)%every + every) % every
	return last.UnixNano() < n-since && now.Sub(last) >= s.cfg.ReconcileEvery/2
}

// initSeen primes the AniList clock from the stored cursors, the first
// time it is needed in this process.
func (s *Service) initSeen() {
	if s.seen.Load() > 0 {
		return
	}
	if users, err := s.users(); err == nil {
		s.initSeenFrom(users)
	}
}

// initSeenFrom primes the AniList clock from users' cursors: a cursor is
// one below a time the service had seen.
func (s *Service) initSeenFrom(users map[string]record) {
	for _, r := range users {
		if r.Cursor > 0 {
			s.saw(r.Cursor + 1)
		}
	}
}

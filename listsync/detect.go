package listsync

import (
	"context"
	"math"

	"dubbot/store"
	"dubbot/syncer"
	"dubbot/upstream/anilist"
)

// candidate is a user the change detector looks at.
type candidate struct {
	userID    string
	anilistID int
	cursor    int64
	// due users are synced whatever the detector finds (a first sync, a
	// retry, a reconcile); they are asked about only to learn AniList's
	// clock, which costs nothing extra in a chunk that is asked about anyway.
	due bool
}

// found is what the detector learned about one chunk of users.
type found struct {
	// changed maps each user with edits to the media ids edited; a nil set
	// means some edits may not have been seen, and both lists are read.
	changed map[string]map[int]bool
	// bound is an AniList time that every edit made after the check is
	// newer than.
	bound int64
	// raise holds the new cursor of each user found unchanged.
	raise    map[string]int64
	requests int
}

// detect asks AniList for the newest list rows of a chunk of users, paging
// on while some undecided user's cursor is older than the rows, and at most
// MaxPages pages. A row newer than its user's cursor that the stored state
// has not synced marks the user as changed.
func (s *Service) detect(ctx context.Context, chunk []candidate) (found, error) {
	f := found{changed: make(map[string]map[int]bool), raise: make(map[string]int64)}
	byID := make(map[int][]*candidate)
	var ids []int
	for i := range chunk {
		c := &chunk[i]
		if _, ok := byID[c.anilistID]; !ok {
			ids = append(ids, c.anilistID)
		}
		byID[c.anilistID] = append(byID[c.anilistID], c)
	}
	before := s.seen.Load()
	var top, last int64
	more := false
	for page := 1; page <= s.cfg.MaxPages; page++ {
		p, err := s.recentPage(ctx, ids, page, &f.requests)
		if err != nil {
			return found{requests: f.requests}, err
		}
		if page == 1 && len(p.Updates) > 0 {
			top = p.Updates[0].UpdatedAt
		}
		if err := s.flag(p.Updates, byID, f.changed); err != nil {
			return found{requests: f.requests}, err
		}
		more = p.HasNextPage && len(p.Updates) > 0
		if !more {
			break
		}
		last = p.Updates[len(p.Updates)-1].UpdatedAt
		if last <= minUndecided(chunk, f.changed) {
			break
		}
	}
	s.saw(top)
	f.bound = max(before, top) - 1
	f.decide(chunk, more, last)
	return f, nil
}

// decide sorts the chunk's users out once paging stopped at last (more:
// older rows were left unread). A user is covered when every row newer than
// their cursor was read: covered users with edits keep their set of edits,
// covered users without get their cursor raised, and users not covered are
// changed with an unknown set.
func (f *found) decide(chunk []candidate, more bool, last int64) {
	for i := range chunk {
		c := &chunk[i]
		if c.due {
			continue
		}
		covered := !more || c.cursor >= last
		_, edited := f.changed[c.userID]
		switch {
		case !covered:
			f.changed[c.userID] = nil
		case !edited && f.bound > c.cursor:
			f.raise[c.userID] = f.bound
		}
	}
}

// recentPage reads one page of the detector's query, with retries, counting
// the requests sent.
func (s *Service) recentPage(ctx context.Context, ids []int, page int, n *int) (anilist.UpdatesPage, error) {
	var p anilist.UpdatesPage
	err := s.call(ctx, s.cfg.AniListLimiter, func(ctx context.Context) (err error) {
		*n++
		p, err = s.detector.RecentUpdates(ctx, ids, page)
		return err
	})
	return p, err
}

// flag adds to changed the rows newer than their user's cursor that the
// user's stored state has not synced yet.
func (s *Service) flag(rows []anilist.ListUpdate, byID map[int][]*candidate, changed map[string]map[int]bool) error {
	return s.db.View(func(tx *store.Tx) error {
		for _, row := range rows {
			for _, c := range byID[row.UserID] {
				if c.due || row.UpdatedAt <= c.cursor {
					continue
				}
				var e syncer.Synced
				ok, err := tx.Get(store.BucketSync, stateKey(c.userID, row.MediaID), &e)
				if err != nil {
					return err
				}
				if ok && e.UpdatedAt >= row.UpdatedAt {
					continue // synced already, by the run that set the cursor
				}
				if changed[c.userID] == nil {
					changed[c.userID] = make(map[int]bool)
				}
				changed[c.userID][row.MediaID] = true
			}
		}
		return nil
	})
}

// minUndecided is the oldest cursor among the users who are neither due
// nor found changed: paging further can only tell about them.
func minUndecided(chunk []candidate, changed map[string]map[int]bool) int64 {
	m := int64(math.MaxInt64)
	for i := range chunk {
		c := &chunk[i]
		if _, edited := changed[c.userID]; !c.due && !edited {
			m = min(m, c.cursor)
		}
	}
	return m
}

// raiseCursors stores the cursors of users found unchanged; a cursor only
// ever rises, whatever a sync running meanwhile stored.
func (s *Service) raiseCursors(raise map[string]int64) error {
	if len(raise) == 0 {
		return nil
	}
	return s.db.Update(func(tx *store.Tx) error {
		for userID, cursor := range raise {
			r, err := getRecord(tx, userID)
			if err != nil {
				return err
			}
			if cursor <= r.Cursor {
				continue
			}
			r.Cursor = cursor
			if err := tx.Put(store.BucketSync, recordKey(userID), r); err != nil {
				return err
			}
		}
		return nil
	})
}

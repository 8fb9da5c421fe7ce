package listsync

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
)

// Cycle checks every user with auto-sync on now, and syncs those with edits
// on AniList, a retry pending, or a reconcile due. It is what
// `dubbot refresh sync` runs; the scheduler runs Tick instead, which spreads
// the same work over the interval.
func (s *Service) Cycle(ctx context.Context) (string, error) {
	return s.check(ctx, func(string) bool { return true })
}

// Tick checks the users whose turn came up since the previous tick (on the
// first tick, the current turn's). Run every TickEvery, it checks every user
// once per Interval.
func (s *Service) Tick(ctx context.Context) (string, error) {
	slots := s.dueSlots(s.now())
	return s.check(ctx, func(userID string) bool { return slots[s.slot(userID)] })
}

// check is one pass over the picked users with auto-sync on.
func (s *Service) check(ctx context.Context, pick func(userID string) bool) (string, error) {
	users, err := s.users()
	if err != nil {
		return "", err
	}
	s.initSeenFrom(users)
	var sum summary
	var cands []candidate
	for userID, r := range users {
		if r.Auto && pick(userID) {
			if c, ok := s.candidate(ctx, userID, r, &sum); ok {
				cands = append(cands, c)
			}
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.anilistID, b.anilistID), cmp.Compare(a.userID, b.userID))
	})
	sum.checked = len(cands)
	jobs, err := s.detectAll(ctx, cands, &sum)
	s.runJobs(ctx, jobs, &sum)
	return sum.String(), err
}

// candidate decides whether a user takes part in this pass, and whether
// they are due a sync whatever the detector finds.
func (s *Service) candidate(ctx context.Context, userID string, r record, sum *summary) (candidate, bool) {
	malOK, aniOK, err := s.accounts.Linked(userID)
	anilistID, ok, idErr := s.accounts.AniListUser(userID)
	if err != nil || idErr != nil || !malOK || !aniOK || !ok {
		sum.unlinked++
		if err == nil && idErr == nil && !r.NeedFull {
			// When MAL is linked again it may be another account.
			if _, err := s.update(userID, func(r *record) { r.NeedFull = true }); err != nil {
				s.log.Error("mark sync for a full comparison", slog.String("user_id", userID), slog.Any("error", err))
			}
		}
		return candidate{}, false
	}
	if r.Paused {
		if _, err := s.accounts.MALClient(ctx, userID); err != nil {
			sum.paused++
			return candidate{}, false
		}
	}
	due := r.Paused || !r.Synced || r.Retry || r.Wake || r.NeedFull || r.AniListID != anilistID ||
		s.reconcileDue(userID, r.LastFull, s.now())
	return candidate{userID: userID, anilistID: anilistID, cursor: r.Cursor, due: due}, true
}

// detectAll runs the change detector over the candidates, ChunkSize users
// a request, and returns the syncs to run. A chunk the detector could not
// ask about still has its due users synced.
func (s *Service) detectAll(ctx context.Context, cands []candidate, sum *summary) (map[string]job, error) {
	jobs := make(map[string]job)
	var errs []error
	for chunk := range slices.Chunk(cands, s.cfg.ChunkSize) {
		f, err := s.detect(ctx, chunk)
		sum.detectRequests += f.requests
		if err == nil {
			err = s.raiseCursors(f.raise)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("check %d users for AniList edits: %w", len(chunk), err))
		}
		for _, c := range chunk {
			if c.due {
				jobs[c.userID] = job{trigger: TriggerAuto}
				sum.due++
			} else if edited, ok := f.changed[c.userID]; ok && err == nil {
				jobs[c.userID] = job{trigger: TriggerAuto, edited: edited, bound: f.bound}
				sum.edited++
			}
		}
	}
	return jobs, errors.Join(errs...)
}

// runJobs syncs the users, Workers at a time. A user whose sync is running
// already (a /sync now) is left to it.
func (s *Service) runJobs(ctx context.Context, jobs map[string]job, sum *summary) {
	ids := make([]string, 0, len(jobs))
	for id := range jobs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	next := make(chan string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(s.cfg.Workers, len(ids)) {
		wg.Go(func() {
			for id := range next {
				run, ran, err := s.syncIfFree(ctx, id, jobs[id])
				mu.Lock()
				sum.add(run, ran, err)
				mu.Unlock()
			}
		})
	}
feed:
	for _, id := range ids {
		select {
		case next <- id:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
}

// syncIfFree syncs a user unless their sync is running already.
func (s *Service) syncIfFree(ctx context.Context, userID string, j job) (Run, bool, error) {
	unlock, ok := s.tryLock(userID)
	if !ok {
		return Run{}, false, nil
	}
	defer unlock()
	run, err := s.syncLocked(ctx, userID, j)
	if err != nil {
		s.log.Warn("scheduled sync failed", slog.String("user_id", userID), slog.Any("error", err))
	}
	return run, true, err
}

// summary is what one pass did, for the job's one-line summary.
type summary struct {
	checked, unlinked, paused        int
	detectRequests                   int
	due, edited                      int
	synced, busy, failed             int
	written, deleted, skipped, unmet int
	anilist, mal                     int
}

func (s *summary) add(run Run, ran bool, err error) {
	if !ran {
		s.busy++
		return
	}
	s.synced++
	if err != nil {
		s.failed++
	}
	s.written += run.Counts.Updated
	s.deleted += run.Counts.Deleted
	s.skipped += run.Counts.Skipped
	s.unmet += run.Counts.Failed
	s.anilist += run.Counts.AniList
	s.mal += run.Counts.MAL
}

func (s *summary) String() string {
	return fmt.Sprintf("checked %d users with %d AniList requests (%d not linked, %d paused); "+
		"%d had edits, %d were due; synced %d (%d failed, %d busy): %d entries written, %d deleted, %d failed, %d skipped; "+
		"syncs sent %d AniList and %d MAL requests",
		s.checked, s.detectRequests, s.unlinked, s.paused, s.edited, s.due,
		s.synced, s.failed, s.busy, s.written, s.deleted, s.unmet, s.skipped, s.anilist, s.mal)
}

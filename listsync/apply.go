package listsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"dubbot/store"
	"dubbot/syncer"
	"dubbot/upstream/mal"
)

// outcome is how applying a plan went.
type outcome struct {
	unauthorized bool // MAL refused the token: the rest was not tried
	retry        bool // some writes were put back, to be tried at the next turn
	notTried     int  // writes left out after a 401 or with the run out of time
}

// apply writes the plan to MAL, one entry at a time, recording each entry
// as synced as soon as its write succeeded. Writes that fail for a while are
// put back (Plan.Failed) for the next run; writes MAL refuses for good are
// logged and not tried again until the entry changes; after a 401 nothing
// more is tried.
func (s *Service) apply(ctx context.Context, c *clients, userID string, plan *syncer.Plan, run *Run) outcome {
	var out outcome
	for _, u := range plan.Updates {
		ch := Change{Media: u.Media, MALID: u.MALID, Title: u.Title, Added: u.New, Fields: u.Changes}
		err := s.write(ctx, &out, func(ctx context.Context) error {
			_, err := c.mal.UpdateEntry(ctx, u.Media, u.MALID, u.Write)
			return err
		})
		s.settle(userID, plan, run, &out, u.MediaID, ch, err)
	}
	for _, d := range plan.Deletes {
		ch := Change{Media: d.Media, MALID: d.MALID, Title: d.Title, Deleted: true}
		err := s.write(ctx, &out, func(ctx context.Context) error {
			err := c.mal.DeleteEntry(ctx, d.Media, d.MALID)
			if errors.Is(err, mal.ErrNotFound) {
				return nil // gone already: what we wanted
			}
			return err
		})
		s.settle(userID, plan, run, &out, d.MediaID, ch, err)
	}
	if out.notTried > 0 {
		run.Errors = append(run.Errors, fmt.Sprintf("%d entries were not written this time; the next sync goes on with them", out.notTried))
	}
	return out
}

// errNotTried marks writes left out after MAL refused the token or the run
// ran out of time.
var errNotTried = errors.New("not tried")

// write sends one write with retries, unless the run cannot go on.
func (s *Service) write(ctx context.Context, out *outcome, fn func(context.Context) error) error {
	if out.unauthorized || ctx.Err() != nil {
		return errNotTried
	}
	return s.call(ctx, s.cfg.MALLimiter, fn)
}

// settle records the result of one write: in the store at once when it
// succeeded, in the plan and the log either way.
func (s *Service) settle(userID string, plan *syncer.Plan, run *Run, out *outcome, mediaID int, ch Change, err error) {
	switch {
	case err == nil:
		next, kept := plan.Next[mediaID]
		if perr := s.putEntry(userID, mediaID, next, kept); perr != nil {
			s.log.Error("record synced entry", slog.String("user_id", userID), slog.Any("error", perr))
		}
		if ch.Deleted {
			run.Counts.Deleted++
		} else {
			run.Counts.Updated++
		}
		run.addChange(ch)
		return
	case errors.Is(err, errNotTried):
		plan.Failed(mediaID)
		out.retry = true
		out.notTried++
		return
	case isUnauthorized(err):
		out.unauthorized = true
		plan.Failed(mediaID)
	case !refused(err):
		// Throttled, down, unreachable, or an error of unknown kind: put
		// back, rather than lose the change.
		plan.Failed(mediaID)
		out.retry = true
	}
	// MAL refusing the write itself (400, 404) keeps the entry as synced:
	// the same write would fail the same way every turn.
	run.Counts.Failed++
	ch.Error = describe(err)
	run.addChange(ch)
	s.log.Warn("sync write failed", slog.String("user_id", userID), slog.String("media", string(ch.Media)),
		slog.Int("mal_id", ch.MALID), slog.Any("error", err))
}

// refused reports MAL turning a write down for good: a 4xx answer other
// than the token's refusal and throttling.
func refused(err error) bool {
	e, ok := errors.AsType[*mal.HTTPError](err)
	return ok && e.Status >= 400 && e.Status < 500 && !e.Retryable() && !e.Is(mal.ErrUnauthorized)
}

// isUnauthorized reports MAL refusing the user's token.
func isUnauthorized(err error) bool {
	return errors.Is(err, mal.ErrUnauthorized) || errors.Is(err, ErrReauthorize)
}

// finish stores the outcome of a run in one transaction: the entries'
// state, the cursor, the status and the log. After a 401 it pauses the user
// and tells Accounts, once.
func (s *Service) finish(ctx context.Context, userID string, anilistID int, last syncer.State, plan *syncer.Plan, run *Run, out outcome, cursor int64) error {
	var wasPaused bool
	err := s.db.Batch(func(tx *store.Tx) error {
		r, err := getRecord(tx, userID)
		if err != nil {
			return err
		}
		wasPaused = r.Paused
		if err := putState(tx, userID, last, plan.Next); err != nil {
			return err
		}
		s.settleRecord(&r, anilistID, run, out, cursor)
		if err := tx.Put(store.BucketSync, recordKey(userID), r); err != nil {
			return err
		}
		if run.Trigger == TriggerAuto && run.Empty() {
			return nil // a check that found nothing to do is not worth a log line
		}
		return appendRun(tx, userID, run, s.cfg.LogRuns)
	})
	if err != nil {
		return fmt.Errorf("save sync of user %s: %w", userID, err)
	}
	if out.unauthorized {
		if !wasPaused {
			s.tellUnauthorized(ctx, userID)
		}
		return fmt.Errorf("sync of user %s: %w", userID, ErrReauthorize)
	}
	return nil
}

// settleRecord updates the user's record after a run that read the lists.
func (s *Service) settleRecord(r *record, anilistID int, run *Run, out outcome, cursor int64) {
	r.AniListID, r.Synced = anilistID, true
	r.Cursor = max(r.Cursor, cursor)
	r.LastRun, r.LastError = run.At, ""
	if len(run.Errors) > 0 {
		r.LastError = run.Errors[0]
	}
	r.Retry, r.Wake = out.retry, false
	r.Paused = r.Paused || out.unauthorized
	if out.unauthorized {
		r.LastError = describe(ErrReauthorize)
	}
	if run.Full {
		// Every entry was compared; writes that failed are retried as
		// changes, and after a 401 linking again asks for another.
		r.LastFull, r.NeedFull = run.At, false
	}
	if run.Counts.Failed > 0 && r.LastError == "" {
		r.LastError = fmt.Sprintf("%d of the entries could not be written; see /sync log", run.Counts.Failed)
	}
}

// tellUnauthorized hands a MAL 401 to Accounts (which marks the link and
// DMs the user), even if the run's own context has ended.
func (s *Service) tellUnauthorized(ctx context.Context, userID string) {
	if err := s.accounts.MALUnauthorized(context.WithoutCancel(ctx), userID); err != nil {
		s.log.Error("report MAL authorization lapse", slog.String("user_id", userID), slog.Any("error", err))
	}
}

package listsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"

	"dubbot/store"
	"dubbot/syncer"
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// job is what starts one user's sync and what the change detector learned.
type job struct {
	trigger Trigger
	// edited are the AniList media ids the detector saw edited; nil means
	// unknown, and both lists are read.
	edited map[int]bool
	// bound is, when edited is known, an AniList time that edits made after
	// the detector looked are newer than: the cursor of a list not read.
	bound int64
}

// mediaTypes pairs each AniList media type with MAL's.
var mediaTypes = []struct {
	anilist anilist.MediaType
	mal     mal.Media
}{
	{anilist.Anime, mal.Anime},
	{anilist.Manga, mal.Manga},
}

// Sync syncs the user's AniList to MAL now, or with preview works out what
// a sync would write and writes nothing. It waits for a sync of the same user
// already running. The Run says what was done; the error is set when the run
// could not finish (ErrNotLinked, ErrReauthorize, an upstream failure), and
// the Run then holds what was done before.
func (s *Service) Sync(ctx context.Context, userID string, preview bool) (Run, error) {
	unlock, err := s.lock(ctx, userID)
	if err != nil {
		return Run{}, err
	}
	defer unlock()
	s.initSeen()
	j := job{trigger: TriggerManual}
	if preview {
		j.trigger = TriggerPreview
	}
	return s.syncLocked(ctx, userID, j)
}

// syncLocked is one sync, with the user's lock held.
func (s *Service) syncLocked(ctx context.Context, userID string, j job) (Run, error) {
	preview := j.trigger == TriggerPreview
	anilistID, rec, err := s.prepare(userID, preview)
	if err != nil {
		return Run{}, err
	}
	c, err := s.clientsFor(ctx, userID)
	if err != nil {
		return Run{}, s.clientFailed(userID, err)
	}
	if rec.Paused && !preview {
		// MAL takes the user's token again: they linked anew, perhaps
		// another account, so compare everything.
		if rec, err = s.update(userID, func(r *record) { r.Paused, r.NeedFull = false, true }); err != nil {
			return Run{}, err
		}
	}
	state, first, all, err := s.scope(userID, anilistID, rec)
	if err != nil {
		return Run{}, err
	}
	if first || all {
		j.edited = nil
	}
	run := Run{At: s.now().UTC(), Trigger: j.trigger, Full: first || all}
	lists, cursor, err := s.readLists(ctx, c, anilistID, state, rec, j, all)
	run.Counts.AniList, run.Counts.MAL = int(c.aniN.Load()), int(c.malN.Load())
	if err != nil {
		run.Errors = append(run.Errors, describe(err))
		return run, s.readFailed(ctx, userID, rec, &run, err)
	}
	plan := syncer.Diff(syncer.Input{Lists: lists, Last: state, Options: syncer.Options{MirrorDeletes: rec.MirrorDeletes, All: all}})
	run.addSkips(plan.Skipped)
	if preview {
		previewRun(&run, plan)
		return run, nil
	}
	out := s.apply(ctx, c, userID, plan, &run)
	run.Counts.AniList, run.Counts.MAL = int(c.aniN.Load()), int(c.malN.Load())
	return run, s.finish(ctx, userID, anilistID, state, plan, &run, out, cursor)
}

// scope loads what the last syncs saw and decides how much to compare. A
// first sync compares every entry because the state has none (and a first
// sync cut short goes on after the entries it wrote); all makes the engine
// compare the entries the state has too, for a reconcile.
func (s *Service) scope(userID string, anilistID int, rec record) (state syncer.State, first, all bool, err error) {
	if state, err = s.loadState(userID); err != nil {
		return nil, false, false, err
	}
	if rec.AniListID != 0 && rec.AniListID != anilistID {
		state, rec.Synced = syncer.State{}, false // another AniList account (a preview still has the old state)
	}
	first = !rec.Synced
	all = !first && (rec.NeedFull || s.reconcileDue(userID, rec.LastFull, s.now()))
	return state, first, all, nil
}

// prepare checks the links and returns the user's AniList id and record. A
// user who linked another AniList account starts over (not in a preview,
// which changes nothing).
func (s *Service) prepare(userID string, preview bool) (int, record, error) {
	if err := s.requireLinks(userID); err != nil {
		return 0, record{}, err
	}
	anilistID, ok, err := s.accounts.AniListUser(userID)
	if err != nil {
		return 0, record{}, fmt.Errorf("AniList account of user %s: %w", userID, err)
	}
	if !ok {
		return 0, record{}, fmt.Errorf("AniList account of user %s: %w", userID, ErrNotLinked)
	}
	rec, err := s.record(userID)
	if err != nil || preview || rec.AniListID == anilistID || rec.AniListID == 0 {
		return anilistID, rec, err
	}
	err = s.db.Update(func(tx *store.Tx) error {
		if err := dropState(tx, userID); err != nil {
			return err
		}
		rec.Synced, rec.Cursor, rec.NeedFull = false, 0, true
		return tx.Put(store.BucketSync, recordKey(userID), rec)
	})
	if err != nil {
		return 0, record{}, fmt.Errorf("start over for the new AniList account of user %s: %w", userID, err)
	}
	return anilistID, rec, nil
}

// clientFailed handles a user whose clients could not be made: a MAL link
// that awaits re-authorization pauses the sync (the link service told the
// user already).
func (s *Service) clientFailed(userID string, err error) error {
	if errors.Is(err, ErrReauthorize) {
		if _, uerr := s.update(userID, func(r *record) { r.Paused = true }); uerr != nil {
			return errors.Join(err, uerr)
		}
	}
	return err
}

// readLists reads the AniList lists the job needs (both unless the detector
// saw edits of known entries of one media type only) and, for each, MAL's
// list when something there has to be compared or deleted. It also returns
// the cursor to store after a successful run: a time that every later edit
// of the user's is newer than.
func (s *Service) readLists(ctx context.Context, c *clients, anilistID int, state syncer.State, rec record, j job, all bool) ([]syncer.List, int64, error) {
	read := typesToRead(state, j.edited)
	var lists []syncer.List
	cursor := int64(math.MaxInt64)
	for _, t := range mediaTypes {
		if !read[t.mal] {
			cursor = min(cursor, j.bound)
			continue
		}
		before := s.seen.Load()
		entries, err := s.readAniList(ctx, c, anilistID, t.anilist)
		if err != nil {
			return nil, 0, err
		}
		wm := newest(entries)
		s.saw(wm)
		cursor = min(cursor, max(before, wm)-1)
		l := syncer.List{Media: t.mal, AniList: entries}
		if needsMAL(l, state, rec.MirrorDeletes, all) {
			if l.MAL, err = s.readMAL(ctx, c, t.mal); err != nil {
				return nil, 0, err
			}
		}
		lists = append(lists, l)
	}
	return lists, max(cursor, rec.Cursor), nil
}

// typesToRead is which lists to read: both, unless every edited entry is
// one the state knows, and so of a known media type.
func typesToRead(state syncer.State, edited map[int]bool) map[mal.Media]bool {
	both := map[mal.Media]bool{mal.Anime: true, mal.Manga: true}
	if edited == nil {
		return both
	}
	read := make(map[mal.Media]bool)
	for id := range edited {
		e, ok := state[id]
		if !ok {
			return both
		}
		read[e.Media] = true
	}
	return read
}

func newest(entries []anilist.Entry) int64 {
	var t int64
	for i := range entries {
		t = max(t, entries[i].UpdatedAt)
	}
	return t
}

// needsMAL reports whether diffing l needs MAL's list: when an entry is to
// be compared (which the engine says by planning a write against an empty
// MAL list; with all, every entry that can be synced is), or when an entry
// synced before is gone and deletions are mirrored. An empty AniList list
// (most users' manga) needs no MAL read.
func needsMAL(l syncer.List, state syncer.State, mirrorDeletes, all bool) bool {
	p := syncer.Diff(syncer.Input{Lists: []syncer.List{l}, Last: state, Options: syncer.Options{All: all}})
	if len(p.Updates) > 0 {
		return true
	}
	if !mirrorDeletes {
		return false
	}
	onAniList := make(map[int]bool, len(l.AniList))
	for i := range l.AniList {
		onAniList[l.AniList[i].MediaID] = true
	}
	for id, e := range state {
		if e.Media == l.Media && e.MALID != 0 && !onAniList[id] {
			return true
		}
	}
	return false
}

// readAniList reads one of the user's AniList lists, falling back to the
// public list when AniList refuses the user's token.
func (s *Service) readAniList(ctx context.Context, c *clients, anilistID int, t anilist.MediaType) ([]anilist.Entry, error) {
	var entries []anilist.Entry
	read := func(ctx context.Context) (err error) {
		entries, err = c.anilist.List(ctx, anilistID, t)
		return err
	}
	err := s.call(ctx, s.cfg.AniListLimiter, read)
	if errors.Is(err, anilist.ErrUnauthorized) {
		c.publicAniList(s)
		err = s.call(ctx, s.cfg.AniListLimiter, read)
	}
	return entries, err
}

// readMAL reads the user's whole MAL list of one media type.
func (s *Service) readMAL(ctx context.Context, c *clients, m mal.Media) ([]mal.ListEntry, error) {
	var entries []mal.ListEntry
	err := s.call(ctx, s.cfg.MALLimiter, func(ctx context.Context) (err error) {
		entries, err = c.mal.List(ctx, m)
		return err
	})
	return entries, err
}

// readFailed records a run that could not read the lists. A MAL 401 pauses
// the user; anything else leaves the cursor, so the next turn tries again.
func (s *Service) readFailed(ctx context.Context, userID string, rec record, run *Run, err error) error {
	if run.Trigger == TriggerPreview {
		return err
	}
	unauthorized := isUnauthorized(err)
	saveErr := s.db.Update(func(tx *store.Tx) error {
		r, gerr := getRecord(tx, userID)
		if gerr != nil {
			return gerr
		}
		r.LastRun, r.LastError = run.At, run.Errors[0]
		r.Paused = r.Paused || unauthorized
		if perr := tx.Put(store.BucketSync, recordKey(userID), r); perr != nil {
			return perr
		}
		return appendRun(tx, userID, run, s.cfg.LogRuns)
	})
	if unauthorized && !rec.Paused {
		s.tellUnauthorized(ctx, userID)
		err = fmt.Errorf("%w: %w", ErrReauthorize, err)
	}
	s.log.Warn("sync could not read lists", slog.String("user_id", userID), slog.Any("error", err))
	return errors.Join(err, saveErr)
}

// previewRun fills a preview's changes from the plan.
func previewRun(run *Run, plan *syncer.Plan) {
	for _, u := range plan.Updates {
		run.Counts.Updated++
		run.addChange(Change{Media: u.Media, MALID: u.MALID, Title: u.Title, Added: u.New, Fields: u.Changes})
	}
	for _, d := range plan.Deletes {
		run.Counts.Deleted++
		run.addChange(Change{Media: d.Media, MALID: d.MALID, Title: d.Title, Deleted: true})
	}
}

package dubs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"dubbot/catalog"
	"dubbot/queue"
	"dubbot/store"
	"dubbot/upstream/animeschedule"
	"dubbot/upstream/dubinfo"
	"dubbot/upstream/forum"
)

// maxShrink is the share of known ids that may vanish from the dub list in
// one refresh before the new copy is distrusted.
const maxShrink = 0.2

// ListSummary says what a dub-list refresh found.
type ListSummary struct {
	NotModified            bool
	Dubbed, Partial        int
	NewlyDubbed, Completed int
	Removed                int
	Events                 int
}

func (s ListSummary) String() string {
	if s.NotModified {
		return fmt.Sprintf("dub list unchanged (%d dubbed, %d partial)", s.Dubbed, s.Partial)
	}
	return fmt.Sprintf("dub list: %d dubbed, %d partial; %d newly dubbed, %d completed, %d removed; %s recorded",
		s.Dubbed, s.Partial, s.NewlyDubbed, s.Completed, s.Removed, count(s.Events, "event"))
}

// RefreshList fetches dubInfo.json (conditionally) and stores it when it is
// sound. A broken or suspiciously shrunken copy is refused with an error and
// the last good list stays in use.
func (s *Service) RefreshList(ctx context.Context) (ListSummary, error) {
	var prevV dubinfo.Validators
	if err := s.db.View(func(tx *store.Tx) error {
		_, err := tx.Get(store.BucketDubs, keyValidators, &prevV)
		return err
	}); err != nil {
		return ListSummary{}, err
	}
	prev := s.state.Load().list
	if prev.Len() == 0 {
		prevV = dubinfo.Validators{} // nothing stored: fetch the whole body
	}
	body, v, notModified, err := dubinfo.NewFetcher(s.cfg.HTTP).Fetch(ctx, s.cfg.DubInfoURL, prevV)
	if err != nil {
		s.cfg.Problems("dubinfo", "fetch", 1)
		return ListSummary{}, err
	}
	now := s.cfg.Now().UTC()
	if notModified {
		return ListSummary{NotModified: true, Dubbed: prev.DubbedCount(), Partial: prev.IncompleteCount()}, s.markChecked(now)
	}
	next, err := dubinfo.Parse(body)
	if err != nil {
		s.cfg.Problems("dubinfo", "malformed", 1)
		s.log.Warn("dub list refused; keeping the last good copy", slog.String("url", s.cfg.DubInfoURL), slog.Any("error", err))
		return ListSummary{}, fmt.Errorf("dub list from %s refused, keeping the last good copy: %w", s.cfg.DubInfoURL, err)
	}
	if prev.Len() > 0 {
		if err := dubinfo.CheckShrink(prev, next, maxShrink); err != nil {
			s.cfg.Problems("dubinfo", "shrink", 1)
			s.log.Warn("dub list refused; keeping the last good copy", slog.String("url", s.cfg.DubInfoURL), slog.Any("error", err))
			return ListSummary{}, fmt.Errorf("dub list from %s refused, keeping the last good copy: %w", s.cfg.DubInfoURL, err)
		}
	}
	sum := ListSummary{Dubbed: next.DubbedCount(), Partial: next.IncompleteCount()}
	batch := "dubs/" + strconv.FormatInt(now.Unix(), 10)
	err = s.db.Update(func(tx *store.Tx) error {
		sum.Events = 0
		if prev.Len() > 0 { // the first load is no news
			for _, c := range dubinfo.Diff(prev, next) {
				if err := s.recordChange(tx, c, now, batch, &sum); err != nil {
					return err
				}
			}
		}
		if err := tx.Put(store.BucketDubs, keyList, next); err != nil {
			return err
		}
		if err := tx.Put(store.BucketDubs, keyValidators, v); err != nil {
			return err
		}
		return tx.Put(store.BucketDubs, keyListMeta, listMeta{Fetched: now, Checked: now})
	})
	if err != nil {
		return ListSummary{}, fmt.Errorf("store dub list: %w", err)
	}
	s.swap(func(snap *snapshot) { snap.list, snap.listAt = next, now })
	return sum, nil
}

func (s *Service) recordChange(tx *store.Tx, c dubinfo.Change, now time.Time, batch string, sum *ListSummary) error {
	var kind EventKind
	switch c.Kind {
	case dubinfo.NewlyDubbed:
		kind = NewlyDubbed
		sum.NewlyDubbed++
	case dubinfo.DubCompleted:
		kind = DubCompleted
		sum.Completed++
	case dubinfo.Removed:
		sum.Removed++
		return nil
	default:
		return nil
	}
	ev := Event{ID: fmt.Sprintf("%s/%d", kind, c.ID), Kind: kind, MALID: c.ID, Found: now, Batch: batch}
	if a, ok := s.title(c.ID); ok {
		ev.Title = a
	}
	added, err := recordEvent(tx, ev)
	if added {
		sum.Events++
	}
	return err
}

func (s *Service) title(id int) (string, bool) {
	if s.cfg.Catalog == nil {
		return "", false
	}
	a, ok := s.cfg.Catalog.Get(id)
	return a.DisplayTitle(), ok
}

func (s *Service) markChecked(now time.Time) error {
	err := s.db.Update(func(tx *store.Tx) error {
		var meta listMeta
		if _, err := tx.Get(store.BucketDubs, keyListMeta, &meta); err != nil {
			return err
		}
		meta.Checked = now
		return tx.Put(store.BucketDubs, keyListMeta, meta)
	})
	if err == nil {
		s.swap(func(snap *snapshot) { snap.listAt = now })
	}
	return err
}

// swap replaces the in-memory snapshot with a changed copy.
func (s *Service) swap(change func(*snapshot)) {
	for {
		old := s.state.Load()
		next := *old
		change(&next)
		if s.state.CompareAndSwap(old, &next) {
			return
		}
	}
}

// AiringSummary says what an airing-list refresh found.
type AiringSummary struct {
	Shows, Upcoming int
	Skipped         int
	NewEpisodes     int
	Announced       int
	QueuedDetails   int
	ExactTimes      int
	LastUpdated     time.Time
}

func (s AiringSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "airing list: %s, %d upcoming; %s, %s; %s unreadable; %d details queued",
		count(s.Shows, "show"), s.Upcoming, count(s.NewEpisodes, "new dub episode"), count(s.Announced, "new upcoming dub"),
		count(s.Skipped, "line"), s.QueuedDetails)
	if s.ExactTimes > 0 {
		fmt.Fprintf(&b, "; %d exact release times", s.ExactTimes)
	}
	if !s.LastUpdated.IsZero() {
		fmt.Fprintf(&b, " (page last updated %s)", s.LastUpdated.Format("2 Jan 2006"))
	}
	return b.String()
}

// RefreshAiring scrapes the forum list of currently streaming dubs. Lines
// it cannot read are counted, never fatal; a page that yields no show keeps
// the last good list. A rising episode counter records one event per new
// episode, and shows without cached details are queued for a fetch.
func (s *Service) RefreshAiring(ctx context.Context) (AiringSummary, error) {
	page, err := forum.Fetch(ctx, s.cfg.HTTP, s.cfg.AiringURL)
	if err != nil {
		kind := "fetch"
		if errors.Is(err, forum.ErrNoShows) {
			kind = "empty"
		}
		s.cfg.Problems("forum", kind, 1)
		return AiringSummary{}, fmt.Errorf("airing list refused, keeping the last good copy: %w", err)
	}
	if len(page.Skipped) > 0 {
		s.cfg.Problems("forum", "unreadable_line", len(page.Skipped))
		for _, sk := range page.Skipped {
			s.log.Info("forum line skipped", slog.String("section", sk.Section), slog.String("text", sk.Text), slog.String("reason", sk.Reason))
		}
	}
	prev, _ := s.Schedule()
	now := s.cfg.Now().UTC()
	next := s.nextEpisodes(ctx, now)
	if next == nil {
		next = s.state.Load().next // keep the last good times
	}
	sum := AiringSummary{Shows: len(page.Shows), Upcoming: len(page.Lists), Skipped: len(page.Skipped), LastUpdated: page.LastUpdated, ExactTimes: len(next)}
	batch := "airing/" + strconv.FormatInt(now.Unix(), 10)
	err = s.db.Update(func(tx *store.Tx) error {
		sum.NewEpisodes, sum.Announced, sum.QueuedDetails = 0, 0, 0
		if err := s.recordRises(tx, prev, page, now, batch, &sum); err != nil {
			return err
		}
		if err := s.recordAnnouncements(tx, prev, page, now, batch, &sum); err != nil {
			return err
		}
		if err := s.queueMissing(tx, page, now, &sum); err != nil {
			return err
		}
		return tx.Put(store.BucketAiring, keySchedule, scheduleRecord{Schedule: page, Fetched: now, Next: next})
	})
	if err != nil {
		return AiringSummary{}, fmt.Errorf("store airing list: %w", err)
	}
	s.swap(func(snap *snapshot) {
		snap.setSchedule(page, now)
		snap.next = next
	})
	if sum.QueuedDetails > 0 && s.cfg.Notify != nil {
		s.cfg.Notify()
	}
	return sum, nil
}

// nextEpisodes asks the timetable for exact release times. It is an extra:
// a failure is logged and the weekday schedule still stands.
func (s *Service) nextEpisodes(ctx context.Context, now time.Time) map[int]animeschedule.NextEpisode {
	if s.cfg.Timetable == nil {
		return nil
	}
	next, err := s.cfg.Timetable.Next(ctx, now)
	if err != nil {
		s.cfg.Problems("animeschedule", "fetch", 1)
		s.log.Warn("exact dub times unavailable", slog.Any("error", err))
		return nil
	}
	return next
}

func (s *Service) recordRises(tx *store.Tx, prev, next *forum.Schedule, now time.Time, batch string, sum *AiringSummary) error {
	totals := map[int]int{}
	for _, show := range next.Shows {
		totals[show.MALID] = show.Total
	}
	for _, r := range forum.EpisodeRises(prev, next) {
		for ep := r.From + 1; ep <= r.To; ep++ {
			added, err := recordEvent(tx, Event{
				ID: episodeEventID(r.MALID, ep), Kind: EpisodeAired, MALID: r.MALID, Title: r.Title,
				Episode: ep, Total: totals[r.MALID], Found: now, Batch: batch,
			})
			if err != nil {
				return err
			}
			if added {
				sum.NewEpisodes++
			}
		}
	}
	return nil
}

// recordAnnouncements records upcoming dubs that were not on the previous
// read; the first read is no news.
func (s *Service) recordAnnouncements(tx *store.Tx, prev, next *forum.Schedule, now time.Time, batch string, sum *AiringSummary) error {
	if prev == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, it := range prev.Lists {
		seen[itemKey(it)] = true
	}
	for _, it := range next.Lists {
		if seen[itemKey(it)] || !strings.Contains(strings.ToLower(it.Section), "upcoming") {
			continue
		}
		added, err := recordEvent(tx, Event{
			ID: string(DubAnnounced) + "/" + itemKey(it), Kind: DubAnnounced, MALID: it.MALID,
			Title: it.Title, Date: it.Date, Section: it.Section, Found: now, Batch: batch,
		})
		if err != nil {
			return err
		}
		if added {
			sum.Announced++
		}
	}
	return nil
}

func itemKey(it forum.Item) string {
	if it.MALID > 0 {
		return strconv.Itoa(it.MALID)
	}
	return strings.ToLower(strings.TrimSpace(it.Title))
}

func (s *Service) queueMissing(tx *store.Tx, next *forum.Schedule, now time.Time, sum *AiringSummary) error {
	if s.cfg.Catalog == nil {
		return nil
	}
	var ids []int
	for _, show := range next.Shows {
		ids = append(ids, show.MALID)
	}
	for _, it := range next.Lists {
		if it.MALID > 0 {
			ids = append(ids, it.MALID)
		}
	}
	for _, id := range s.cfg.Catalog.Missing(ids) {
		added, err := queue.EnqueueTx(tx, catalog.DetailsRequest(id, queue.High), now)
		if err != nil {
			return err
		}
		if added {
			sum.QueuedDetails++
		}
	}
	return nil
}

// count writes a number with its noun: "1 show", "2 shows".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

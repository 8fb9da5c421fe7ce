package announce

import (
	"time"

	"dubbot/dubs"
	"dubbot/store"
)

// planned counts what one planning pass wrote.
type planned struct {
	events, entries, digests, pruned int
}

// plan turns every event not planned yet into outbox entries and marks it
// planned, all in one transaction: after a crash either none of it
// happened or all of it did. Events older than the window go into one
// digest per target. Planned events past Retention are removed.
func (s *Service) plan(now time.Time) (planned, error) {
	var out planned
	err := s.db.Update(func(tx *store.Tx) error {
		out = planned{}
		events, err := dubs.Events(tx)
		if err != nil {
			return err
		}
		fresh, stale, err := s.sortOut(tx, events, now, &out)
		if err != nil || len(fresh)+len(stale) == 0 {
			return err
		}
		t, err := loadTargets(tx, s.cfg.DM != nil)
		if err != nil {
			return err
		}
		if err := planPosts(tx, groupPosts(fresh), t, now, &out); err != nil {
			return err
		}
		return planDigests(tx, groupPosts(stale), t, now, &out)
	})
	return out, err
}

// sortOut splits the unplanned events into fresh and stale ones, and
// deletes planned events older than Retention with their marks.
func (s *Service) sortOut(tx *store.Tx, events []dubs.Event, now time.Time, out *planned) (fresh, stale []dubs.Event, err error) {
	for _, ev := range events {
		raw, err := tx.GetRaw(store.BucketOutbox, markKey(ev.ID))
		if err != nil {
			return nil, nil, err
		}
		age := now.Sub(ev.Found)
		switch {
		case raw != nil && age > s.cfg.Retention:
			if err := tx.Delete(store.BucketEvents, ev.ID); err != nil {
				return nil, nil, err
			}
			if err := tx.Delete(store.BucketOutbox, markKey(ev.ID)); err != nil {
				return nil, nil, err
			}
			out.pruned++
		case raw != nil:
		case age > s.cfg.Window:
			stale = append(stale, ev)
		default:
			fresh = append(fresh, ev)
		}
	}
	out.events = len(fresh) + len(stale)
	return fresh, stale, nil
}

// targets are who gets posts: enabled subscriptions, and watchers when
// DMs can be sent.
type targets struct {
	subs     []Subscription
	watchers map[int][]string
}

func loadTargets(tx *store.Tx, withWatchers bool) (*targets, error) {
	subs, err := subscriptions(tx)
	if err != nil {
		return nil, err
	}
	t := &targets{subs: subs}
	if withWatchers {
		if t.watchers, err = watchersByShow(tx); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// of lists the targets that want a post.
func (t *targets) of(p Post) []string {
	var out []string
	for _, sub := range t.subs {
		if sub.Events.Wants(p.Kind) {
			out = append(out, guildTarget(sub.GuildID))
		}
	}
	if p.MALID > 0 {
		for _, user := range t.watchers[p.MALID] {
			out = append(out, userTarget(user))
		}
	}
	return out
}

func planPosts(tx *store.Tx, posts []Post, t *targets, now time.Time, out *planned) error {
	for _, p := range posts {
		for _, target := range t.of(p) {
			if err := putEntry(tx, entry{Target: target, Post: p, Created: now}); err != nil {
				return err
			}
			out.entries++
		}
		if err := markAll(tx, p.Events, p.ID, now); err != nil {
			return err
		}
	}
	return nil
}

// planDigests gives every target one post summing up the stale posts it
// wants.
func planDigests(tx *store.Tx, posts []Post, t *targets, now time.Time, out *planned) error {
	byTarget := map[string][]Post{}
	var order []string
	var events []string
	for _, p := range posts {
		events = append(events, p.Events...)
		for _, target := range t.of(p) {
			if byTarget[target] == nil {
				order = append(order, target)
			}
			byTarget[target] = append(byTarget[target], p)
		}
	}
	for _, target := range order {
		d := digest(byTarget[target])
		if err := putEntry(tx, entry{Target: target, Post: *d, Created: now}); err != nil {
			return err
		}
		out.entries++
		out.digests++
	}
	return markAll(tx, events, string(KindDigest), now)
}

func putEntry(tx *store.Tx, e entry) error {
	return tx.Put(store.BucketOutbox, e.key(), e)
}

func markAll(tx *store.Tx, eventIDs []string, postID string, now time.Time) error {
	for _, id := range eventIDs {
		if err := tx.Put(store.BucketOutbox, markKey(id), mark{Post: postID, Planned: now}); err != nil {
			return err
		}
	}
	return nil
}

// Package syncer works out what to write to a user's MyAnimeList so that it
// mirrors their AniList. It is pure: lists and the last sync's state in, a
// Plan out. Fetching the lists and applying the plan belong to the caller
// (the applier), which hands each Update's Write to mal.Client.UpdateEntry.
//
// The rules, and why:
//   - Only entries that changed on AniList since the last sync are looked at
//     (Options.All looks at every one). Edits made on MAL to entries the user
//     has not touched on AniList since are left alone, and a value MAL will
//     not store (progress beyond MAL's episode count) is not rewritten for ever.
//   - Of those, only the fields that differ from MAL's current state are written.
//   - Entries without a MAL id on AniList are skipped with the reason; a
//     MAL id is never guessed from titles.
//   - REPEATING is MAL's "completed" with is_rewatching (is_rereading) on;
//     every other status turns it off.
//   - Scores go through AniList's 0–100 scale, rounded half up to MAL's 0–10;
//     a nonzero score never becomes 0, which MAL reads as unscored. An
//     unscored AniList entry does clear the MAL score: AniList is the master.
//   - Dates are written only when AniList knows year, month and day, since MAL
//     writes take YYYY-MM-DD. A missing or partial AniList date never clears
//     or coarsens MAL's date.
//   - An entry deleted on AniList is deleted on MAL only with
//     Options.MirrorDeletes, and only if the bot synced it before.
package syncer

import (
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// Input is one user's lists at sync time.
type Input struct {
	// Lists holds one List per media type read in full this run. A media
	// type left out is not synced, and its state is carried over untouched;
	// a partial list must never be passed, or its missing entries look deleted.
	Lists []List
	// Last is the Plan.Next stored after the previous sync; nil on the first.
	Last State
	Options
}

// List is one media type's list on both sites.
type List struct {
	Media   mal.Media
	AniList []anilist.Entry
	MAL     []mal.ListEntry
}

// Options are the user's sync settings.
type Options struct {
	// MirrorDeletes deletes from MAL what the user deleted on AniList.
	MirrorDeletes bool
	// All compares every AniList entry with MAL, not only those changed
	// since Last: for a periodic reconcile or a "sync everything" command.
	All bool
}

// Diff works out the plan that brings MAL in line with AniList.
func Diff(in Input) *Plan {
	p := &Plan{Next: make(State, len(in.Last)), last: in.Last}
	synced := make(map[mal.Media]bool)
	for _, l := range in.Lists {
		synced[l.Media] = true
		p.diffList(l, in.Last, in.Options)
	}
	for id, s := range in.Last {
		if !synced[s.Media] {
			p.Next[id] = s
		}
	}
	p.sort()
	return p
}

// diffList adds one media type's updates, skips and deletes to p.
func (p *Plan) diffList(l List, last State, opt Options) {
	onMAL := make(map[int]*mal.ListEntry, len(l.MAL))
	for i := range l.MAL {
		onMAL[l.MAL[i].ID] = &l.MAL[i]
	}
	owner := owners(l.AniList)
	for i := range l.AniList {
		e := &l.AniList[i]
		p.Next[e.MediaID] = Synced{Media: l.Media, MALID: e.MALID, UpdatedAt: e.UpdatedAt}
		if !opt.All && last.unchanged(e) {
			continue
		}
		p.diffEntry(l.Media, e, owner, onMAL)
	}
	p.deletes(l, last, opt, owner, onMAL)
}

// diffEntry adds the update or skip for one AniList entry.
func (p *Plan) diffEntry(m mal.Media, e *anilist.Entry, owner map[int]*anilist.Entry, onMAL map[int]*mal.ListEntry) {
	if reason := skipReason(e, owner); reason != "" {
		p.Skipped = append(p.Skipped, Skip{Media: m, MediaID: e.MediaID, Title: e.Title(), Reason: reason})
		return
	}
	cur := onMAL[e.MALID]
	if u, ok := diff(m, e, cur); ok {
		p.Updates = append(p.Updates, u)
	}
}

// owners picks, for each MAL id, the AniList entry that sync writes to it:
// AniList sometimes maps two media to one MAL id, and the most recently
// edited entry then wins.
func owners(entries []anilist.Entry) map[int]*anilist.Entry {
	owner := make(map[int]*anilist.Entry, len(entries))
	for i := range entries {
		e := &entries[i]
		if e.MALID == 0 {
			continue
		}
		if o, ok := owner[e.MALID]; !ok || e.UpdatedAt > o.UpdatedAt || e.UpdatedAt == o.UpdatedAt && e.MediaID < o.MediaID {
			owner[e.MALID] = e
		}
	}
	return owner
}

// skipReason says why an entry cannot be synced, or "".
func skipReason(e *anilist.Entry, owner map[int]*anilist.Entry) string {
	switch {
	case e.MALID == 0:
		return ReasonNoMALID
	case owner[e.MALID] != e:
		return ReasonDuplicate + ": " + owner[e.MALID].Title()
	}
	if _, _, ok := MALStatus(e.Status, mal.Anime); !ok {
		return ReasonUnknownStatus + ": " + string(e.Status)
	}
	return ""
}

// Skip reasons.
const (
	ReasonNoMALID       = "AniList has no MyAnimeList id for it"
	ReasonDuplicate     = "another AniList entry with the same MyAnimeList id was edited more recently"
	ReasonUnknownStatus = "unknown AniList status"
)

// deletes adds a Delete for each entry synced before that is gone from
// AniList, when the user opted in and nothing else on AniList still maps to
// that MAL entry.
func (p *Plan) deletes(l List, last State, opt Options, owner map[int]*anilist.Entry, onMAL map[int]*mal.ListEntry) {
	if !opt.MirrorDeletes {
		return
	}
	for id, s := range last {
		if s.Media != l.Media || s.MALID == 0 {
			continue
		}
		if _, kept := p.Next[id]; kept || owner[s.MALID] != nil {
			continue
		}
		if cur := onMAL[s.MALID]; cur != nil {
			p.Deletes = append(p.Deletes, Delete{Media: l.Media, MediaID: id, MALID: s.MALID, Title: cur.Title})
		}
	}
}

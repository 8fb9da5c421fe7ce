package syncer

import (
	"cmp"
	"slices"

	"dubbot/upstream/mal"
)

// Plan is what a sync has to do on MAL.
type Plan struct {
	Updates []Update // sorted by media, then MAL id
	Deletes []Delete // sorted by media, then MAL id
	Skipped []Skip   // sorted by media, then AniList id
	// Next is the State to store once every update and delete succeeded;
	// call Failed for each that did not, so the next sync tries it again.
	Next State

	last State
}

// Update is a write of one MAL list entry.
type Update struct {
	Media   mal.Media
	MediaID int // AniList media id, the key for Failed
	MALID   int
	Title   string
	New     bool          // not on the MAL list yet: the write adds it
	Changes []FieldChange // what changes, for the sync log
	Write   mal.Update    // the same changes, for mal.Client.UpdateEntry
}

// Delete is the removal of one MAL list entry.
type Delete struct {
	Media   mal.Media
	MediaID int // AniList media id, the key for Failed
	MALID   int
	Title   string // MAL's title: the AniList entry is gone
}

// Skip is an AniList entry the sync could not write, and why.
type Skip struct {
	Media   mal.Media
	MediaID int
	Title   string
	Reason  string
}

// FieldChange is one field of an Update, old and new as the sync log shows
// them ("" for an entry new to MAL).
type FieldChange struct {
	Field    Field
	Old, New string
}

// Field names a MAL list field, whatever the media: Progress is episodes
// for anime and chapters for manga.
type Field string

// Fields, in the order Changes lists them.
const (
	FieldStatus      Field = "status"
	FieldRepeating   Field = "repeating"
	FieldScore       Field = "score"
	FieldProgress    Field = "progress"
	FieldVolumes     Field = "volumes"
	FieldRepeatCount Field = "repeat_count"
	FieldStartDate   Field = "start_date"
	FieldFinishDate  Field = "finish_date"
)

// Requests is how many MAL requests applying the plan takes.
func (p *Plan) Requests() int { return len(p.Updates) + len(p.Deletes) }

// Failed puts back the last sync's state of an AniList entry whose update or
// delete failed, so that the next sync sees it as changed (or deleted) again.
func (p *Plan) Failed(mediaID int) {
	if old, ok := p.last[mediaID]; ok {
		p.Next[mediaID] = old
	} else {
		delete(p.Next, mediaID)
	}
}

func (p *Plan) sort() {
	slices.SortFunc(p.Updates, func(a, b Update) int {
		return cmp.Or(cmp.Compare(a.Media, b.Media), cmp.Compare(a.MALID, b.MALID))
	})
	slices.SortFunc(p.Deletes, func(a, b Delete) int {
		return cmp.Or(cmp.Compare(a.Media, b.Media), cmp.Compare(a.MALID, b.MALID))
	})
	slices.SortFunc(p.Skipped, func(a, b Skip) int {
		return cmp.Or(cmp.Compare(a.Media, b.Media), cmp.Compare(a.MediaID, b.MediaID))
	})
}

package syncer

import (
	"strconv"

	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// diff compares what AniList says with MAL's entry (nil when it is not on
// the MAL list) and returns the update, if anything differs. The entry's
// status must be one MALStatus knows.
func diff(m mal.Media, e *anilist.Entry, cur *mal.ListEntry) (Update, bool) {
	var have mal.ListStatus
	var total, totalVolumes int
	if cur != nil {
		have, total, totalVolumes = cur.Status, cur.Total, cur.TotalVolumes
	}
	status, repeating, _ := MALStatus(e.Status, m)
	c := changes{isNew: cur == nil}

	if status != have.Status {
		c.add(FieldStatus, string(have.Status), string(status))
		c.w.Status = new(status)
	}
	if repeating != have.Repeating {
		c.add(FieldRepeating, strconv.FormatBool(have.Repeating), strconv.FormatBool(repeating))
		c.w.Repeating = new(repeating)
	}
	c.int(FieldScore, have.Score, Score(e.Score), &c.w.Score)
	c.int(FieldProgress, have.Progress, capped(e.Progress, total), &c.w.Progress)
	if m == mal.Manga {
		c.int(FieldVolumes, have.Volumes, capped(e.ProgressVolumes, totalVolumes), &c.w.Volumes)
	}
	c.int(FieldRepeatCount, have.RepeatCount, max(e.Repeat, 0), &c.w.RepeatCount)
	c.date(FieldStartDate, have.StartDate, MALDate(e.StartedAt), &c.w.StartDate)
	c.date(FieldFinishDate, have.FinishDate, MALDate(e.CompletedAt), &c.w.FinishDate)

	if len(c.list) == 0 {
		return Update{}, false
	}
	return Update{Media: m, MediaID: e.MediaID, MALID: e.MALID, Title: e.Title(), New: cur == nil, Changes: c.list, Write: c.w}, true
}

// capped is AniList's progress as MAL will store it: never negative, and
// never above MAL's total when MAL knows it.
func capped(progress, total int) int {
	progress = max(progress, 0)
	if total > 0 {
		return min(progress, total)
	}
	return progress
}

// changes collects the differing fields, both for the log and for the write.
type changes struct {
	isNew bool // the entry is new to MAL: Old values are shown as ""
	list  []FieldChange
	w     mal.Update
}

func (c *changes) add(f Field, old, new string) {
	if c.isNew {
		old = ""
	}
	c.list = append(c.list, FieldChange{Field: f, Old: old, New: new})
}

func (c *changes) int(f Field, have, want int, dst **int) {
	if have != want {
		c.add(f, strconv.Itoa(have), strconv.Itoa(want))
		*dst = new(want)
	}
}

// date writes want unless it is "" (unknown or partial on AniList), which
// leaves MAL's date as it is.
func (c *changes) date(f Field, have, want string, dst **string) {
	if want != "" && want != have {
		c.add(f, have, want)
		*dst = new(want)
	}
}

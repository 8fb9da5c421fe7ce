package dubinfo

import (
	"fmt"
	"maps"
	"slices"

	"dubbot/anime"
)

// ChangeKind says how an anime's dub status moved between two copies.
type ChangeKind string

// Change kinds, worded as they appear in logs and events.
const (
	// NewlyDubbed: the id was in neither list and now is in one; To says
	// whether the new dub is complete or partial.
	NewlyDubbed ChangeKind = "newly dubbed"
	// DubCompleted: the id moved from incomplete to dubbed.
	DubCompleted ChangeKind = "dub completed"
	// NowPartial: the id moved from dubbed to incomplete, which the upstream
	// does when a dub turns out to be unfinished.
	NowPartial ChangeKind = "now partial"
	// Removed: the id left both lists, usually a correction upstream.
	Removed ChangeKind = "removed"
)

// Change is one anime whose dub status differs between two copies.
type Change struct {
	ID   int
	Kind ChangeKind
	From anime.DubStatus // status in the older copy
	To   anime.DubStatus // status in the newer copy
}

// Diff lists the anime whose status differs from prev to next, by ascending
// id. A nil prev knows nothing, so every id in next is NewlyDubbed; callers
// normally skip announcing that first load.
func Diff(prev, next *List) []Change {
	ids := make(map[int]struct{}, next.Len())
	for _, l := range []*List{prev, next} {
		if l != nil {
			maps.Copy(ids, l.dubbed)
			maps.Copy(ids, l.incomplete)
		}
	}
	var changes []Change
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		from, to := prev.Status(id), next.Status(id)
		if from != to {
			changes = append(changes, Change{ID: id, Kind: kind(from, to), From: from, To: to})
		}
	}
	return changes
}

// kind names a status move; from and to differ.
func kind(from, to anime.DubStatus) ChangeKind {
	switch {
	case from == anime.DubNone:
		return NewlyDubbed
	case to == anime.DubNone:
		return Removed
	case to == anime.DubDubbed:
		return DubCompleted
	default:
		return NowPartial
	}
}

// DefaultMaxLoss is the share of known ids that may vanish in one refresh
// before CheckShrink calls the new copy suspicious. Real refreshes remove a
// handful of ids at most.
const DefaultMaxLoss = 0.2

// ShrinkError reports a new copy that lost too many ids to be trusted.
type ShrinkError struct {
	Vanished int     // ids of prev found in neither list of next
	Known    int     // ids prev knew
	MaxLoss  float64 // the share that was allowed to vanish
}

// Error says how many ids vanished and what the limit was.
func (e *ShrinkError) Error() string {
	return fmt.Sprintf("dubInfo shrank suspiciously: %d of %d known ids vanished (%.1f%%, limit %.1f%%)",
		e.Vanished, e.Known, 100*float64(e.Vanished)/float64(e.Known), 100*e.MaxLoss)
}

// CheckShrink returns a *ShrinkError when more than maxLoss (a share, such as
// DefaultMaxLoss) of the ids prev knew are gone from next, so that a truncated
// or vandalised file cannot wipe out the dub list. Moves between dubbed and
// incomplete are not losses. A nil or empty prev accepts anything.
func CheckShrink(prev, next *List, maxLoss float64) error {
	known := prev.Len()
	if known == 0 {
		return nil
	}
	vanished := 0
	for _, set := range []map[int]struct{}{prev.dubbed, prev.incomplete} {
		for id := range set {
			if !next.Known(id) {
				vanished++
			}
		}
	}
	if float64(vanished) > maxLoss*float64(known) {
		return &ShrinkError{Vanished: vanished, Known: known, MaxLoss: maxLoss}
	}
	return nil
}

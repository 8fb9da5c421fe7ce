// Package dubinfo reads MAL-Dubs' dubInfo.json, the list of MyAnimeList anime
// ids that have an English dub, and compares successive copies of it.
//
// The file is AGPL-3.0 data owned by the MAL-Dubs project: it is downloaded at
// run time and never committed into this repository.
package dubinfo

import (
	"encoding/json"
	"maps"
	"slices"

	"dubbot/anime"
)

// List is one copy of dubInfo.json: which anime ids are dubbed and which only
// partly. The two sets are disjoint; an id the file lists in both counts as
// incomplete, because the upstream once kept incomplete ids in both lists.
type List struct {
	dubbed     map[int]struct{}
	incomplete map[int]struct{}
}

// New builds a List from id lists, with incomplete winning over dubbed. Ids
// must be positive; Parse checks that for data from outside.
func New(dubbed, incomplete []int) *List {
	l := &List{
		dubbed:     make(map[int]struct{}, len(dubbed)),
		incomplete: make(map[int]struct{}, len(incomplete)),
	}
	for _, id := range incomplete {
		l.incomplete[id] = struct{}{}
	}
	for _, id := range dubbed {
		if _, ok := l.incomplete[id]; !ok {
			l.dubbed[id] = struct{}{}
		}
	}
	return l
}

// Status says whether an anime is dubbed, partly dubbed or neither. A nil List
// knows nothing, so every id is DubNone.
func (l *List) Status(id int) anime.DubStatus {
	if l == nil {
		return anime.DubNone
	}
	if _, ok := l.incomplete[id]; ok {
		return anime.DubPartial
	}
	if _, ok := l.dubbed[id]; ok {
		return anime.DubDubbed
	}
	return anime.DubNone
}

// Known reports whether the id is in either list.
func (l *List) Known(id int) bool { return l.Status(id) != anime.DubNone }

// DubbedCount is the number of fully dubbed ids.
func (l *List) DubbedCount() int {
	if l == nil {
		return 0
	}
	return len(l.dubbed)
}

// IncompleteCount is the number of partly dubbed ids.
func (l *List) IncompleteCount() int {
	if l == nil {
		return 0
	}
	return len(l.incomplete)
}

// Len is the number of ids in either list.
func (l *List) Len() int { return l.DubbedCount() + l.IncompleteCount() }

// Dubbed returns the fully dubbed ids in ascending order.
func (l *List) Dubbed() []int {
	if l == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(l.dubbed))
}

// Incomplete returns the partly dubbed ids in ascending order.
func (l *List) Incomplete() []int {
	if l == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(l.incomplete))
}

// wire is the part of dubInfo.json this package writes; Parse reads the same
// keys and ignores the rest.
type wire struct {
	Dubbed     []int `json:"dubbed"`
	Incomplete []int `json:"incomplete"`
}

// MarshalJSON writes the list in dubInfo.json's shape (sorted ids, without the
// upstream's license keys), so a stored copy reads back through Parse.
func (l *List) MarshalJSON() ([]byte, error) {
	w := wire{Dubbed: l.Dubbed(), Incomplete: l.Incomplete()}
	if w.Dubbed == nil {
		w.Dubbed = []int{}
	}
	if w.Incomplete == nil {
		w.Incomplete = []int{}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a list with the same checks as Parse.
func (l *List) UnmarshalJSON(data []byte) error {
	parsed, err := Parse(data)
	if err != nil {
		return err
	}
	*l = *parsed
	return nil
}

package dubs

import (
	"encoding/json"
	"fmt"
	"time"

	"dubbot/store"
)

// EventKind is what happened to a show's dub.
type EventKind string

// Event kinds.
const (
	// EpisodeAired: the show's dubbed-episode counter rose (one event per
	// new episode; the announcer merges a jump into one post).
	EpisodeAired EventKind = "episode"
	// NewlyDubbed: the show entered the dub list.
	NewlyDubbed EventKind = "newly-dubbed"
	// DubCompleted: the show moved from partial to fully dubbed.
	DubCompleted EventKind = "dub-completed"
	// DubAnnounced: the show entered an upcoming section of the forum list.
	DubAnnounced EventKind = "dub-announced"
)

// Event is a change a refresh found, kept in the store until announced.
type Event struct {
	// ID is deterministic (kind, show, episode or date), so the same
	// change seen twice is recorded once.
	ID      string    `json:"id"`
	Kind    EventKind `json:"kind"`
	MALID   int       `json:"mal_id"`
	Title   string    `json:"title"`
	Episode int       `json:"episode,omitempty"`
	// Total episodes when known (EpisodeAired).
	Total int `json:"total,omitempty"`
	// Date is the announced release date (DubAnnounced), when given.
	Date time.Time `json:"date,omitzero"`
	// Section is the forum list the announcement came from.
	Section string `json:"section,omitempty"`
	// Found is when the refresh saw the change.
	Found time.Time `json:"found"`
	// Batch groups the events of one refresh run.
	Batch string `json:"batch"`
}

func episodeEventID(malID, episode int) string {
	return fmt.Sprintf("%s/%d/%d", EpisodeAired, malID, episode)
}

// recordEvent stores ev unless an event with its id exists; it reports
// whether it was new.
func recordEvent(tx *store.Tx, ev Event) (bool, error) {
	raw, err := tx.GetRaw(store.BucketEvents, ev.ID)
	if err != nil || raw != nil {
		return false, err
	}
	return true, tx.Put(store.BucketEvents, ev.ID, ev)
}

// Events reads every stored event, in id order.
func Events(tx *store.Tx) ([]Event, error) {
	var out []Event
	err := tx.ForEach(store.BucketEvents, "", func(_ string, raw []byte) error {
		var ev Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			return fmt.Errorf("decode event: %w", err)
		}
		out = append(out, ev)
		return nil
	})
	return out, err
}

package syncer

import (
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// State is what the last sync saw of each AniList entry, keyed by AniList
// media id (unique across anime and manga). The store keeps it per user as
// JSON; Plan.Next is the value to keep.
type State map[int]Synced

// Synced is one entry of State.
type Synced struct {
	Media     mal.Media `json:"media"`
	MALID     int       `json:"mal_id,omitempty"` // 0 for entries skipped for want of one
	UpdatedAt int64     `json:"updated_at"`       // AniList's updatedAt, unix seconds
}

// unchanged reports whether e is as it was at the last sync: same edit
// time and same MAL id.
func (s State) unchanged(e *anilist.Entry) bool {
	old, ok := s[e.MediaID]
	return ok && old.MALID == e.MALID && old.UpdatedAt >= e.UpdatedAt
}

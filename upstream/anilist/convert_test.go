package anilist

import (
	"encoding/json"
	"testing"

	"dubbot/upstream/anilist/internal/gql"
)

// FuzzUserListDecode feeds arbitrary answers through the same decoding and
// mapping as List.
func FuzzUserListDecode(f *testing.F) {
	f.Add([]byte(`{"MediaListCollection":{"hasNextChunk":false,"lists":[{"entries":[{"mediaId":1,"media":{"idMal":2}},{"mediaId":1}]}]}}`))
	f.Add([]byte(`{"MediaListCollection":{"lists":[null,{"entries":[null,{"mediaId":0}]}]}}`))
	f.Add([]byte(`{"MediaListCollection":null}`))
	f.Add([]byte(`{"MediaListCollection":{"lists":[{"entries":[{"mediaId":3,"score":55.5,"startedAt":{"year":2020,"month":null}}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var resp gql.UserListResponse
		if json.Unmarshal(data, &resp) != nil {
			return
		}
		seen := make(map[int]bool)
		got := appendEntries(nil, seen, resp.MediaListCollection, Anime)
		ids := make(map[int]bool)
		for _, e := range got {
			if e.MediaID == 0 || ids[e.MediaID] || e.Type != Anime {
				t.Fatalf("bad entry %+v (duplicate %v)", e, ids[e.MediaID])
			}
			ids[e.MediaID] = true
		}
	})
}

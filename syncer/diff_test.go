package syncer

import (
	"reflect"
	"testing"

	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// onMAL builds a MAL list entry for the tests.
func onMAL(id int, st mal.ListStatus) *mal.ListEntry {
	return &mal.ListEntry{ID: id, Title: "MAL title", Status: st}
}

func TestDiff(t *testing.T) {
	fullDate := anilist.Date{Year: 2024, Month: 3, Day: 9}
	tests := []struct {
		name    string
		media   mal.Media
		e       anilist.Entry
		cur     *mal.ListEntry
		changes []FieldChange
		write   mal.Update
	}{
		{
			name:  "new planned anime writes only the status",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Planning},
			changes: []FieldChange{{FieldStatus, "", "plan_to_watch"}},
			write:   mal.Update{Status: new(mal.PlanToWatch)},
		},
		{
			name:  "new watching anime with score, progress and start date",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Current, Score: 75, Progress: 4, StartedAt: fullDate},
			changes: []FieldChange{{FieldStatus, "", "watching"}, {FieldScore, "", "8"}, {FieldProgress, "", "4"}, {FieldStartDate, "", "2024-03-09"}},
			write:   mal.Update{Status: new(mal.Watching), Score: new(8), Progress: new(4), StartDate: new("2024-03-09")},
		},
		{
			name:  "same on both sides writes nothing",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Completed, Score: 90, Progress: 12, Repeat: 1, StartedAt: fullDate},
			cur: onMAL(1, mal.ListStatus{Status: mal.Completed, Score: 9, Progress: 12, RepeatCount: 1, StartDate: "2024-03-09"}),
		},
		{
			name:  "rewatch starts: completed with rewatching on",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Repeating, Progress: 2, Repeat: 1},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Completed, Progress: 12, RepeatCount: 1}),
			changes: []FieldChange{{FieldRepeating, "false", "true"}, {FieldProgress, "12", "2"}},
			write:   mal.Update{Repeating: new(true), Progress: new(2)},
		},
		{
			name:  "rewatch from watching on MAL",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Repeating, Progress: 3},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Watching, Progress: 3}),
			changes: []FieldChange{{FieldStatus, "watching", "completed"}, {FieldRepeating, "false", "true"}},
			write:   mal.Update{Status: new(mal.Completed), Repeating: new(true)},
		},
		{
			name:  "rewatch ends: completed turns rewatching off and counts it",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Completed, Progress: 12, Repeat: 2},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Completed, Repeating: true, Progress: 12, RepeatCount: 1}),
			changes: []FieldChange{{FieldRepeating, "true", "false"}, {FieldRepeatCount, "1", "2"}},
			write:   mal.Update{Repeating: new(false), RepeatCount: new(2)},
		},
		{
			name:  "watching on AniList turns MAL's rewatching off",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Current, Progress: 5},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Completed, Repeating: true, Progress: 5}),
			changes: []FieldChange{{FieldStatus, "completed", "watching"}, {FieldRepeating, "true", "false"}},
			write:   mal.Update{Status: new(mal.Watching), Repeating: new(false)},
		},
		{
			name:  "reread on manga",
			media: mal.Manga, e: anilist.Entry{Status: anilist.Repeating, Progress: 10, ProgressVolumes: 1, Repeat: 3},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Reading, Progress: 10, Volumes: 1, RepeatCount: 3}),
			changes: []FieldChange{{FieldStatus, "reading", "completed"}, {FieldRepeating, "false", "true"}},
			write:   mal.Update{Status: new(mal.Completed), Repeating: new(true)},
		},
		{
			name:  "reread ends on manga",
			media: mal.Manga, e: anilist.Entry{Status: anilist.Paused, Progress: 10},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Completed, Repeating: true, Progress: 10}),
			changes: []FieldChange{{FieldStatus, "completed", "on_hold"}, {FieldRepeating, "true", "false"}},
			write:   mal.Update{Status: new(mal.OnHold), Repeating: new(false)},
		},
		{
			name:  "manga chapters and volumes",
			media: mal.Manga, e: anilist.Entry{Status: anilist.Current, Progress: 120, ProgressVolumes: 14},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Reading, Progress: 100, Volumes: 12}),
			changes: []FieldChange{{FieldProgress, "100", "120"}, {FieldVolumes, "12", "14"}},
			write:   mal.Update{Progress: new(120), Volumes: new(14)},
		},
		{
			name:  "anime never writes volumes",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Current, Progress: 1, ProgressVolumes: 5},
			cur: onMAL(1, mal.ListStatus{Status: mal.Watching, Progress: 1}),
		},
		{
			name:  "progress beyond MAL's episode count is capped, so nothing to write",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Completed, Progress: 13},
			cur: &mal.ListEntry{ID: 1, Total: 12, Status: mal.ListStatus{Status: mal.Completed, Progress: 12}},
		},
		{
			name:  "volumes beyond MAL's count are capped",
			media: mal.Manga, e: anilist.Entry{Status: anilist.Current, Progress: 5, ProgressVolumes: 9},
			cur:     &mal.ListEntry{ID: 1, TotalVolumes: 8, Status: mal.ListStatus{Status: mal.Reading, Progress: 5, Volumes: 2}},
			changes: []FieldChange{{FieldVolumes, "2", "8"}},
			write:   mal.Update{Volumes: new(8)},
		},
		{
			name:  "negative AniList values are written as 0",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Current, Progress: -3, Repeat: -1},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Watching, Progress: 2, RepeatCount: 1}),
			changes: []FieldChange{{FieldProgress, "2", "0"}, {FieldRepeatCount, "1", "0"}},
			write:   mal.Update{Progress: new(0), RepeatCount: new(0)},
		},
		{
			name:  "score edited",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Completed, Score: 55},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Completed, Score: 5}),
			changes: []FieldChange{{FieldScore, "5", "6"}},
			write:   mal.Update{Score: new(6)},
		},
		{
			name:  "score removed on AniList clears MAL's",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Completed},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Completed, Score: 7}),
			changes: []FieldChange{{FieldScore, "7", "0"}},
			write:   mal.Update{Score: new(0)},
		},
		{
			name:  "dates differ",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Completed, StartedAt: fullDate, CompletedAt: anilist.Date{Year: 2024, Month: 4, Day: 1}},
			cur:     onMAL(1, mal.ListStatus{Status: mal.Completed, StartDate: "2024-03", FinishDate: "2024-03-31"}),
			changes: []FieldChange{{FieldStartDate, "2024-03", "2024-03-09"}, {FieldFinishDate, "2024-03-31", "2024-04-01"}},
			write:   mal.Update{StartDate: new("2024-03-09"), FinishDate: new("2024-04-01")},
		},
		{
			name:  "partial or missing AniList dates leave MAL's alone",
			media: mal.Anime, e: anilist.Entry{Status: anilist.Completed, StartedAt: anilist.Date{Year: 2024, Month: 3}},
			cur: onMAL(1, mal.ListStatus{Status: mal.Completed, StartDate: "2024-03-09", FinishDate: "2024-04-01"}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.e.MediaID, tt.e.MALID, tt.e.TitleRomaji, tt.e.Type = 10, 1, "Romaji", anilist.Anime
			u, ok := diff(tt.media, &tt.e, tt.cur)
			if ok != (len(tt.changes) > 0) {
				t.Fatalf("diff ok = %v with changes %+v; want %v", ok, u.Changes, len(tt.changes) > 0)
			}
			if !ok {
				return
			}
			if !reflect.DeepEqual(u.Changes, tt.changes) {
				t.Errorf("Changes =\n%v\nwant\n%v", u.Changes, tt.changes)
			}
			if !reflect.DeepEqual(u.Write, tt.write) {
				t.Errorf("Write = %s, want %s", show(u.Write), show(tt.write))
			}
			if u.New != (tt.cur == nil) || u.MALID != 1 || u.MediaID != 10 || u.Title != "Romaji" || u.Media != tt.media {
				t.Errorf("update header = %+v", u)
			}
			checkUpdate(t, u)
		})
	}
}

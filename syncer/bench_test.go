package syncer

import (
	"fmt"
	"testing"

	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// benchEntries is the list size the benchmark models: a heavy user with
// 5,000 anime and 5,000 manga.
const benchEntries = 5000

var benchStatuses = []anilist.ListStatus{anilist.Current, anilist.Planning, anilist.Completed, anilist.Dropped, anilist.Paused, anilist.Repeating}

// benchList builds one media type's lists on both sites, one entry in ten
// differing.
func benchList(m mal.Media, base int) List {
	l := List{Media: m, AniList: make([]anilist.Entry, benchEntries), MAL: make([]mal.ListEntry, benchEntries)}
	for i := range benchEntries {
		e := anilist.Entry{
			MediaID: base + i, MALID: i + 1, TitleRomaji: fmt.Sprintf("Title %d", i),
			Status: benchStatuses[i%len(benchStatuses)], Score: float64(i % 101), Progress: i % 50, ProgressVolumes: i % 7,
			Repeat: i % 3, StartedAt: anilist.Date{Year: 2020, Month: 1 + i%12, Day: 1 + i%28}, UpdatedAt: int64(1_700_000_000 + i),
		}
		l.AniList[i] = e
		cur := &mal.ListEntry{ID: i + 1, Title: e.TitleRomaji}
		if u, ok := diff(m, &e, nil); ok {
			applyWrite(&cur.Status, u.Write)
		}
		if i%10 == 0 {
			cur.Status.Progress++
		}
		l.MAL[i] = *cur
	}
	return l
}

// BenchmarkPlan diffs 5,000 anime and 5,000 manga entries: "first" with no
// state (every entry compared, 1,000 updates), "steady" with the state of a
// previous sync and 50 entries edited since.
func BenchmarkPlan(b *testing.B) {
	lists := []List{benchList(mal.Anime, 0), benchList(mal.Manga, 1_000_000)}
	first := Diff(Input{Lists: lists})
	if len(first.Updates) != 2*benchEntries/10 {
		b.Fatalf("first plan has %d updates, want %d", len(first.Updates), 2*benchEntries/10)
	}
	edited := []List{lists[0], lists[1]}
	edited[0].AniList = append([]anilist.Entry(nil), lists[0].AniList...)
	for i := range 50 {
		edited[0].AniList[i*97].UpdatedAt += 1_000_000
	}
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Diff(Input{Lists: lists})
		}
	})
	b.Run("steady", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Diff(Input{Lists: edited, Last: first.Next})
		}
	})
}

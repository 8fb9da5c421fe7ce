package syncer

import (
	"testing"

	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// FuzzDiff feeds outside values (whatever AniList and MAL send) through
// Diff and checks that every write is one MAL accepts, that it matches the
// log, and that applying it leaves nothing to write.
func FuzzDiff(f *testing.F) {
	f.Add(true, "REPEATING", 55.0, 3, 1, 2, 2024, 2, 29, "watching", 5, 2, false, 12)
	f.Add(false, "CURRENT", -1.0, -5, -2, -1, 2023, 2, 29, "completed", 11, 400, true, 0)
	f.Add(true, "BOGUS", 1e300, 1<<40, 0, 0, 0, 13, 40, "", 0, 0, false, -3)
	f.Fuzz(func(t *testing.T, anime bool, status string, score float64, progress, volumes, repeat, y, mo, d int,
		malStatus string, malScore, malProgress int, malRepeating bool, total int) {
		m := mal.Manga
		if anime {
			m = mal.Anime
		}
		e := anilist.Entry{MediaID: 1, MALID: 2, Status: anilist.ListStatus(status), Score: score, Progress: progress,
			ProgressVolumes: volumes, Repeat: repeat, StartedAt: anilist.Date{Year: y, Month: mo, Day: d}, UpdatedAt: 5}
		cur := mal.ListEntry{ID: 2, Total: total, TotalVolumes: total, Status: mal.ListStatus{
			Status: mal.Status(malStatus), Score: malScore, Progress: malProgress, Repeating: malRepeating}}
		p := Diff(Input{Lists: []List{{Media: m, AniList: []anilist.Entry{e}, MAL: []mal.ListEntry{cur}}}})
		if len(p.Updates)+len(p.Skipped) > 1 {
			t.Fatalf("one entry gave %d updates and %d skips", len(p.Updates), len(p.Skipped))
		}
		for _, u := range p.Updates {
			checkUpdate(t, u)
			applyWrite(&cur.Status, u.Write)
			if again, ok := diff(m, &e, &cur); ok {
				t.Fatalf("after applying %s, still differs: %+v", show(u.Write), again.Changes)
			}
		}
	})
}

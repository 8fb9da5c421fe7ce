package listsync_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"dubbot/listsync"
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

func anime(mediaID, malID int, title string, st anilist.ListStatus) anilist.Entry {
	return anilist.Entry{MediaID: mediaID, MALID: malID, Type: anilist.Anime, TitleRomaji: title, Status: st}
}

func manga(mediaID, malID int, title string, st anilist.ListStatus) anilist.Entry {
	e := anime(mediaID, malID, title, st)
	e.Type = anilist.Manga
	return e
}

// changes flattens a run's changes to "title: field old → new" lines.
func changes(run listsync.Run) []string {
	var out []string
	for _, c := range run.Changes {
		switch {
		case c.Error != "":
			out = append(out, c.Title+": error")
		case c.Deleted:
			out = append(out, c.Title+": deleted")
		}
		for _, f := range c.Fields {
			out = append(out, fmt.Sprintf("%s: %s %s → %s", c.Title, f.Field, f.Old, f.New))
		}
	}
	for _, s := range run.Skipped {
		out = append(out, s.Title+": skipped: "+s.Reason)
	}
	slices.Sort(out)
	return out
}

func checkList(t *testing.T, f *fixture, id int, m mal.Media, want map[int]mal.ListStatus) {
	t.Helper()
	if got := f.malList(id, m); !maps.Equal(got, want) {
		t.Errorf("MAL %s list of user %d:\n got %+v\nwant %+v", m, id, got, want)
	}
}

func checkChanges(t *testing.T, run listsync.Run, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := changes(run); !slices.Equal(got, want) {
		t.Errorf("run changes:\n got %q\nwant %q", got, want)
	}
}

// TestSyncEndToEnd links two users (one scoring in POINT_100, one in
// POINT_5), syncs them by hand, edits their AniList lists, lets a cycle sync
// the edits, and checks MAL's lists, the log and the request counts.
func TestSyncEndToEnd(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	f.link("u2", 2)
	f.anilist.SetScoreFormat(1, "POINT_100")
	f.anilist.SetScoreFormat(2, "POINT_5")
	f.autoOn("u1", "u2")
	for _, ti := range []maltest.Title{{ID: 1, Title: "Frieren", Total: 28}, {ID: 2, Title: "Dandadan", Total: 12}, {ID: 3, Title: "Mob Psycho", Total: 12}, {ID: 5, Title: "K-On", Total: 13}, {ID: 6, Title: "Mushishi", Total: 26}} {
		f.mal.AddTitle(mal.Anime, ti)
	}
	f.mal.AddTitle(mal.Manga, maltest.Title{ID: 11, Title: "Berserk"})

	frieren := anime(101, 1, "Frieren", anilist.Current)
	frieren.Score, frieren.Progress, frieren.StartedAt = 85, 5, anilist.Date{Year: 2024, Month: 1, Day: 5}
	mob := anime(103, 3, "Mob Psycho", anilist.Completed)
	mob.Score, mob.Progress, mob.Repeat = 73, 12, 1
	mob.StartedAt, mob.CompletedAt = anilist.Date{Year: 2023, Month: 1, Day: 1}, anilist.Date{Year: 2023, Month: 2, Day: 1}
	berserk := manga(201, 11, "Berserk", anilist.Current)
	berserk.Score, berserk.Progress, berserk.ProgressVolumes = 60, 30, 3
	for _, e := range []anilist.Entry{frieren, anime(102, 2, "Dandadan", anilist.Planning), mob, anime(104, 0, "Unmapped", anilist.Current), berserk} {
		f.anilist.SetEntry(1, e)
	}
	f.mal.SetEntry(1, mal.Anime, 2, mal.ListStatus{Status: mal.PlanToWatch})
	f.mal.SetEntry(1, mal.Anime, 3, mal.ListStatus{Status: mal.Watching, Progress: 10})

	kon := anime(301, 5, "K-On", anilist.Completed)
	kon.Score, kon.Progress = 70, 13 // ★★★★ is 70 on AniList's 100 scale
	mushi := anime(302, 6, "Mushishi", anilist.Paused)
	mushi.Score, mushi.Progress = 90, 4 // ★★★★★
	f.anilist.SetEntry(2, kon)
	f.anilist.SetEntry(2, mushi)

	// The first sync reads both lists and MAL's once, and writes what differs.
	before := f.requests()
	run := f.sync("u1", false)
	if got, want := f.requests().minus(before), (requests{lists: 2, malReads: 2, malWrites: 3}); got != want {
		t.Errorf("first sync requests = %+v, want %+v", got, want)
	}
	if !run.Full || run.Counts != (listsync.Counts{Updated: 3, Skipped: 1, AniList: 2, MAL: 5}) {
		t.Errorf("first sync: full %t, counts %+v", run.Full, run.Counts)
	}
	checkChanges(t, run,
		"Frieren: status  → watching", "Frieren: score  → 9", "Frieren: progress  → 5", "Frieren: start_date  → 2024-01-05",
		"Mob Psycho: status watching → completed", "Mob Psycho: score 0 → 7", "Mob Psycho: progress 10 → 12",
		"Mob Psycho: repeat_count 0 → 1", "Mob Psycho: start_date  → 2023-01-01", "Mob Psycho: finish_date  → 2023-02-01",
		"Berserk: status  → reading", "Berserk: score  → 6", "Berserk: progress  → 30", "Berserk: volumes  → 3",
		"Unmapped: skipped: "+"AniList has no MyAnimeList id for it",
	)
	f.sync("u2", false)

	animeU1 := map[int]mal.ListStatus{
		1: {Status: mal.Watching, Score: 9, Progress: 5, StartDate: "2024-01-05"},
		2: {Status: mal.PlanToWatch},
		3: {Status: mal.Completed, Score: 7, Progress: 12, RepeatCount: 1, StartDate: "2023-01-01", FinishDate: "2023-02-01"},
	}
	checkList(t, f, 1, mal.Anime, animeU1)
	checkList(t, f, 1, mal.Manga, map[int]mal.ListStatus{11: {Status: mal.Reading, Score: 6, Progress: 30, Volumes: 3}})
	checkList(t, f, 2, mal.Anime, map[int]mal.ListStatus{
		5: {Status: mal.Completed, Score: 7, Progress: 13},
		6: {Status: mal.OnHold, Score: 9, Progress: 4},
	})

	// A second sync has nothing to write and does not even read MAL.
	before = f.requests()
	if run := f.sync("u1", false); !run.Empty() {
		t.Errorf("second sync changed something: %+v", run)
	}
	if got, want := f.requests().minus(before), (requests{lists: 2}); got != want {
		t.Errorf("second sync requests = %+v, want %+v", got, want)
	}

	// Edits on AniList: a finished show, a rewatch, manga progress, and a
	// POINT_5 user's new score. The cycle finds them in one request.
	frieren.Status, frieren.Progress, frieren.CompletedAt = anilist.Completed, 28, anilist.Date{Year: 2024, Month: 3, Day: 1}
	mob.Status, mob.Progress = anilist.Repeating, 2
	berserk.Progress, berserk.ProgressVolumes = 45, 5
	mushi.Score = 50 // ★★★
	for _, e := range []anilist.Entry{frieren, mob, berserk} {
		f.anilist.SetEntry(1, e)
	}
	f.anilist.SetEntry(2, mushi)
	before = f.requests()
	f.cycle()
	// u1 edited both lists (2 reads, MAL read for both); u2 only anime.
	if got, want := f.requests().minus(before), (requests{recent: 1, lists: 3, malReads: 3, malWrites: 4}); got != want {
		t.Errorf("cycle requests = %+v, want %+v", got, want)
	}
	animeU1[1] = mal.ListStatus{Status: mal.Completed, Score: 9, Progress: 28, StartDate: "2024-01-05", FinishDate: "2024-03-01"}
	animeU1[3] = mal.ListStatus{Status: mal.Completed, Repeating: true, Score: 7, Progress: 2, RepeatCount: 1, StartDate: "2023-01-01", FinishDate: "2023-02-01"}
	checkList(t, f, 1, mal.Anime, animeU1)
	checkList(t, f, 1, mal.Manga, map[int]mal.ListStatus{11: {Status: mal.Reading, Score: 6, Progress: 45, Volumes: 5}})
	checkList(t, f, 2, mal.Anime, map[int]mal.ListStatus{
		5: {Status: mal.Completed, Score: 7, Progress: 13},
		6: {Status: mal.OnHold, Score: 5, Progress: 4},
	})

	runs, err := f.svc.Log("u1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 || runs[0].Trigger != listsync.TriggerAuto || runs[0].Full {
		t.Fatalf("log has %d runs, newest %+v; want 3, the newest an auto change sync", len(runs), runs[0])
	}
	checkChanges(t, runs[0],
		"Frieren: status watching → completed", "Frieren: progress 5 → 28", "Frieren: finish_date  → 2024-03-01",
		"Mob Psycho: repeating false → true", "Mob Psycho: progress 12 → 2",
		"Berserk: progress 30 → 45", "Berserk: volumes 3 → 5",
	)
	u2runs, _ := f.svc.Log("u2", 1)
	checkChanges(t, u2runs[0], "Mushishi: score 9 → 5")

	// Nothing changed since: a cycle costs one request and writes nothing.
	before = f.requests()
	f.cycle()
	if got, want := f.requests().minus(before), (requests{recent: 1}); got != want {
		t.Errorf("quiet cycle requests = %+v, want %+v", got, want)
	}
	if runs, _ := f.svc.Log("u1", 10); len(runs) != 3 {
		t.Errorf("a quiet cycle added to the log: %d runs", len(runs))
	}
}

// TestPreviewWritesNothing checks that a preview reports the changes a sync
// would make, and that the sync after it still makes them.
func TestPreviewWritesNothing(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	e := anime(101, 1, "Frieren", anilist.Current)
	e.Progress = 3
	f.anilist.SetEntry(1, e)

	run := f.sync("u1", true)
	if run.Trigger != listsync.TriggerPreview || run.Counts.Updated != 1 || f.requests().malWrites != 0 {
		t.Fatalf("preview: %+v, MAL writes %d", run, f.requests().malWrites)
	}
	checkChanges(t, run, "Frieren: status  → watching", "Frieren: progress  → 3")
	if runs, _ := f.svc.Log("u1", 10); len(runs) != 0 {
		t.Errorf("a preview was logged: %+v", runs)
	}
	if run := f.sync("u1", false); run.Counts.Updated != 1 {
		t.Errorf("sync after the preview: %+v", run.Counts)
	}
	checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{1: {Status: mal.Watching, Progress: 3}})
}

// TestMirrorDeletes checks that a deletion on AniList reaches MAL only for a
// user who opted in.
func TestMirrorDeletes(t *testing.T) {
	for _, optIn := range []bool{false, true} {
		t.Run(fmt.Sprint("opt-in=", optIn), func(t *testing.T) {
			f := newFixture(t)
			f.link("u1", 1)
			f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Current))
			f.anilist.SetEntry(1, anime(102, 2, "Dandadan", anilist.Planning))
			f.sync("u1", false)
			if err := f.svc.SetMirrorDeletes("u1", optIn); err != nil {
				t.Fatal(err)
			}
			f.anilist.DeleteEntry(1, 102)
			run := f.sync("u1", false)
			want := map[int]mal.ListStatus{1: {Status: mal.Watching}}
			if !optIn {
				want[2] = mal.ListStatus{Status: mal.PlanToWatch}
			}
			checkList(t, f, 1, mal.Anime, want)
			if got := run.Counts.Deleted; got != map[bool]int{false: 0, true: 1}[optIn] {
				t.Errorf("deleted %d", got)
			}
		})
	}
}

// TestNewAniListAccountStartsOver checks that linking another AniList
// account drops the old state and compares everything again.
func TestNewAniListAccountStartsOver(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Current))
	f.sync("u1", false)

	f.anilist.AddUser(7, "other")
	f.anilist.SetEntry(7, anime(701, 9, "Mushishi", anilist.Completed))
	f.accounts.mu.Lock()
	f.accounts.users["u1"].anilistID, f.accounts.users["u1"].anilistToken = 7, f.anilist.IssueToken(7)
	f.accounts.mu.Unlock()

	run := f.sync("u1", false)
	if !run.Full || run.Counts.Updated != 1 {
		t.Errorf("sync after relinking AniList: full %t, %+v", run.Full, run.Counts)
	}
	checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{1: {Status: mal.Watching}, 9: {Status: mal.Completed}})
}

func TestSyncNeedsBothLinks(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	f.accounts.mu.Lock()
	f.accounts.users["u1"].malToken = ""
	f.accounts.mu.Unlock()
	if _, err := f.svc.Sync(t.Context(), "u1", false); !strings.Contains(fmt.Sprint(err), "must both be linked") {
		t.Errorf("Sync without MAL: err = %v, want ErrNotLinked", err)
	}
	if err := f.svc.SetAuto("u1", true); err == nil {
		t.Error("SetAuto without MAL succeeded")
	}
	if _, err := f.svc.Sync(t.Context(), "nobody", false); err == nil {
		t.Error("Sync of an unknown user succeeded")
	}
}

// TestLogIsBounded checks that the log keeps the last LogRuns runs, and
// that a huge run keeps its counts but not every line.
func TestLogIsBounded(t *testing.T) {
	f := newFixture(t, func(c *listsync.Config) { c.LogRuns = 3 })
	f.link("u1", 1)
	for i := range 130 {
		f.anilist.SetEntry(1, anime(1000+i, 1+i, fmt.Sprint("Show ", i), anilist.Current))
	}
	first := f.sync("u1", false)
	if c := first.Counts; c.Updated != 130 || c.Omitted != 30 || len(first.Changes) != 100 {
		t.Errorf("first run: %d changes logged, counts %+v", len(first.Changes), c)
	}
	for i := range 4 {
		e := anime(1000, 1, "Show 0", anilist.Current)
		e.Progress = i + 1
		f.anilist.SetEntry(1, e)
		f.sync("u1", false)
	}
	runs, err := f.svc.Log("u1", 10)
	if err != nil {
		t.Fatal(err)
	}
	var progress []string
	for _, r := range runs {
		progress = append(progress, changes(r)...)
	}
	want := []string{"Show 0: progress 3 → 4", "Show 0: progress 2 → 3", "Show 0: progress 1 → 2"}
	if !slices.Equal(progress, want) {
		t.Errorf("log keeps %q, want the last three runs %q", progress, want)
	}
}

// TestClientsGoThroughLimiters checks that the linked users' clients wait on
// the shared limiters, unless Config says they do so themselves.
func TestClientsGoThroughLimiters(t *testing.T) {
	for _, limited := range []bool{false, true} {
		t.Run(fmt.Sprint("ClientsLimited=", limited), func(t *testing.T) {
			f := newFixture(t, func(c *listsync.Config) { c.ClientsLimited = limited })
			f.link("u1", 1)
			f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Current))
			run := f.sync("u1", false)
			want := map[bool][2]uint64{false: {2, 2}, true: {0, 0}}[limited] // AniList: 2 list reads; MAL: a read and a write
			if got := [2]uint64{f.aniLim.Stats().Admitted, f.malLim.Stats().Admitted}; got != want {
				t.Errorf("limiters admitted %v requests, want %v", got, want)
			}
			if run.Counts.AniList != 2 || run.Counts.MAL != 2 {
				t.Errorf("run counted %+v", run.Counts)
			}
		})
	}
}

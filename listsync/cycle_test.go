package listsync_test

import (
	"fmt"
	"testing"
	"time"

	"dubbot/listsync"
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// TestCycleCostThousandUsers measures what a cycle over 1,000 linked users
// costs: the first (every user's first sync), one with no edits (the
// target is at most 50 AniList requests), and one where ten users edited.
func TestCycleCostThousandUsers(t *testing.T) {
	const users = 1000
	f := newFixture(t, func(c *listsync.Config) { c.Workers = 8 })
	ids := make([]string, users)
	for i := range users {
		id := i + 1
		ids[i] = fmt.Sprint("user", id)
		f.link(ids[i], id)
		f.anilist.SetEntry(id, anime(100_000+id, id%500+1, "Show", anilist.Current))
		// Half the users have the show on MAL already, as on AniList.
		if id%2 == 0 {
			f.mal.SetEntry(id, mal.Anime, id%500+1, mal.ListStatus{Status: mal.Watching})
		}
	}
	f.autoOn(ids...)

	before := f.requests()
	f.cycle()
	first := f.requests().minus(before)
	// Two detection requests (500 users each) learn AniList's clock; then
	// each user costs 2 list reads, 1 MAL read (their manga lists are empty)
	// and a write for half of them.
	if want := (requests{recent: 2, lists: 2 * users, malReads: users, malWrites: users / 2}); first != want {
		t.Errorf("first cycle: %+v, want %+v", first, want)
	}

	before = f.requests()
	sum := f.cycle()
	quiet := f.requests().minus(before)
	t.Logf("quiet cycle of %d users: %+v; %s", users, quiet, sum)
	if quiet != (requests{recent: 2}) {
		t.Errorf("quiet cycle: %+v, want 2 detection requests and nothing else", quiet)
	}
	if quiet.recent+quiet.lists > 50 {
		t.Errorf("quiet cycle used %d AniList requests, over the target of 50", quiet.recent+quiet.lists)
	}

	for i := range 10 {
		id := i*97 + 1
		e := anime(100_000+id, id%500+1, "Show", anilist.Completed)
		f.anilist.SetEntry(id, e)
	}
	before = f.requests()
	f.cycle()
	busy := f.requests().minus(before)
	t.Logf("cycle of %d users, 10 edited: %+v", users, busy)
	// Each edited user costs one list read (the edit is to a known anime),
	// one MAL read and one write.
	if busy != (requests{recent: 2, lists: 10, malReads: 10, malWrites: 10}) {
		t.Errorf("cycle with 10 edits: %+v", busy)
	}
}

// TestDetectionPagesUntilCursors checks that a user with many edits makes
// the detector page on, and that the next check is back to one request.
func TestDetectionPagesUntilCursors(t *testing.T) {
	f := newFixture(t)
	f.link("busy", 1)
	f.link("quiet", 2)
	f.anilist.SetEntry(2, anime(900, 90, "Quiet Show", anilist.Completed))
	f.autoOn("busy", "quiet")
	f.cycle()

	for i := range 120 {
		f.anilist.SetEntry(1, anime(1000+i, 100+i, "Busy Show", anilist.Current))
	}
	before := f.requests()
	f.cycle()
	got := f.requests().minus(before)
	// 121 rows newer than the quiet user's cursor: 3 pages to rule them out.
	if got != (requests{recent: 3, lists: 2, malReads: 1, malWrites: 120}) {
		t.Errorf("cycle after 120 edits: %+v", got)
	}
	before = f.requests()
	f.cycle()
	if got := f.requests().minus(before); got != (requests{recent: 1}) {
		t.Errorf("next cycle: %+v, want one request", got)
	}
}

// TestDetectionPageCap checks that a chunk needing more than MaxPages pages
// syncs its undecided users instead of missing their edits.
func TestDetectionPageCap(t *testing.T) {
	f := newFixture(t, func(c *listsync.Config) { c.MaxPages = 1 })
	f.link("busy", 1)
	f.link("quiet", 2)
	f.anilist.SetEntry(2, anime(900, 90, "Quiet Show", anilist.Completed))
	f.autoOn("busy", "quiet")
	f.cycle()
	for i := range 60 {
		f.anilist.SetEntry(1, anime(1000+i, 100+i, "Busy Show", anilist.Current))
	}
	before := f.requests()
	f.cycle()
	got := f.requests().minus(before)
	// One page; the quiet user stays undecided and is synced (2 list reads;
	// nothing to write, so no MAL read).
	if got != (requests{recent: 1, lists: 4, malReads: 1, malWrites: 60}) {
		t.Errorf("capped cycle: %+v", got)
	}
}

// TestTickSpreadsUsers checks that each tick syncs only the users whose turn
// came up, that the turns cover everyone once per interval, and that a late
// tick catches up the turns it skipped.
func TestTickSpreadsUsers(t *testing.T) {
	const users = 50
	f := newFixture(t)
	ids := make([]string, users)
	for i := range users {
		ids[i] = fmt.Sprint("user", i+1)
		f.link(ids[i], i+1)
	}
	f.autoOn(ids...)

	synced := func() int {
		n := 0
		for _, id := range ids {
			if st, err := f.svc.Status(id); err == nil && !st.LastRun.IsZero() {
				n++
			}
		}
		return n
	}
	step := f.svc.TickEvery()
	if step != listsync.DefaultInterval/listsync.DefaultSlots {
		t.Fatalf("TickEvery = %v", step)
	}
	var counts []int
	for range listsync.DefaultSlots - 2 {
		if _, err := f.svc.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, synced())
		f.advance(step)
	}
	for i := 1; i < len(counts); i++ {
		if counts[i] <= counts[i-1] || counts[i] == users {
			t.Fatalf("synced users after each tick: %v; want a share more each time", counts)
		}
	}
	// The scheduler was late: two turns passed. The tick does both.
	f.advance(step)
	if _, err := f.svc.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := synced(); n != users {
		t.Errorf("after a whole interval %d of %d users were synced (ticks: %v)", n, users, counts)
	}
	st, _ := f.svc.Status(ids[0])
	if now := f.clock(); !st.NextCheck.After(now) || st.NextCheck.After(now.Add(listsync.DefaultInterval)) {
		t.Errorf("NextCheck %v is not within an interval of %v", st.NextCheck, now)
	}
}

// TestReconcileCatchesDeletes checks that the daily reconcile sees a
// deletion the detector cannot, and compares every entry.
func TestReconcileCatchesDeletes(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Current))
	f.anilist.SetEntry(1, anime(102, 2, "Dandadan", anilist.Planning))
	f.autoOn("u1")
	if err := f.svc.SetMirrorDeletes("u1", true); err != nil {
		t.Fatal(err)
	}
	f.cycle()
	f.anilist.DeleteEntry(1, 102)
	f.mal.SetEntry(1, mal.Anime, 1, mal.ListStatus{Status: mal.Dropped}) // edited on MAL by hand

	before := f.requests()
	f.cycle()
	if got := f.requests().minus(before); got != (requests{recent: 1}) {
		t.Errorf("cycle after a deletion: %+v; the detector should see nothing", got)
	}
	f.advance(36 * time.Hour)
	f.cycle()
	checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{1: {Status: mal.Watching}})
	runs, _ := f.svc.Log("u1", 1)
	if len(runs) != 1 || !runs[0].Full || runs[0].Counts.Deleted != 1 || runs[0].Counts.Updated != 1 {
		t.Errorf("reconcile run: %+v", runs)
	}
}

// TestTurningAutoOnSyncsAtNextTurn checks that a user who synced by hand
// and then turns auto-sync on is synced at the next turn without the
// detector paging back to their old cursor, and only checked after that.
func TestTurningAutoOnSyncsAtNextTurn(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Current))
	f.sync("u1", false)
	f.autoOn("u1")
	before := f.requests()
	f.cycle()
	if got := f.requests().minus(before); got != (requests{recent: 1, lists: 2}) {
		t.Errorf("first cycle after /sync on: %+v, want a sync", got)
	}
	before = f.requests()
	f.cycle()
	if got := f.requests().minus(before); got != (requests{recent: 1}) {
		t.Errorf("second cycle: %+v, want only the check", got)
	}
}

package listsync_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"dubbot/listsync"
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

// TestMALUnauthorizedPausesOnce checks the re-authorization path: a 401
// from MAL (on the list read, or on a write) pauses the user and calls
// MALUnauthorized once however many cycles follow, and linking MAL again
// resumes the sync with a full comparison.
func TestMALUnauthorizedPausesOnce(t *testing.T) {
	cases := []struct {
		name   string
		refuse func(f *fixture)
	}{
		{"token refused on the list read", func(f *fixture) { f.mal.ExpireAccessTokens(1) }},
		{"token refused on a write", func(f *fixture) { f.mal.FailNext(maltest.PatchAnime, http.StatusUnauthorized, 0) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.link("u1", 1)
			f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Current))
			f.anilist.SetEntry(1, anime(102, 2, "Dandadan", anilist.Current))
			f.autoOn("u1")
			f.cycle()

			c.refuse(f)
			f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Completed))
			f.anilist.SetEntry(1, anime(102, 2, "Dandadan", anilist.Completed))
			f.cycle()
			if st, _ := f.svc.Status("u1"); !st.Paused || !strings.Contains(st.LastError, "/link mal") {
				t.Errorf("after the 401: status %+v, want paused", st)
			}
			before := f.requests()
			f.cycle()
			f.cycle()
			if n := f.accounts.unauthorizedCalls("u1"); n != 1 {
				t.Errorf("MALUnauthorized called %d times, want once", n)
			}
			if got := f.requests().minus(before); got != (requests{}) {
				t.Errorf("cycles of a paused user sent %+v", got)
			}
			if _, err := f.svc.Sync(t.Context(), "u1", false); !errors.Is(err, listsync.ErrReauthorize) {
				t.Errorf("/sync now while paused: err = %v, want ErrReauthorize", err)
			}

			f.accounts.relinkMAL("u1")
			f.cycle()
			checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{1: {Status: mal.Completed}, 2: {Status: mal.Completed}})
			st, _ := f.svc.Status("u1")
			runs, _ := f.svc.Log("u1", 1)
			if st.Paused || st.LastError != "" || len(runs) != 1 || !runs[0].Full {
				t.Errorf("after linking again: status %+v, last run %+v", st, runs)
			}
			if n := f.accounts.unauthorizedCalls("u1"); n != 1 {
				t.Errorf("MALUnauthorized called %d times in all, want once", n)
			}
		})
	}
}

// TestTransientFailureResumes checks that a write MAL keeps failing is put
// back and written at the next turn, and that the entries written before are
// not written again.
func TestTransientFailureResumes(t *testing.T) {
	f := newFixture(t, func(c *listsync.Config) { c.Attempts = 2 })
	f.link("u1", 1)
	for i := range 3 {
		f.anilist.SetEntry(1, anime(101+i, 1+i, "Show", anilist.Current))
	}
	f.autoOn("u1")
	f.cycle()
	for i := range 3 {
		e := anime(101+i, 1+i, "Show", anilist.Current)
		e.Progress = 4
		f.anilist.SetEntry(1, e)
	}

	// MAL fails the first write twice: both attempts; the other two go through.
	f.mal.FailNext(maltest.PatchAnime, http.StatusInternalServerError, 0)
	f.mal.FailNext(maltest.PatchAnime, http.StatusBadGateway, 0)
	before := f.requests()
	f.cycle()
	if got := f.requests().minus(before).malWrites; got != 4 {
		t.Errorf("first cycle sent %d writes, want 4 (two tries of one, then two)", got)
	}
	runs, _ := f.svc.Log("u1", 1)
	if c := runs[0].Counts; c.Updated != 2 || c.Failed != 1 || !strings.Contains(runs[0].Changes[0].Error, "HTTP 502") {
		t.Errorf("run with a failed write: %+v", runs[0])
	}
	if st, _ := f.svc.Status("u1"); !st.Pending {
		t.Errorf("status after a failed write: %+v, want pending", st)
	}

	before = f.requests()
	f.cycle()
	if got := f.requests().minus(before); got.malWrites != 1 {
		t.Errorf("retry cycle: %+v, want the one failed write only", got)
	}
	checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{
		1: {Status: mal.Watching, Progress: 4}, 2: {Status: mal.Watching, Progress: 4}, 3: {Status: mal.Watching, Progress: 4},
	})
	before = f.requests()
	f.cycle()
	if got := f.requests().minus(before); got != (requests{recent: 1}) {
		t.Errorf("cycle after the retry: %+v, want only the check", got)
	}
}

// TestCutShortRunResumes stops a first sync after a few writes, as a
// deadline or a crash would, and checks that the next sync writes only the
// rest: no entry is written twice.
func TestCutShortRunResumes(t *testing.T) {
	cases := []struct {
		name string
		stop func(cancel context.CancelFunc)
	}{
		{"deadline", func(cancel context.CancelFunc) { cancel() }},
		{"crash", func(context.CancelFunc) { panic(errCrash) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.link("u1", 1)
			want := make(map[int]mal.ListStatus)
			for i := range 5 {
				f.anilist.SetEntry(1, anime(101+i, 1+i, "Show", anilist.Planning))
				want[1+i] = mal.ListStatus{Status: mal.PlanToWatch}
			}
			ctx, cancel := context.WithCancel(t.Context())
			var writes atomic.Int32
			f.accounts.afterMAL = func(req *http.Request) {
				if req.Method == http.MethodPatch && writes.Add(1) == 3 {
					c.stop(cancel)
				}
			}
			syncUntilStopped(t, f, ctx)
			f.accounts.afterMAL = nil
			f.restart()
			// The user edits an entry already synced on MAL: AniList did not
			// change it since, so the resumed sync must leave it alone.
			f.mal.SetEntry(1, mal.Anime, 1, mal.ListStatus{Status: mal.Dropped})
			want[1] = mal.ListStatus{Status: mal.Dropped}

			f.sync("u1", false)
			checkList(t, f, 1, mal.Anime, want)
			if n := f.requests().malWrites; n != 5 {
				t.Errorf("%d writes for 5 entries: some were written twice", n)
			}
		})
	}
}

var errCrash = errors.New("crash")

// syncUntilStopped runs a sync that is cut short by a cancel or a crash.
func syncUntilStopped(t *testing.T, f *fixture, ctx context.Context) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil && p != errCrash {
			panic(p)
		}
	}()
	run, err := f.svc.Sync(ctx, "u1", false)
	if err != nil || run.Counts.Updated > 3 || len(run.Errors) == 0 {
		t.Fatalf("cut-short sync: err %v, run %+v", err, run)
	}
}

// TestPermanentFailureNotRetried checks that a write MAL refuses for good
// is logged and not tried every turn, until the entry changes again.
func TestPermanentFailureNotRetried(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Current))
	f.autoOn("u1")
	f.mal.FailNext(maltest.PatchAnime, http.StatusBadRequest, 0)
	f.cycle()
	if st, _ := f.svc.Status("u1"); st.Pending || !strings.Contains(st.LastError, "could not be written") {
		t.Errorf("status after a refused write: %+v", st)
	}
	before := f.requests()
	f.cycle()
	if got := f.requests().minus(before); got != (requests{recent: 1}) {
		t.Errorf("cycle after a refused write: %+v, want no retry", got)
	}
	e := anime(101, 1, "Frieren", anilist.Current)
	e.Progress = 1
	f.anilist.SetEntry(1, e)
	f.cycle()
	checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{1: {Status: mal.Watching, Progress: 1}})
}

// TestThrottlingIsWaitedOut checks that 429s from AniList (on the check and
// on a list read) and MAL's 429 and 403 slow the shared limiters down and
// are retried, and the syncs complete.
func TestThrottlingIsWaitedOut(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	f.anilist.SetEntry(1, anime(101, 1, "Frieren", anilist.Current))
	f.autoOn("u1")
	f.anilist.RateLimit(2, 0) // the check, twice
	f.mal.FailNext(maltest.PatchAnime, http.StatusTooManyRequests, 0)
	f.mal.FailNext(maltest.PatchAnime, http.StatusForbidden, 0)

	f.cycle()
	checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{1: {Status: mal.Watching}})
	if got := f.requests(); got != (requests{recent: 3, lists: 2, malReads: 1, malWrites: 3}) {
		t.Errorf("requests = %+v", got)
	}

	// A 429 on a list read, in a sync by hand.
	e := anime(101, 1, "Frieren", anilist.Current)
	e.Progress = 2
	f.anilist.SetEntry(1, e)
	f.anilist.RateLimit(1, 0)
	before := f.requests()
	f.sync("u1", false)
	if got := f.requests().minus(before); got != (requests{lists: 3, malReads: 1, malWrites: 1}) {
		t.Errorf("sync with a 429: %+v", got)
	}
	checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{1: {Status: mal.Watching, Progress: 2}})
	if p := f.aniLim.Stats().Penalties; p != 3 {
		t.Errorf("AniList limiter penalties = %d, want 3", p)
	}
	if p := f.malLim.Stats().Penalties; p != 2 {
		t.Errorf("MAL limiter penalties = %d, want 2 (the 429 and the 403)", p)
	}
}

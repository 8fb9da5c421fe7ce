package listsync

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"testing"
	"time"

	"dubbot/syncer"
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

func TestDecide(t *testing.T) {
	chunk := func() []candidate {
		return []candidate{
			{userID: "due", cursor: 10, due: true},
			{userID: "edited", cursor: 50},
			{userID: "old", cursor: 20},
			{userID: "quiet", cursor: 90},
		}
	}
	cases := []struct {
		name    string
		changed map[string]map[int]bool // what the rows flagged
		more    bool                    // older rows left unread
		last    int64                   // the oldest row read
		want    map[string]map[int]bool
		raise   map[string]int64
	}{
		{
			name:    "every page read",
			changed: map[string]map[int]bool{"edited": {7: true}},
			want:    map[string]map[int]bool{"edited": {7: true}},
			raise:   map[string]int64{"old": 99, "quiet": 99},
		},
		{
			name:    "stopped below every cursor",
			changed: map[string]map[int]bool{"edited": {7: true}},
			more:    true, last: 20,
			want:  map[string]map[int]bool{"edited": {7: true}},
			raise: map[string]int64{"old": 99, "quiet": 99},
		},
		{
			name:    "stopped above some cursors: those users are synced, with both lists",
			changed: map[string]map[int]bool{"edited": {7: true}},
			more:    true, last: 60,
			want:  map[string]map[int]bool{"edited": nil, "old": nil},
			raise: map[string]int64{"quiet": 99},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := found{changed: c.changed, raise: map[string]int64{}, bound: 99}
			f.decide(chunk(), c.more, c.last)
			if !maps.EqualFunc(f.changed, c.want, maps.Equal) || !maps.Equal(f.raise, c.raise) {
				t.Errorf("changed %v, raise %v; want %v, %v", f.changed, f.raise, c.want, c.raise)
			}
		})
	}
}

func TestMinUndecided(t *testing.T) {
	chunk := []candidate{{userID: "a", cursor: 5, due: true}, {userID: "b", cursor: 7}, {userID: "c", cursor: 9}}
	cases := []struct {
		changed map[string]map[int]bool
		want    int64
	}{
		{nil, 7},
		{map[string]map[int]bool{"b": {1: true}}, 9},
		{map[string]map[int]bool{"b": {1: true}, "c": nil}, 1<<63 - 1},
	}
	for _, c := range cases {
		if got := minUndecided(chunk, c.changed); got != c.want {
			t.Errorf("minUndecided with %v = %d, want %d", c.changed, got, c.want)
		}
	}
}

func TestTypesToRead(t *testing.T) {
	state := syncer.State{1: {Media: mal.Anime}, 2: {Media: mal.Manga}, 3: {Media: mal.Anime}}
	both := map[mal.Media]bool{mal.Anime: true, mal.Manga: true}
	cases := []struct {
		edited map[int]bool
		want   map[mal.Media]bool
	}{
		{nil, both},
		{map[int]bool{1: true, 3: true}, map[mal.Media]bool{mal.Anime: true}},
		{map[int]bool{2: true}, map[mal.Media]bool{mal.Manga: true}},
		{map[int]bool{1: true, 2: true}, both},
		{map[int]bool{1: true, 99: true}, both}, // 99 is new: of unknown type
	}
	for _, c := range cases {
		if got := typesToRead(state, c.edited); !maps.Equal(got, c.want) {
			t.Errorf("typesToRead(%v) = %v, want %v", c.edited, got, c.want)
		}
	}
}

func TestTransient(t *testing.T) {
	cases := []struct {
		err   error
		retry bool
		after time.Duration
	}{
		{nil, false, 0},
		{&mal.HTTPError{Status: 429, RetryAfter: 3 * time.Second}, true, 3 * time.Second},
		{&mal.HTTPError{Status: 403}, true, 0},
		{&mal.HTTPError{Status: 503}, true, 0},
		{&mal.HTTPError{Status: 401}, false, 0},
		{&mal.HTTPError{Status: 400}, false, 0},
		{fmt.Errorf("update: %w", &anilist.Error{Status: 429, RetryAfter: time.Minute}), true, time.Minute},
		{&anilist.Error{Status: 500}, true, 0},
		{&anilist.Error{Status: 404}, false, 0},
		{&url.Error{Op: "Post", URL: "x", Err: context.DeadlineExceeded}, true, 0},
		{context.Canceled, false, 0},
		{errors.New("decode answer: bad json"), false, 0},
	}
	for _, c := range cases {
		retry, after := transient(c.err)
		if retry != c.retry || after != c.after {
			t.Errorf("transient(%v) = %t, %v; want %t, %v", c.err, retry, after, c.retry, c.after)
		}
	}
}

func TestDescribeHidesInternals(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("mal list: %w", &mal.HTTPError{Status: 401}), "use /link mal"},
		{&mal.HTTPError{Status: 500, Message: "oops"}, "MyAnimeList answered HTTP 500 (oops); the next sync tries again"},
		{&mal.HTTPError{Status: 400, Message: "invalid score"}, "MyAnimeList answered HTTP 400 (invalid score)"},
		{&anilist.Error{Status: 404, Message: "Not Found."}, "AniList answered HTTP 404 (Not Found.)"},
		{fmt.Errorf("wait: %w", context.DeadlineExceeded), "ran out of time"},
		{errors.New("open /secret/path: token abc"), "something went wrong on dubbot's side"},
	}
	for _, c := range cases {
		if got := describe(c.err); !strings.Contains(got, c.want) {
			t.Errorf("describe(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func testService() *Service {
	return &Service{cfg: Config{Interval: 25 * time.Minute, Slots: 5, ReconcileEvery: 24 * time.Hour}}
}

func TestDueSlots(t *testing.T) {
	s := testService()
	base := time.Unix(0, 0).Add(1000 * 25 * time.Minute) // the start of slot 0's turn
	cases := []struct {
		at   time.Duration // since base
		want []int
	}{
		{0, []int{0}},                                      // the first tick: its own turn
		{5 * time.Minute, []int{1}},                        // on time
		{5*time.Minute + time.Second, nil},                 // twice in one turn: nothing more
		{17 * time.Minute, []int{2, 3}},                    // late: the skipped turn too
		{17*time.Minute + time.Hour, []int{0, 1, 2, 3, 4}}, // very late: everyone once
	}
	for _, c := range cases {
		got := s.dueSlots(base.Add(c.at))
		want := make(map[int]bool)
		for _, slot := range c.want {
			want[slot] = true
		}
		if !maps.Equal(got, want) {
			t.Errorf("dueSlots at +%v = %v, want %v", c.at, got, want)
		}
	}
}

func TestSlotsSpreadUsers(t *testing.T) {
	s := testService()
	counts := make([]int, s.cfg.Slots)
	for i := range 10_000 {
		counts[s.slot(fmt.Sprint(100000000000000000+i*7919))]++
	}
	for slot, n := range counts {
		if n < 1800 || n > 2200 {
			t.Errorf("slot %d has %d of 10,000 users; want about 2,000 (%v)", slot, n, counts)
		}
	}
}

func TestReconcileDue(t *testing.T) {
	s := testService()
	user := "123456789"
	offset := time.Duration(hash(user+"/reconcile") % uint64(24*time.Hour))
	day := time.Unix(0, 0).Add(20000 * 24 * time.Hour)
	at := day.Add(offset) // the user's reconcile time that day
	cases := []struct {
		name      string
		last, now time.Time
		want      bool
	}{
		{"never", time.Time{}, at, true},
		{"reconciled yesterday, before the time", at.Add(-25 * time.Hour), at.Add(time.Minute), true},
		{"reconciled yesterday, not yet the time", at.Add(-23 * time.Hour), at.Add(-time.Minute), false},
		{"reconciled an hour before the time", at.Add(-time.Hour), at.Add(time.Minute), false},
		{"reconciled since the time", at.Add(time.Minute), at.Add(2 * time.Minute), false},
	}
	for _, c := range cases {
		if got := s.reconcileDue(user, c.last, c.now); got != c.want {
			t.Errorf("%s: reconcileDue = %t, want %t", c.name, got, c.want)
		}
	}
}

func TestNextTurn(t *testing.T) {
	s := testService()
	now := time.Unix(0, 0).Add(1000*25*time.Minute + 7*time.Minute)
	for i := range 20 {
		user := fmt.Sprint("user", i)
		next := s.nextTurn(user, now)
		if !next.After(now) || next.Sub(now) > 25*time.Minute || s.turn(next)%5 != int64(s.slot(user)) {
			t.Errorf("nextTurn(%s) = %v from %v: not the user's next turn", user, next, now)
		}
	}
}

func TestRefused(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{&mal.HTTPError{Status: 400}, true},
		{fmt.Errorf("mal update anime 1: %w", &mal.HTTPError{Status: 404}), true},
		{&mal.HTTPError{Status: 401}, false}, // the token: re-authorization, not this entry
		{&mal.HTTPError{Status: 403}, false}, // MAL's throttling
		{&mal.HTTPError{Status: 429}, false},
		{&mal.HTTPError{Status: 500}, false},
		{errors.New("link: the account must be authorized again"), false}, // unknown: put back
		{&url.Error{Op: "Patch", URL: "x", Err: errors.New("connection reset")}, false},
	}
	for _, c := range cases {
		if got := refused(c.err); got != c.want {
			t.Errorf("refused(%v) = %t, want %t", c.err, got, c.want)
		}
	}
}

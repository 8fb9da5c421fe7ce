package dubs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/catalog"
	"dubbot/queue"
	"dubbot/store"
	"dubbot/upstream/animeschedule"
	"dubbot/upstream/dubinfo/dubinfotest"
	"dubbot/upstream/forum"
	"dubbot/upstream/forum/forumtest"
)

type fixture struct {
	db      *store.DB
	svc     *Service
	list    *dubinfotest.Server
	page    *forumtest.Server
	catalog *catalog.Catalog
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, list: dubinfotest.New(), page: forumtest.New(), catalog: catalog.New(db, nil, nil)}
	t.Cleanup(f.list.Close)
	t.Cleanup(f.page.Close)
	f.svc = f.service(t)
	return f
}

// service makes a Service over the fixture's store, as a restart would.
func (f *fixture) service(t *testing.T) *Service {
	t.Helper()
	svc, err := New(f.db, Config{DubInfoURL: f.list.URL(), AiringURL: f.page.URL(), Catalog: f.catalog})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func (f *fixture) events(t *testing.T) []Event {
	t.Helper()
	var evs []Event
	if err := f.db.View(func(tx *store.Tx) (err error) { evs, err = Events(tx); return }); err != nil {
		t.Fatal(err)
	}
	return evs
}

func ids(n, from int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

func TestDubListRefreshDiffsIntoEvents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.list.SetBody(dubinfotest.RenderIDs(ids(20, 1), []int{100, 101}))
	sum, err := f.svc.RefreshList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Dubbed != 20 || sum.Partial != 2 || sum.Events != 0 {
		t.Fatalf("first load = %+v; want no events", sum)
	}
	// 101 completes its dub, 500 is newly dubbed, 102 newly partial.
	f.list.SetBody(dubinfotest.RenderIDs(append(ids(20, 1), 101, 500), []int{100, 102}))
	sum, err = f.svc.RefreshList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.NewlyDubbed != 2 || sum.Completed != 1 || sum.Events != 3 {
		t.Fatalf("second load = %+v", sum)
	}
	kinds := map[string]EventKind{}
	for _, ev := range f.events(t) {
		kinds[ev.ID] = ev.Kind
	}
	if kinds["dub-completed/101"] != DubCompleted || kinds["newly-dubbed/500"] != NewlyDubbed || kinds["newly-dubbed/102"] != NewlyDubbed {
		t.Errorf("events = %v", kinds)
	}
	// Unchanged: the conditional GET gets a 304 and nothing is recorded.
	sum, err = f.svc.RefreshList(ctx)
	if err != nil || !sum.NotModified || f.list.NotModified() != 1 {
		t.Fatalf("unchanged refresh = %+v, %v (304s: %d)", sum, err, f.list.NotModified())
	}
	if got := f.svc.Status(101); got != anime.DubDubbed {
		t.Errorf("status(101) = %v", got)
	}
	if got := f.svc.Status(100); got != anime.DubPartial {
		t.Errorf("status(100) = %v", got)
	}
}

func TestBrokenDubListKeepsTheLastGoodOne(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.list.SetBody(dubinfotest.RenderIDs(ids(50, 1), nil))
	if _, err := f.svc.RefreshList(ctx); err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"not JSON":        []byte(`{"dubbed": [1, 2,]}`),
		"no dubbed array": []byte(`{"incomplete": [1]}`),
		"non-integer ids": []byte(`{"dubbed": [1, "two", 3.5]}`),
		"shrunk by half":  dubinfotest.RenderIDs(ids(25, 1), nil),
	}
	for name, body := range bad {
		f.list.SetBody(body)
		_, err := f.svc.RefreshList(ctx)
		if err == nil || !strings.Contains(err.Error(), "keeping the last good copy") {
			t.Errorf("%s: err = %v", name, err)
		}
		if dubbed, _, _ := f.svc.Counts(); dubbed != 50 {
			t.Errorf("%s: in-memory list now has %d dubbed, want the last good 50", name, dubbed)
		}
	}
	// The last good copy also survives a restart.
	if dubbed, _, _ := f.service(t).Counts(); dubbed != 50 {
		t.Errorf("after restart: %d dubbed", dubbed)
	}
}

func schedule(shows ...forum.Show) *forum.Schedule {
	return &forum.Schedule{LastUpdated: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Shows: shows,
		Lists: []forum.Item{{Section: "Upcoming Dubbed Anime", Title: "Some Movie", MALID: 777, Date: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)}}}
}

func TestAiringRefreshRecordsEachNewEpisode(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.page.SetPage(forumtest.Render(schedule(
		forum.Show{MALID: 52991, Title: "Frieren", Weekday: time.Friday, Episodes: 5, Total: 28},
		forum.Show{MALID: 21, Title: "One Piece", Weekday: time.Sunday, Episodes: 1100},
	)))
	sum, err := f.svc.RefreshAiring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Shows != 2 || sum.NewEpisodes != 0 || sum.QueuedDetails != 3 {
		t.Fatalf("first read = %+v", sum)
	}
	// Frieren jumps two episodes; One Piece is corrected downwards.
	next := schedule(
		forum.Show{MALID: 52991, Title: "Frieren", Weekday: time.Friday, Episodes: 7, Total: 28},
		forum.Show{MALID: 21, Title: "One Piece", Weekday: time.Sunday, Episodes: 1099},
	)
	next.Lists = append(next.Lists, forum.Item{Section: "Upcoming SimulDubbed Anime for Winter 2027", Title: "New Show", MALID: 888})
	f.page.SetPage(forumtest.Render(next))
	sum, err = f.svc.RefreshAiring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.NewEpisodes != 2 || sum.Announced != 1 {
		t.Fatalf("second read = %+v", sum)
	}
	got := map[string]bool{}
	for _, ev := range f.events(t) {
		got[ev.ID] = true
	}
	for _, want := range []string{"episode/52991/6", "episode/52991/7", "dub-announced/888"} {
		if !got[want] {
			t.Errorf("missing event %s in %v", want, got)
		}
	}
	// The same page again records nothing new.
	if sum, _ = f.svc.RefreshAiring(ctx); sum.NewEpisodes != 0 || sum.Announced != 0 {
		t.Errorf("repeat read = %+v", sum)
	}
	info := f.svc.Info(52991)
	if info.Status != anime.DubAiring || info.Airing.Episodes != 7 || info.Airing.Weekday != time.Friday {
		t.Errorf("Info = %+v", info)
	}
	items, _ := queue.New(f.db, queue.Options{}).Items(queue.Pending)
	if len(items) != 4 || items[0].Priority != queue.High {
		t.Errorf("queued details = %+v", items)
	}
}

func TestUnusableAiringPageKeepsTheLastGoodList(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.page.SetPage(forumtest.Render(schedule(forum.Show{MALID: 1, Title: "A", Weekday: time.Monday, Episodes: 3})))
	if _, err := f.svc.RefreshAiring(ctx); err != nil {
		t.Fatal(err)
	}
	f.page.SetPage("<html><body><p>The forum is down for maintenance</p></body></html>")
	_, err := f.svc.RefreshAiring(ctx)
	if err == nil || !errors.Is(err, forum.ErrNoShows) {
		t.Fatalf("err = %v, want ErrNoShows", err)
	}
	if f.svc.Info(1).Status != anime.DubAiring {
		t.Error("the last good list was dropped")
	}
}

func TestUnreadableLinesAreCountedNotFatal(t *testing.T) {
	f := newFixture(t)
	page := forumtest.Render(schedule(
		forum.Show{MALID: 1, Title: "Readable", Weekday: time.Monday, Episodes: 3, Total: 12},
		forum.Show{MALID: 2, Title: "Also readable", Weekday: time.Tuesday, Episodes: 1},
	))
	// Two hand-edited lines the parser cannot make sense of.
	broken := `<li>Mystery Show without a link (Episodes: 4/12)</li>
<li><a href="https://myanimelist.net/anime/3/X">Counter missing</a></li>
`
	page = strings.Replace(page, "<li>None</li>", broken, 1)
	f.page.SetPage(page)
	sum, err := f.svc.RefreshAiring(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Shows != 2 || sum.Skipped != 2 || !strings.Contains(sum.String(), "2 lines unreadable") {
		t.Errorf("summary = %+v (%s)", sum, sum)
	}
}

type fixedTimetable map[int]animeschedule.NextEpisode

func (f fixedTimetable) Next(ctx context.Context, now time.Time) (map[int]animeschedule.NextEpisode, error) {
	return f, nil
}

// With exact times, an episode is announced when its time passes, and the
// forum counter catching up later records nothing new.
func TestExactReleaseTimesBecomeEventsOnce(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	svc, err := New(f.db, Config{DubInfoURL: f.list.URL(), AiringURL: f.page.URL(), Now: func() time.Time { return now },
		Timetable: fixedTimetable{52991: {MALID: 52991, Title: "Frieren", Episode: 6, At: now.Add(time.Hour)}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f.page.SetPage(forumtest.Render(schedule(forum.Show{MALID: 52991, Title: "Frieren", Weekday: time.Friday, Episodes: 5, Total: 28})))
	if _, err := svc.RefreshAiring(ctx); err != nil {
		t.Fatal(err)
	}
	if info := svc.Info(52991); info.Next == nil || info.Next.Episode != 6 {
		t.Fatalf("Info.Next = %+v", info.Next)
	}
	if sum, _ := svc.RecordReleases(ctx); !strings.HasPrefix(sum, "0 ") {
		t.Errorf("before the release time: %s", sum)
	}
	now = now.Add(2 * time.Hour)
	if sum, _ := svc.RecordReleases(ctx); !strings.HasPrefix(sum, "1 ") {
		t.Errorf("after the release time: %s", sum)
	}
	if sum, _ := svc.RecordReleases(ctx); !strings.HasPrefix(sum, "0 ") {
		t.Errorf("a second check recorded again: %s", sum)
	}
	f.page.SetPage(forumtest.Render(schedule(forum.Show{MALID: 52991, Title: "Frieren", Weekday: time.Friday, Episodes: 6, Total: 28})))
	if sum, _ := svc.RefreshAiring(ctx); sum.NewEpisodes != 0 {
		t.Errorf("the forum counter catching up recorded %d new episodes", sum.NewEpisodes)
	}
	if n := len(f.events(t)); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}

package listsync_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"dubbot/listsync"
	"dubbot/ratelimit"
	"dubbot/store"
	"dubbot/upstream/anilist/anilisttest"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

// fixture is the sync service between a fake AniList and a fake MAL, with
// users linked through an Accounts double.
type fixture struct {
	t        *testing.T
	anilist  *anilisttest.Server
	mal      *maltest.Server
	db       *store.DB
	accounts *accounts
	svc      *listsync.Service
	aniLim   *ratelimit.Limiter
	malLim   *ratelimit.Limiter
	// transport keeps a connection per worker open, as the bot's do.
	transport *http.Transport
	cfg       listsync.Config

	mu  sync.Mutex
	now time.Time
}

// newFixture starts the fakes and the service; change tunes its config.
func newFixture(t *testing.T, change ...func(*listsync.Config)) *fixture {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{
		t: t, anilist: anilisttest.New(t), mal: maltest.New(t), db: db,
		now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		// No budget in tests, only penalties, and short ones.
		aniLim: ratelimit.New("anilist", nil, ratelimit.WithMinPenalty(time.Millisecond)),
		malLim: ratelimit.New("mal", nil, ratelimit.WithMinPenalty(time.Millisecond)),
	}
	f.transport = http.DefaultTransport.(*http.Transport).Clone()
	f.transport.MaxIdleConnsPerHost = 32
	t.Cleanup(f.transport.CloseIdleConnections)
	f.accounts = &accounts{f: f, users: make(map[string]*linked), unauthorized: make(map[string]int)}
	cfg := listsync.Config{
		DB: db, Accounts: f.accounts,
		AniListEndpoint: f.anilist.Endpoint(), MALBaseURL: f.mal.APIURL(),
		AniListLimiter: f.aniLim, MALLimiter: f.malLim, Transport: f.transport,
		Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		AniListPenalty: time.Millisecond, MALPenalty: time.Millisecond,
		Now: f.clock,
	}
	for _, c := range change {
		c(&cfg)
	}
	f.cfg = cfg
	f.restart()
	return f
}

// restart replaces the service with a new one on the same store, as a new
// process would.
func (f *fixture) restart() {
	svc, err := listsync.New(f.cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	f.svc = svc
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// link adds a user on both fakes and links them: Discord user userID is
// AniList user id and MAL user id.
func (f *fixture) link(userID string, id int) {
	f.anilist.AddUser(id, "al-"+userID)
	f.mal.AddUser(id, "mal-"+userID)
	f.accounts.mu.Lock()
	defer f.accounts.mu.Unlock()
	access, _ := f.mal.IssueTokens(id)
	f.accounts.users[userID] = &linked{anilistID: id, anilistToken: f.anilist.IssueToken(id), malID: id, malToken: access}
}

// malList is a user's MAL list of one media type without MAL's edit times.
func (f *fixture) malList(id int, m mal.Media) map[int]mal.ListStatus {
	out := f.mal.Entries(id, m)
	for k, v := range out {
		v.UpdatedAt = time.Time{}
		out[k] = v
	}
	return out
}

func (f *fixture) sync(userID string, preview bool) listsync.Run {
	f.t.Helper()
	run, err := f.svc.Sync(context.Background(), userID, preview)
	if err != nil {
		f.t.Fatalf("Sync(%s, preview %t): %v", userID, preview, err)
	}
	return run
}

func (f *fixture) cycle() string {
	f.t.Helper()
	sum, err := f.svc.Cycle(context.Background())
	if err != nil {
		f.t.Fatalf("Cycle: %v (%s)", err, sum)
	}
	return sum
}

// autoOn turns auto-sync on for the users, many at once as a busy bot would.
func (f *fixture) autoOn(userIDs ...string) {
	f.t.Helper()
	errs := make(chan error, len(userIDs))
	var wg sync.WaitGroup
	for _, id := range userIDs {
		wg.Go(func() { errs <- f.svc.SetAuto(id, true) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			f.t.Fatal(err)
		}
	}
}

// requests counts what the fakes were asked, by kind.
type requests struct{ recent, lists, malReads, malWrites int }

func (f *fixture) requests() requests {
	return requests{
		recent:    f.anilist.Count("RecentListUpdates"),
		lists:     f.anilist.Count("UserList"),
		malReads:  f.mal.Count(maltest.AnimeList) + f.mal.Count(maltest.MangaList),
		malWrites: f.mal.Count(maltest.PatchAnime) + f.mal.Count(maltest.PatchManga) + f.mal.Count(maltest.DeleteAnime) + f.mal.Count(maltest.DeleteManga),
	}
}

func (r requests) minus(o requests) requests {
	return requests{r.recent - o.recent, r.lists - o.lists, r.malReads - o.malReads, r.malWrites - o.malWrites}
}

// accounts is the Accounts double: tokens issued straight by the fakes,
// sent as "Authorization: Bearer".
type accounts struct {
	f            *fixture
	mu           sync.Mutex
	users        map[string]*linked
	unauthorized map[string]int // MALUnauthorized calls per user
	// afterMAL, when set, sees every MAL answer (to cut a run short).
	afterMAL func(*http.Request)
}

type linked struct {
	anilistID    int
	anilistToken string
	malID        int
	malToken     string
	reauth       bool // MALUnauthorized was called and MAL not linked again
}

func (a *accounts) user(userID string) (linked, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	u, ok := a.users[userID]
	if !ok {
		return linked{}, false
	}
	return *u, true
}

func (a *accounts) AniListUser(userID string) (int, bool, error) {
	u, ok := a.user(userID)
	return u.anilistID, ok && u.anilistToken != "", nil
}

func (a *accounts) AniListClient(_ context.Context, userID string) (*http.Client, error) {
	u, ok := a.user(userID)
	if !ok || u.anilistToken == "" {
		return nil, listsync.ErrNotLinked
	}
	return &http.Client{Transport: bearer{base: a.f.transport, token: u.anilistToken}}, nil
}

func (a *accounts) MALClient(_ context.Context, userID string) (*http.Client, error) {
	u, ok := a.user(userID)
	switch {
	case !ok || u.malToken == "":
		return nil, listsync.ErrNotLinked
	case u.reauth:
		return nil, listsync.ErrReauthorize
	}
	return &http.Client{Transport: bearer{base: a.f.transport, token: u.malToken, after: a.afterMAL}}, nil
}

func (a *accounts) MALUnauthorized(_ context.Context, userID string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.unauthorized[userID]++
	a.users[userID].reauth = true
	return nil
}

func (a *accounts) Linked(userID string) (bool, bool, error) {
	u, ok := a.user(userID)
	return ok && u.malToken != "", ok && u.anilistToken != "", nil
}

// relinkMAL is the user authorizing MAL again.
func (a *accounts) relinkMAL(userID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	u := a.users[userID]
	u.malToken, _ = a.f.mal.IssueTokens(u.malID)
	u.reauth = false
}

func (a *accounts) unauthorizedCalls(userID string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.unauthorized[userID]
}

// bearer adds a token, as the linking service's clients do.
type bearer struct {
	base  http.RoundTripper
	token string
	after func(*http.Request)
}

func (b bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := b.base.RoundTrip(req)
	if b.after != nil {
		b.after(req)
	}
	return resp, err
}

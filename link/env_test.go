package link

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"dubbot/bot/discord"
	"dubbot/notify"
	"dubbot/secret"
	"dubbot/store"
	"dubbot/upstream/anilist/anilisttest"
	"dubbot/upstream/mal/maltest"
)

// Accounts the fakes know.
const (
	discordUser = "111111111111111111"
	malUserID   = 101
	malUserName = "mal_user"
	alUserID    = 202
	alUserName  = "AniUser"
)

var ctx = context.Background()

// env is the service wired to fake MAL and AniList, a fake DM sender, a
// fake clock and a log buffer, with its Handler served on loopback.
type env struct {
	tb    testing.TB
	mal   *maltest.Server
	al    *anilisttest.Server
	db    *store.DB
	box   *secret.Box
	note  *notify.Service
	svc   *Service
	web   *httptest.Server
	clock *clock
	dms   *dmSender
	logs  *lockedBuffer
}

type options struct {
	noAniList bool // leave AniList unconfigured
}

func newEnv(tb testing.TB, opts ...options) *env {
	tb.Helper()
	var o options
	if len(opts) > 0 {
		o = opts[0]
	}
	e := &env{tb: tb, clock: &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}, dms: &dmSender{}, logs: &lockedBuffer{}}
	mux := http.NewServeMux()
	e.web = httptest.NewServer(mux)
	tb.Cleanup(e.web.Close)
	e.mal = maltest.New(tb)
	e.mal.AddUser(malUserID, malUserName)
	e.mal.RedirectURL = e.web.URL + "/oauth/mal/callback"
	e.al = anilisttest.New(tb)
	e.al.AddUser(alUserID, alUserName)

	db, err := store.Open(tb.TempDir(), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	e.db = db
	box, err := secret.New(bytes.Repeat([]byte{7}, secret.KeySize))
	if err != nil {
		tb.Fatal(err)
	}
	e.box = box
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.note = notify.New(db, e.dms, log)
	cfg := Config{
		PublicURL:   e.web.URL + "/",
		MALClientID: e.mal.ClientID, MALClientSecret: e.mal.ClientSecret,
		MALAuthURL: e.mal.URL + "/v1/oauth2", MALAPIURL: e.mal.APIURL(),
		AniListAuthURL: e.al.URL + "/api/v2/oauth", AniListAPIURL: e.al.Endpoint(),
		Logger: log, Now: e.clock.Now,
	}
	if !o.noAniList {
		cfg.AniListClientID, cfg.AniListClientSecret = e.al.ClientID, e.al.ClientSecret
	}
	e.svc = New(db, box, e.note, cfg)
	mux.Handle("/oauth/", e.svc.Handler())
	return e
}

// browse follows a URL as a browser would, redirects included, and
// returns the final status and page.
func (e *env) browse(u string) (int, string) {
	e.tb.Helper()
	resp, err := e.web.Client().Get(u)
	if err != nil {
		e.tb.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// callbackURL goes to the provider's authorize page without following its
// redirect, and returns the callback URL it sends the browser to.
func (e *env) callbackURL(authorize string) string {
	e.tb.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authorize)
	if err != nil {
		e.tb.Fatalf("GET %s: %v", authorize, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		e.tb.Fatalf("authorize page answered %d, want a redirect", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// authorize asks for the authorize URL of discordUser.
func (e *env) authorize(p Provider) string {
	e.tb.Helper()
	u, err := e.svc.AuthorizeURL(ctx, discordUser, p)
	if err != nil {
		e.tb.Fatalf("AuthorizeURL(%s): %v", p, err)
	}
	return u
}

// link runs the whole flow for discordUser and checks that it worked.
func (e *env) link(p Provider) Account {
	e.tb.Helper()
	status, page := e.browse(e.authorize(p))
	if status != http.StatusOK || !strings.Contains(page, "Account linked") {
		e.tb.Fatalf("linking %s: HTTP %d\n%s", p, status, page)
	}
	a, ok, err := e.svc.Account(discordUser, p)
	if err != nil || !ok {
		e.tb.Fatalf("Account(%s) after linking = %v, %v", p, ok, err)
	}
	return a
}

// linkCount is how many links the store holds.
func (e *env) linkCount(tb testing.TB) int {
	tb.Helper()
	var n int
	if err := e.db.View(func(tx *store.Tx) error {
		var err error
		n, err = tx.Count(store.BucketLinks)
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	return n
}

// query reads one parameter of a URL.
func query(tb testing.TB, u, name string) string {
	tb.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		tb.Fatal(err)
	}
	return parsed.Query().Get(name)
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// dmSender records DMs; with refuse set it answers as Discord does for a
// user whose DMs are closed.
type dmSender struct {
	mu     sync.Mutex
	refuse bool
	tries  int
	sent   []discord.Message
}

func (d *dmSender) SendDM(_ context.Context, _ string, m discord.Message) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tries++
	if d.refuse {
		return &discord.APIError{Status: 403, Code: discord.CodeCannotMessageUser, Message: "Cannot send messages to this user"}
	}
	d.sent = append(d.sent, m)
	return nil
}

// matching returns the DMs whose text contains s.
func (d *dmSender) matching(s string) []discord.Message {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []discord.Message
	for _, m := range d.sent {
		if strings.Contains(m.Content, s) {
			out = append(out, m)
		}
	}
	return out
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

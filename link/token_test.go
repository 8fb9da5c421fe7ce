package link

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

// TestRefreshWhenDue: the access token's own expires_in decides, and MAL's
// refresh token is renewed weekly however long the access token lasts.
func TestRefreshWhenDue(t *testing.T) {
	tests := []struct {
		name      string
		expiresIn int
		after     time.Duration
		refresh   bool
	}{
		{"hour-long token, half used", 3600, 30 * time.Minute, false},
		{"hour-long token, about to run out", 3600, 59*time.Minute + 30*time.Second, true},
		{"31-day token, six days on", 2678400, 6 * 24 * time.Hour, false},
		{"31-day token, a week on", 2678400, 7 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.mal.ExpiresIn = tt.expiresIn
			e.link(MAL)
			e.clock.Advance(tt.after)
			whoAmI(t, e, MAL)
			want := 1
			if tt.refresh {
				want = 2
			}
			if got := e.mal.Count(maltest.Token); got != want {
				t.Errorf("%d token requests, want %d", got, want)
			}
		})
	}
}

// TestRotatedRefreshTokenIsStored: each refresh stores MAL's new refresh
// token at once; the next refresh only works if it did, since MAL (and the
// fake) forget the old one.
func TestRotatedRefreshTokenIsStored(t *testing.T) {
	e := newEnv(t)
	e.link(MAL)
	before, err := e.svc.loadTokens(discordUser, MAL)
	if err != nil {
		t.Fatal(err)
	}
	for week := 1; week <= 3; week++ {
		e.clock.Advance(refreshEvery)
		whoAmI(t, e, MAL)
		after, err := e.svc.loadTokens(discordUser, MAL)
		if err != nil {
			t.Fatal(err)
		}
		if after.Refresh == before.Refresh || after.Access == before.Access {
			t.Fatalf("week %d: tokens not replaced", week)
		}
		if !after.Issued.Equal(e.clock.Now()) || !after.Expiry.Equal(e.clock.Now().Add(2678400*time.Second)) {
			t.Errorf("week %d: issued %v, expiry %v", week, after.Issued, after.Expiry)
		}
		before = after
	}
	if got := e.mal.Count(maltest.Token); got != 4 {
		t.Errorf("%d token requests, want the exchange and 3 refreshes", got)
	}
	if dms := e.dms.matching("linked again"); len(dms) != 0 {
		t.Errorf("re-authorization DMs: %v", dms)
	}
}

// TestRefusedTokenIsRefreshedAndRetried: a 401 for a token that looked
// fresh costs one refresh and one retry, bodies included, and no DM.
func TestRefusedTokenIsRefreshedAndRetried(t *testing.T) {
	tests := []struct {
		name string
		body func(form string) io.Reader // nil: no GetBody, so the transport must buffer it
	}{
		{"replayable body", func(form string) io.Reader { return strings.NewReader(form) }},
		{"one-shot body", func(form string) io.Reader { return io.NopCloser(strings.NewReader(form)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.link(MAL)
			e.mal.ExpireAccessTokens(malUserID)
			c, err := e.svc.Client(ctx, discordUser, MAL)
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodPatch, e.mal.APIURL()+"/anime/5114/my_list_status",
				tt.body("status=watching&num_watched_episodes=3"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("PATCH after a refresh: HTTP %d", resp.StatusCode)
			}
			if st, ok := e.mal.Entry(malUserID, mal.Anime, 5114); !ok || st.Progress != 3 {
				t.Errorf("entry = %+v, %v; want 3 episodes watched", st, ok)
			}
			if got := e.mal.Count(maltest.PatchAnime); got != 2 {
				t.Errorf("%d PATCHes, want the refused one and the retry", got)
			}
			if got := e.mal.Count(maltest.Token); got != 2 {
				t.Errorf("%d token requests, want the exchange and 1 refresh", got)
			}
			if a, _, _ := e.svc.Account(discordUser, MAL); a.NeedsReauth {
				t.Error("link marked as needing re-authorization")
			}
		})
	}
}

// TestLapseSendsOneDM: once MAL refuses to refresh, repeated sync attempts
// and reports send one DM; relinking through its button ends the lapse, and
// the next lapse gets its own DM.
func TestLapseSendsOneDM(t *testing.T) {
	e := newEnv(t)
	first := e.link(MAL)
	e.mal.InvalidGrant(true)
	e.mal.ExpireAccessTokens(malUserID)
	for attempt := range 3 {
		syncAttempt(t, e, attempt)
	}
	dms := e.dms.matching("needs to be linked again")
	if len(dms) != 1 {
		t.Fatalf("%d re-authorization DMs, want 1", len(dms))
	}
	a, _, _ := e.svc.Account(discordUser, MAL)
	if !a.NeedsReauth || !strings.Contains(a.ReauthReason, "MyAnimeList") {
		t.Errorf("account = %+v; want it marked with a reason", a)
	}
	if _, err := e.svc.Client(ctx, discordUser, MAL); !errors.Is(err, ErrReauthRequired) {
		t.Errorf("Client: %v, want ErrReauthRequired", err)
	}
	if a, ok, _ := e.svc.Account(discordUser, MAL); !ok || !a.NeedsReauth {
		t.Errorf("Account = %+v, %v; a lapsed link is still a link, marked as needing re-authorization", a, ok)
	}

	button := dms[0].Components[0].Components[0]
	if button.URL == "" || !strings.Contains(button.URL, "/oauth/mal/start?ticket=") {
		t.Fatalf("DM button = %+v", button)
	}
	e.mal.InvalidGrant(false)
	e.clock.Advance(3 * 24 * time.Hour) // the DM is read days later
	if status, page := e.browse(button.URL); status != http.StatusOK {
		t.Fatalf("re-link through the DM button: HTTP %d\n%s", status, page)
	}
	a, _, _ = e.svc.Account(discordUser, MAL)
	if a.NeedsReauth || !a.LinkedAt.Equal(first.LinkedAt) {
		t.Errorf("after re-linking: %+v; want it working and linked since %v", a, first.LinkedAt)
	}
	whoAmI(t, e, MAL)

	e.mal.InvalidGrant(true)
	e.clock.Advance(refreshEvery)
	syncAttempt(t, e, 4)
	if dms := e.dms.matching("needs to be linked again"); len(dms) != 2 {
		t.Errorf("%d re-authorization DMs after a second lapse, want 2", len(dms))
	}
}

// syncAttempt does what the sync engine does with a link: get a client,
// use it, report a refusal.
func syncAttempt(t *testing.T, e *env, attempt int) {
	t.Helper()
	c, err := e.svc.Client(ctx, discordUser, MAL)
	if err == nil {
		_, err = mal.New(e.mal.APIURL(), c).Me(ctx)
	}
	if err == nil {
		t.Fatalf("attempt %d: MAL accepted a lapsed link", attempt)
	}
	if errors.Is(err, mal.ErrUnauthorized) {
		if err := e.svc.ReportUnauthorized(ctx, discordUser, MAL); err != nil {
			t.Fatalf("attempt %d: ReportUnauthorized: %v", attempt, err)
		}
	} else if !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("attempt %d: %v, want ErrReauthRequired", attempt, err)
	}
}

// TestLapseWithClosedDMs: a user who refuses DMs gets the re-authorization
// message once, as a notice after their next command.
func TestLapseWithClosedDMs(t *testing.T) {
	e := newEnv(t)
	e.dms.refuse = true
	e.link(MAL)
	e.note.TakeNotices(discordUser) // the confirmation
	e.mal.InvalidGrant(true)
	e.clock.Advance(refreshEvery)
	for attempt := range 3 {
		syncAttempt(t, e, attempt)
		_ = e.svc.ReportUnauthorized(ctx, discordUser, MAL)
	}
	notices := e.note.TakeNotices(discordUser)
	if len(notices) != 1 || !strings.Contains(notices[0], "/link mal") {
		t.Errorf("notices = %q; want one telling to run /link mal", notices)
	}
	if e.dms.tries != 1 {
		t.Errorf("%d DM attempts; want only the first, refused one", e.dms.tries)
	}
}

// TestConcurrentUse: requests that find the token due at the same time
// refresh it once; a lapse met by many at once sends one DM.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t)
	e.link(MAL)
	e.clock.Advance(refreshEvery)
	run := func(n int, f func() error) []error {
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs[i] = f() })
		}
		wg.Wait()
		return errs
	}
	me := func() error {
		c, err := e.svc.Client(ctx, discordUser, MAL)
		if err != nil {
			return err
		}
		_, err = mal.New(e.mal.APIURL(), c).Me(ctx)
		return err
	}
	for i, err := range run(8, me) {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if got := e.mal.Count(maltest.Token); got != 2 {
		t.Errorf("%d token requests, want the exchange and 1 refresh", got)
	}

	e.mal.InvalidGrant(true)
	e.clock.Advance(refreshEvery)
	for i, err := range run(8, me) {
		if !errors.Is(err, ErrReauthRequired) {
			t.Errorf("request %d during a lapse: %v", i, err)
		}
	}
	if dms := e.dms.matching("needs to be linked again"); len(dms) != 1 {
		t.Errorf("%d re-authorization DMs, want 1", len(dms))
	}
}

// TestAniListLapse: AniList tokens cannot be refreshed, so a refused or
// year-old token marks the link at once.
func TestAniListLapse(t *testing.T) {
	tests := []struct {
		name  string
		lapse func(e *env)
	}{
		{"token revoked", func(e *env) { e.al.RevokeTokens(alUserID) }},
		{"a year on", func(e *env) { e.clock.Advance(366 * 24 * time.Hour) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.link(AniList)
			tt.lapse(e)
			for range 2 {
				c, err := e.svc.Client(ctx, discordUser, AniList)
				if err == nil {
					_, err = anilist.New(e.al.Endpoint(), c).Viewer(ctx)
				}
				if err == nil {
					t.Fatal("AniList accepted a lapsed link")
				}
			}
			if a, _, _ := e.svc.Account(discordUser, AniList); !a.NeedsReauth {
				t.Error("link not marked as needing re-authorization")
			}
			dms := e.dms.matching("needs to be linked again")
			if len(dms) != 1 || !strings.Contains(dms[0].Components[0].Components[0].URL, "/oauth/anilist/start?ticket=") {
				t.Errorf("re-authorization DMs = %+v, want 1 with a button", dms)
			}
		})
	}
}

// TestTokensGoToTheAPIHostOnly: a redirect or a careless caller cannot send
// the token elsewhere.
func TestTokensGoToTheAPIHostOnly(t *testing.T) {
	e := newEnv(t)
	e.link(MAL)
	c, err := e.svc.Client(ctx, discordUser, MAL)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(e.web.URL + "/elsewhere")
	if err == nil {
		resp.Body.Close()
		t.Fatal("request to another host was sent")
	}
	if !strings.Contains(err.Error(), "refusing to send") {
		t.Errorf("error = %v", err)
	}
}

// TestOldReLinkButton: the DM's button stops working after a week.
func TestOldReLinkButton(t *testing.T) {
	e := newEnv(t)
	e.link(MAL)
	if err := e.svc.ReportUnauthorized(ctx, discordUser, MAL); err != nil {
		t.Fatal(err)
	}
	dms := e.dms.matching("needs to be linked again")
	if len(dms) != 1 {
		t.Fatalf("%d re-authorization DMs", len(dms))
	}
	e.clock.Advance(ticketTTL + time.Minute)
	status, page := e.browse(dms[0].Components[0].Components[0].URL)
	if status != http.StatusBadRequest || !strings.Contains(page, "expired") {
		t.Errorf("HTTP %d\n%s", status, page)
	}
	if e.mal.Count(maltest.Authorize) != 1 {
		t.Error("an expired button still led to MAL's authorize page")
	}
}

package link

import (
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"dubbot/upstream/anilist"
	"dubbot/upstream/anilist/anilisttest"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

func TestLinkEndToEnd(t *testing.T) {
	tests := []struct {
		p           Provider
		remoteID    int
		name        string
		scoreFormat string
		pkce        bool
	}{
		{MAL, malUserID, malUserName, "", true},
		{AniList, alUserID, alUserName, "POINT_10", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.p), func(t *testing.T) {
			e := newEnv(t)
			authorize := e.authorize(tt.p)
			if got := query(t, authorize, "redirect_uri"); got != e.web.URL+"/oauth/"+string(tt.p)+"/callback" {
				t.Errorf("redirect_uri = %q", got)
			}
			if len(query(t, authorize, "state")) != 43 {
				t.Errorf("state %q is not 32 random bytes", query(t, authorize, "state"))
			}
			challenge, method := query(t, authorize, "code_challenge"), query(t, authorize, "code_challenge_method")
			if tt.pkce && (len(challenge) < 43 || method != "plain") {
				t.Errorf("PKCE: code_challenge %q, method %q; want plain with 43+ characters", challenge, method)
			}
			if !tt.pkce && challenge != "" {
				t.Errorf("AniList got a code_challenge %q", challenge)
			}

			status, page := e.browse(authorize)
			if status != http.StatusOK || !strings.Contains(page, tt.name) {
				t.Fatalf("callback page: HTTP %d\n%s", status, page)
			}
			a, ok, err := e.svc.Account(discordUser, tt.p)
			want := Account{Provider: tt.p, UserID: discordUser, RemoteID: tt.remoteID, Name: tt.name,
				ScoreFormat: tt.scoreFormat, LinkedAt: e.clock.Now()}
			if err != nil || !ok || a != want {
				t.Errorf("Account = %+v, %v, %v; want %+v", a, ok, err, want)
			}
			if dms := e.dms.matching("Linked your " + tt.p.Title()); len(dms) != 1 {
				t.Errorf("%d confirmation DMs, want 1", len(dms))
			}
			if got := whoAmI(t, e, tt.p); got != tt.name {
				t.Errorf("the linked client belongs to %q, want %q", got, tt.name)
			}
		})
	}
}

// whoAmI asks the provider, through the service's client, whose token it is.
func whoAmI(t *testing.T, e *env, p Provider) string {
	t.Helper()
	c, err := e.svc.Client(ctx, discordUser, p)
	if err != nil {
		t.Fatalf("Client(%s): %v", p, err)
	}
	if p == MAL {
		u, err := mal.New(e.mal.APIURL(), c).Me(ctx)
		if err != nil {
			t.Fatalf("MAL users/@me: %v", err)
		}
		return u.Name
	}
	u, err := anilist.New(e.al.Endpoint(), c).Viewer(ctx)
	if err != nil {
		t.Fatalf("AniList Viewer: %v", err)
	}
	return u.Name
}

// TestCallbackRefusals: a bad callback shows an error page and links
// nothing; a HEAD leaves the state for the browser's GET.
func TestCallbackRefusals(t *testing.T) {
	tests := []struct {
		name     string
		callback func(e *env) string // prepares the case, returns the URL the browser opens
		status   int
		page     string
		tokens   int // token requests the fake MAL should have seen
		dms      int // confirmation DMs: only a first, good use of a state sends one
		links    int // links stored afterwards
	}{
		{
			name:     "forged state",
			callback: func(e *env) string { return e.web.URL + "/oauth/mal/callback?code=mal-code-1&state=forged" },
			status:   http.StatusBadRequest, page: "not valid",
		},
		{
			name:     "missing state",
			callback: func(e *env) string { return e.web.URL + "/oauth/mal/callback?code=mal-code-1" },
			status:   http.StatusBadRequest, page: "not valid",
		},
		{
			name: "reused state",
			callback: func(e *env) string {
				cb := e.callbackURL(e.authorize(MAL))
				if status, _ := e.browse(cb); status != http.StatusOK {
					e.tb.Fatalf("first use of the state: HTTP %d", status)
				}
				if err := e.svc.Unlink(ctx, discordUser, MAL); err != nil {
					e.tb.Fatal(err)
				}
				return cb
			},
			status: http.StatusBadRequest, page: "already used", tokens: 1, dms: 1,
		},
		{
			name: "expired state",
			callback: func(e *env) string {
				cb := e.callbackURL(e.authorize(MAL))
				e.clock.Advance(stateTTL + time.Second)
				return cb
			},
			status: http.StatusBadRequest, page: "expired",
		},
		{
			name: "state of the other provider",
			callback: func(e *env) string {
				state := query(e.tb, e.authorize(AniList), "state")
				return e.web.URL + "/oauth/mal/callback?code=mal-code-1&state=" + state
			},
			status: http.StatusBadRequest, page: "not valid",
		},
		{
			name: "PKCE mismatch at MAL",
			callback: func(e *env) string {
				forged := strings.Replace(e.authorize(MAL), "code_challenge=", "code_challenge=x", 1)
				return e.callbackURL(forged)
			},
			status: http.StatusBadGateway, page: "did not work", tokens: 1,
		},
		{
			name: "user denied access",
			callback: func(e *env) string {
				state := query(e.tb, e.authorize(MAL), "state")
				return e.web.URL + "/oauth/mal/callback?error=access_denied&state=" + state
			},
			status: http.StatusBadRequest, page: "did not give dubbot access",
		},
		{
			name: "HEAD from a link checker",
			callback: func(e *env) string {
				cb := e.callbackURL(e.authorize(MAL))
				resp, err := e.web.Client().Head(cb)
				if err != nil {
					e.tb.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusMethodNotAllowed {
					e.tb.Errorf("HEAD: HTTP %d, want 405", resp.StatusCode)
				}
				return cb
			},
			status: http.StatusOK, page: "Account linked", tokens: 1, dms: 1, links: 1,
		},
		{
			name:     "unconfigured provider",
			callback: func(e *env) string { return e.web.URL + "/oauth/kitsu/callback?code=1&state=2" },
			status:   http.StatusNotFound, page: "nothing to link",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			status, page := e.browse(tt.callback(e))
			if status != tt.status || !strings.Contains(page, tt.page) {
				t.Errorf("HTTP %d, want %d with %q\n%s", status, tt.status, tt.page, page)
			}
			if n := e.linkCount(t); n != tt.links {
				t.Errorf("%d links stored, want %d", n, tt.links)
			}
			if got := e.mal.Count(maltest.Token); got != tt.tokens {
				t.Errorf("%d token requests at MAL, want %d", got, tt.tokens)
			}
			if dms := e.dms.matching("Linked your"); len(dms) != tt.dms {
				t.Errorf("%d confirmation DMs, want %d", len(dms), tt.dms)
			}
		})
	}
}

// TestSecretsStayOutOfStoreAndLogs greps the store file and the logs for
// every token, code and state the fakes and the service handed out.
func TestSecretsStayOutOfStoreAndLogs(t *testing.T) {
	e := newEnv(t)
	e.link(MAL)
	e.link(AniList)
	e.clock.Advance(refreshEvery) // a refresh too, so rotated tokens pass through
	whoAmI(t, e, MAL)
	if e.mal.Count(maltest.Token) != 2 || e.al.Count(anilisttest.Token) != 1 {
		t.Fatalf("token requests: MAL %d, AniList %d; want 2 and 1", e.mal.Count(maltest.Token), e.al.Count(anilisttest.Token))
	}
	pending := e.authorize(MAL) // a state and verifier waiting in the store
	secrets := []string{"mal-access-", "mal-refresh-", "mal-code-", "anilist-token-", "anilist-code-",
		query(t, pending, "state"), query(t, pending, "code_challenge")}

	file, err := os.ReadFile(e.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "account linked") || !strings.Contains(logs, "refreshed token") {
		t.Fatalf("the logs miss the events this test looks through:\n%s", logs)
	}
	for _, s := range secrets {
		for _, form := range append([]string{s}, base64Forms(s)...) {
			if strings.Contains(string(file), form) {
				t.Errorf("the store file contains %q (as %q)", s, form)
			}
			if strings.Contains(logs, form) {
				t.Errorf("the logs contain %q (as %q)", s, form)
			}
		}
	}
}

// base64Forms are the stretches of text that any base64 encoding of bytes
// containing s must contain, whatever the alignment of s: JSON stores
// []byte as base64, so a token in an unsealed []byte would hide from a
// plain grep.
func base64Forms(s string) []string {
	var forms []string
	for pad, skip := range []int{0, 2, 3} {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, pad), s...))
		enc = strings.TrimRight(enc, "=")
		// The last two characters may mix in the bytes after s.
		forms = append(forms, enc[skip:len(enc)-2])
	}
	return forms
}

func TestUnlink(t *testing.T) {
	e := newEnv(t)
	e.link(MAL)
	if err := e.svc.Unlink(ctx, discordUser, MAL); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := e.svc.Account(discordUser, MAL); ok {
		t.Error("the account is still linked")
	}
	if _, err := e.svc.Client(ctx, discordUser, MAL); !errors.Is(err, ErrNotLinked) {
		t.Errorf("Client after unlink: %v, want ErrNotLinked", err)
	}
	if err := e.svc.Unlink(ctx, discordUser, MAL); !errors.Is(err, ErrNotLinked) {
		t.Errorf("second Unlink: %v, want ErrNotLinked", err)
	}
}

func TestDisabledProvider(t *testing.T) {
	e := newEnv(t, options{noAniList: true})
	if e.svc.Enabled(AniList) || !e.svc.Enabled(MAL) {
		t.Fatalf("Enabled: MAL %v, AniList %v", e.svc.Enabled(MAL), e.svc.Enabled(AniList))
	}
	if _, err := e.svc.AuthorizeURL(ctx, discordUser, AniList); !errors.Is(err, ErrDisabled) {
		t.Errorf("AuthorizeURL: %v, want ErrDisabled", err)
	}
}

// TestAuthorizeURLFitsAButton: Discord refuses link buttons whose URL is
// longer than 512 characters; MAL's authorize URL, with its PKCE challenge
// and a real-world public URL, must fit.
func TestAuthorizeURLFitsAButton(t *testing.T) {
	e := newEnv(t)
	svc := New(e.db, e.box, nil, Config{
		PublicURL:   "https://dubbot.some-long-domain-name.example.com",
		MALClientID: strings.Repeat("c", 32), AniListClientID: "12345",
	})
	for _, p := range Providers() {
		u, err := svc.AuthorizeURL(ctx, discordUser, p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u, map[Provider]string{MAL: "https://myanimelist.net/v1/oauth2/authorize?", AniList: "https://anilist.co/api/v2/oauth/authorize?"}[p]) {
			t.Errorf("%s: authorize URL %s is not on the real site", p, u)
		}
		if len(u) > 512 {
			t.Errorf("%s: authorize URL is %d characters, over Discord's 512", p, len(u))
		}
	}
}

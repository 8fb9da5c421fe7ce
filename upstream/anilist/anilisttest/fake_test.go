package anilisttest_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"dubbot/upstream/anilist"
	"dubbot/upstream/anilist/anilisttest"
)

func oauthConfig(fake *anilisttest.Server) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     fake.ClientID,
		ClientSecret: fake.ClientSecret,
		RedirectURL:  "http://127.0.0.1/callback/anilist",
		Endpoint: oauth2.Endpoint{
			AuthURL: fake.AuthURL(), TokenURL: fake.TokenURL(), AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// authorize follows the authorize URL one hop and returns the redirect.
func authorize(t *testing.T, authURL string) *url.URL {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %s, want 302", resp.Status)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestOAuthCodeGrant(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(1, "first")
	fake.AddUser(2, "second")
	fake.AuthorizeAs(2)
	cfg := oauthConfig(fake)

	loc := authorize(t, cfg.AuthCodeURL("nonce-123"))
	if loc.Host != "127.0.0.1" || loc.Path != "/callback/anilist" || loc.Query().Get("state") != "nonce-123" {
		t.Fatalf("redirected to %s, want the callback with state nonce-123", loc)
	}
	tok, err := cfg.Exchange(context.Background(), loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := anilist.New(fake.Endpoint(), nil).WithToken(tok.AccessToken).Viewer(context.Background())
	if err != nil || u.ID != 2 {
		t.Fatalf("Viewer = %+v, %v; want user 2", u, err)
	}

	// A code works once.
	_, err = cfg.Exchange(context.Background(), loc.Query().Get("code"))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("second exchange: err = %v, want invalid_grant", err)
	}
	if fake.Count(anilisttest.Authorize) != 1 || fake.Count(anilisttest.Token) != 2 {
		t.Errorf("counts: authorize %d, token %d; want 1, 2", fake.Count(anilisttest.Authorize), fake.Count(anilisttest.Token))
	}
}

func TestOAuthRejectsWrongClient(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(1, "a")
	cfg := oauthConfig(fake)
	loc := authorize(t, cfg.AuthCodeURL("s"))

	cfg.ClientSecret = "wrong"
	_, err := cfg.Exchange(context.Background(), loc.Query().Get("code"))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_client" {
		t.Errorf("err = %v, want invalid_client", err)
	}
}

func TestDeleteEntryAndEntries(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(1, "a")
	first := fake.SetEntry(1, anilist.Entry{MediaID: 1, Type: anilist.Anime})
	second := fake.SetEntry(1, anilist.Entry{MediaID: 2, Type: anilist.Anime})
	if second <= first {
		t.Errorf("updatedAt did not rise: %d then %d", first, second)
	}
	fake.DeleteEntry(1, 1)
	got := fake.Entries(1, anilist.Anime)
	if len(got) != 1 || got[0].MediaID != 2 {
		t.Errorf("Entries = %+v, want only media 2", got)
	}
}

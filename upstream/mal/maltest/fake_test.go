package maltest_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

func oauthConfig(fake *maltest.Server) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     fake.ClientID,
		ClientSecret: fake.ClientSecret,
		RedirectURL:  fake.RedirectURL,
		Endpoint:     oauth2.Endpoint{AuthURL: fake.AuthURL(), TokenURL: fake.TokenURL(), AuthStyle: oauth2.AuthStyleInParams},
	}
}

// authCodeURL is the authorize URL the bot builds: PKCE with the plain method.
func authCodeURL(cfg *oauth2.Config, state, verifier, method string) string {
	return cfg.AuthCodeURL(state,
		oauth2.SetAuthURLParam("code_challenge", verifier),
		oauth2.SetAuthURLParam("code_challenge_method", method))
}

// follow makes one request without following the redirect.
func follow(t *testing.T, u string) *http.Response {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// codeFor runs the authorize step and returns the code from the redirect.
func codeFor(t *testing.T, cfg *oauth2.Config, verifier string) string {
	t.Helper()
	resp := follow(t, authCodeURL(cfg, "state-1", verifier, "plain"))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %s", resp.Status)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if loc.Query().Get("state") != "state-1" || loc.Host+loc.Path != "127.0.0.1/callback/mal" {
		t.Fatalf("redirected to %s", loc)
	}
	return loc.Query().Get("code")
}

func TestOAuthFlowWithPKCEPlain(t *testing.T) {
	fake := maltest.New(t)
	fake.AddUser(1, "one")
	fake.AddUser(2, "two")
	fake.AuthorizeAs(2)
	cfg := oauthConfig(fake)
	verifier := oauth2.GenerateVerifier()

	tok, err := cfg.Exchange(context.Background(), codeFor(t, cfg, verifier), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || time.Until(tok.Expiry) < 30*24*time.Hour {
		t.Errorf("token = %+v, want a refresh token and a 31-day expiry", tok)
	}
	me, err := mal.New(fake.APIURL(), cfg.Client(context.Background(), tok)).Me(context.Background())
	if err != nil || me.ID != 2 {
		t.Errorf("Me = %+v, %v; want user 2", me, err)
	}
}

func TestOAuthRejects(t *testing.T) {
	fake := maltest.New(t)
	fake.AddUser(1, "one")
	cfg := oauthConfig(fake)
	verifier := oauth2.GenerateVerifier()

	_, err := cfg.Exchange(context.Background(), codeFor(t, cfg, verifier), oauth2.VerifierOption("another-verifier-0123456789012345678901234567"))
	if code := retrieveCode(err); code != "invalid_grant" {
		t.Errorf("wrong verifier: err = %v, want invalid_grant", err)
	}
	if resp := follow(t, authCodeURL(cfg, "s", verifier, "S256")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("S256: %s, want 400", resp.Status)
	}
	if resp := follow(t, authCodeURL(cfg, "s", "short", "plain")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("short challenge: %s, want 400", resp.Status)
	}
	if n := fake.Count(maltest.Authorize); n != 3 {
		t.Errorf("authorize requests = %d, want 3", n)
	}
}

func retrieveCode(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

func TestRefreshRotatesAndCanFail(t *testing.T) {
	fake := maltest.New(t)
	fake.AddUser(1, "one")
	cfg := oauthConfig(fake)
	access, refresh := fake.IssueTokens(1)
	fake.ExpireAccessTokens(1)

	// An expired oauth2 token makes the client refresh before the request.
	old := &oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)}
	ts := cfg.TokenSource(context.Background(), old)
	fresh, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if fresh.RefreshToken == refresh || fresh.AccessToken == access {
		t.Errorf("tokens were not rotated: %+v", fresh)
	}
	if _, err := mal.New(fake.APIURL(), oauth2.NewClient(context.Background(), ts)).Me(context.Background()); err != nil {
		t.Errorf("Me with the refreshed token: %v", err)
	}

	// The old refresh token is spent.
	if _, err := cfg.TokenSource(context.Background(), old).Token(); retrieveCode(err) != "invalid_grant" {
		t.Errorf("reusing the old refresh token: err = %v, want invalid_grant", err)
	}
	fake.InvalidGrant(true)
	fresh.Expiry = time.Now().Add(-time.Minute)
	if _, err := cfg.TokenSource(context.Background(), fresh).Token(); retrieveCode(err) != "invalid_grant" {
		t.Errorf("with InvalidGrant: err = %v, want invalid_grant", err)
	}
	if n := fake.Count(maltest.Token); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
}

func TestPatchRejectsReadNames(t *testing.T) {
	fake := maltest.New(t)
	fake.AddUser(1, "one")
	access, _ := fake.IssueTokens(1)
	req, _ := http.NewRequest(http.MethodPatch, fake.APIURL()+"/anime/1/my_list_status",
		strings.NewReader(url.Values{"num_episodes_watched": {"3"}}.Encode()))
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("PATCH with the read-side name: %s, want 400", resp.Status)
	}
	if _, ok := fake.Entry(1, mal.Anime, 1); ok {
		t.Error("the rejected PATCH created an entry")
	}
}

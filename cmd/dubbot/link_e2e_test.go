package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dubbot/bot/discord/discordtest"
	"dubbot/store"
	"dubbot/upstream/anilist/anilisttest"
	"dubbot/upstream/mal/maltest"
)

// linkWorld is a running bot with fake Discord, MAL and AniList.
type linkWorld struct {
	discord *discordtest.Server
	mal     *maltest.Server
	anilist *anilisttest.Server
	env     map[string]string
	logs    *syncBuffer
}

func startLinkWorld(t *testing.T) *linkWorld {
	t.Helper()
	w := &linkWorld{discord: discordtest.New(), mal: maltest.New(t), anilist: anilisttest.New(t)}
	t.Cleanup(w.discord.Close)
	addr := freeAddr(t)
	public := "http://" + addr
	w.mal.RedirectURL = public + "/oauth/mal/callback"
	w.mal.AddUser(4242, "mal_fan")
	w.anilist.AddUser(777, "ani_fan")
	w.env = testEnv(t, map[string]string{
		"DUBBOT_HTTP_ADDR": addr, "DUBBOT_PUBLIC_URL": public,
		"DISCORD_TOKEN": w.discord.BotToken, "DISCORD_API_URL": w.discord.APIURL(),
		"MAL_CLIENT_ID": w.mal.ClientID, "MAL_CLIENT_SECRET": w.mal.ClientSecret,
		"MAL_OAUTH_URL": w.mal.URL + "/v1/oauth2", "MAL_API_URL": w.mal.URL + "/v2",
		"ANILIST_CLIENT_ID": w.anilist.ClientID, "ANILIST_CLIENT_SECRET": w.anilist.ClientSecret,
		"ANILIST_OAUTH_URL": w.anilist.URL + "/api/v2/oauth", "ANILIST_API_URL": w.anilist.Endpoint(),
		"DUBBOT_LOG_LEVEL": "debug", "ANILIST_RATE_LIMIT": "50/s", "MAL_RATE_LIMIT": "50/s",
	})
	w.logs = startBot(t, w.env)
	if err := w.discord.WaitConnected(10 * time.Second); err != nil {
		t.Fatalf("bot did not connect: %v\n%s", err, w.logs.String())
	}
	return w
}

// command runs a slash command through the fake Discord and returns the
// answer: the callback's data, or the edit that completes a deferral.
func (w *linkWorld) command(t *testing.T, name string, opts ...discordtest.CommandOption) json.RawMessage {
	t.Helper()
	payload := w.discord.SlashCommand(discordtest.Command{Name: name, Options: opts})
	id, token := discordtest.InteractionIDs(payload)
	if err := w.discord.DispatchInteraction(payload); err != nil {
		t.Fatal(err)
	}
	cb, err := w.discord.WaitCallback(id, 5*time.Second)
	if err != nil {
		t.Fatalf("/%s: %v\n%s", name, err, w.logs.String())
	}
	if cb.Type != 5 {
		return json.RawMessage(cb.Data)
	}
	edit, err := w.discord.WaitEdit(token, 30*time.Second)
	if err != nil {
		t.Fatalf("/%s was deferred and never finished: %v\n%s", name, err, w.logs.String())
	}
	return json.RawMessage(edit.Body)
}

// linkButtonURL finds the URL of the first link button in a message.
func linkButtonURL(t *testing.T, data json.RawMessage) string {
	t.Helper()
	var msg struct {
		Components []struct {
			Components []struct {
				URL string `json:"url"`
			} `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &msg); err != nil {
		t.Fatal(err)
	}
	for _, row := range msg.Components {
		for _, c := range row.Components {
			if c.URL != "" {
				return c.URL
			}
		}
	}
	t.Fatalf("no link button in %s", data)
	return ""
}

// follow opens the authorize URL as a browser would, following redirects
// back into the bot's callback, and returns the final page.
func follow(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestLinkBothAccountsEndToEnd(t *testing.T) {
	w := startLinkWorld(t)
	for _, c := range []struct{ provider, name string }{{"mal", "mal_fan"}, {"anilist", "ani_fan"}} {
		data := w.command(t, "link", discordtest.SubCommand(c.provider))
		status, page := follow(t, linkButtonURL(t, data))
		if status != http.StatusOK || !strings.Contains(page, c.name) {
			t.Fatalf("%s callback page: %d\n%s", c.provider, status, page)
		}
		// Following the same authorize URL again reuses its state: refused
		// with an error page.
		if status, page := follow(t, linkButtonURL(t, data)); status != http.StatusBadRequest {
			t.Errorf("%s: a reused state answered %d:\n%s", c.provider, status, page)
		}
	}
	profile := string(w.command(t, "profile"))
	for _, want := range []string{"mal_fan", "ani_fan"} {
		if !strings.Contains(profile, want) {
			t.Errorf("/profile lacks %s: %s", want, profile)
		}
	}
	// The confirmation reached the user by DM.
	if msgs := w.discord.Requests(); !containsPath(msgs, "/users/@me/channels") {
		t.Error("no DM channel was opened for the link confirmation")
	}
}

func containsPath(reqs []discordtest.Request, suffix string) bool {
	for _, r := range reqs {
		if strings.HasSuffix(r.Path, suffix) {
			return true
		}
	}
	return false
}

// The fakes' tokens must never reach the store file or the logs.
func TestLinkedTokensNeverOnDiskOrInLogs(t *testing.T) {
	w := startLinkWorld(t)
	data := w.command(t, "link", discordtest.SubCommand("mal"))
	if status, _ := follow(t, linkButtonURL(t, data)); status != http.StatusOK {
		t.Fatalf("link failed: %d", status)
	}
	data = w.command(t, "link", discordtest.SubCommand("anilist"))
	if status, _ := follow(t, linkButtonURL(t, data)); status != http.StatusOK {
		t.Fatalf("link failed: %d", status)
	}
	tokens := append(w.mal.IssuedTokens(), w.anilist.IssuedTokens()...)
	if len(tokens) < 3 {
		t.Fatalf("the fakes issued %d tokens; the links did not happen", len(tokens))
	}
	raw, err := os.ReadFile(filepath.Join(w.env["DUBBOT_DATA_DIR"], store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	logs := w.logs.String()
	for _, tok := range tokens {
		if strings.Contains(string(raw), tok) {
			t.Errorf("store file contains token %q", tok)
		}
		if strings.Contains(logs, tok) {
			t.Errorf("logs contain token %q", tok)
		}
	}
}

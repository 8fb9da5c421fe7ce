package config

import (
	"errors"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsAreValid(t *testing.T) {
	c, err := Load(env(nil), nil)
	if err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
	if c.DataDir != "./data" || c.HTTPAddr != "127.0.0.1:8080" || c.QueueWorkers != 2 {
		t.Errorf("defaults = %+v", c)
	}
	if c.JikanAPIURL != "https://api.jikan.moe/v4" || c.DiscordAPIURL != "https://discord.com/api/v10" {
		t.Errorf("upstream defaults = %q %q", c.JikanAPIURL, c.DiscordAPIURL)
	}
	if len(c.AniListRateLimit) != 1 || c.AniListRateLimit[0].String() != "30/m" {
		t.Errorf("AniList rate default = %v", c.AniListRateLimit)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]string{
		"DUBBOT_HTTP_ADDR":     "nonsense",
		"DUBBOT_PUBLIC_URL":    "ftp://x",
		"JIKAN_API_URL":        "not a url",
		"JIKAN_RATE_LIMIT":     "fast",
		"ANILIST_RATE_LIMIT":   "30/d",
		"DUBBOT_LOG_LEVEL":     "loud",
		"DUBBOT_LOG_FORMAT":    "xml",
		"DUBBOT_QUEUE_WORKERS": "0",
		"DUBBOT_OWNER_IDS":     "123,abc",
		"DISCORD_PUBLIC_KEY":   "zz",
		"DUBBOT_SECRET_KEY":    "hunter2",
		"DISCORD_APP_ID":       "app",
	}
	for name, value := range cases {
		_, err := Load(env(map[string]string{name: value}), nil)
		var cerr *Error
		if !errors.As(err, &cerr) || cerr.Var != name || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: err = %v, want a config error naming it", name, value, err)
		}
	}
}

func TestSecretValuesAreNotEchoed(t *testing.T) {
	_, err := Load(env(map[string]string{"DUBBOT_SECRET_KEY": "my-leaked-secret"}), nil)
	if err == nil || strings.Contains(err.Error(), "my-leaked-secret") {
		t.Errorf("err = %v; want an error without the value", err)
	}
}

func TestOverridesWin(t *testing.T) {
	c, err := Load(env(map[string]string{"DUBBOT_DATA_DIR": "/env"}), map[string]string{"DUBBOT_DATA_DIR": "/flag"})
	if err != nil || c.DataDir != "/flag" {
		t.Fatalf("DataDir = %q, %v", c.DataDir, err)
	}
}

func TestOwnerIDsAndMarkdown(t *testing.T) {
	c, err := Load(env(map[string]string{"DUBBOT_OWNER_IDS": " 1, 22 ,"}), nil)
	if err != nil || len(c.OwnerIDs) != 2 || c.OwnerIDs[1] != "22" {
		t.Fatalf("OwnerIDs = %v, %v", c.OwnerIDs, err)
	}
	md := Markdown()
	for _, name := range Names() {
		if !strings.Contains(md, "`"+name+"`") {
			t.Errorf("README table misses %s", name)
		}
	}
}

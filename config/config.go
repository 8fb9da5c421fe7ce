package config

import (
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"dubbot/ratelimit"
)

// Config is every setting, parsed and validated.
type Config struct {
	DataDir      string
	HTTPAddr     string
	PublicURL    string
	SecretKey    []byte // nil: use or generate the key file
	OwnerIDs     []string
	LogLevel     slog.Level
	LogFormat    string
	QueueWorkers int

	DiscordToken        string
	DiscordAppID        string
	DiscordPublicKey    ed25519.PublicKey
	MALClientID         string
	MALClientSecret     string
	AniListClientID     string
	AniListClientSecret string
	AnimeScheduleToken  string

	DubInfoURL          string
	AiringURL           string
	JikanAPIURL         string
	MALAPIURL           string
	MALOAuthURL         string
	AniListAPIURL       string
	AniListOAuthURL     string
	DiscordAPIURL       string
	AnimeScheduleAPIURL string

	JikanRateLimit   []ratelimit.Rate
	MALRateLimit     []ratelimit.Rate
	AniListRateLimit []ratelimit.Rate
}

// Error is a setting that failed validation.
type Error struct {
	Var, Value, Problem string
	secret              bool
}

func (e *Error) Error() string {
	if e.secret || e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Var, e.Problem)
	}
	return fmt.Sprintf("%s=%q: %s", e.Var, e.Value, e.Problem)
}

// Load builds a Config from getenv (os.Getenv in production), with overrides
// (from flags) taking precedence. It stops at the first invalid setting.
func Load(getenv func(string) string, overrides map[string]string) (*Config, error) {
	c := &Config{}
	for _, o := range options {
		v, ok := overrides[o.env]
		if !ok {
			v = strings.TrimSpace(getenv(o.env))
		}
		if v == "" {
			v = o.def
		}
		if err := o.apply(c, v); err != nil {
			return nil, &Error{Var: o.env, Value: v, Problem: err.Error(), secret: o.secret}
		}
	}
	return c, nil
}

// Names lists every variable name, sorted.
func Names() []string {
	names := make([]string, len(options))
	for i, o := range options {
		names[i] = o.env
	}
	sort.Strings(names)
	return names
}

// Markdown renders the settings as the README's table.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| variable | default | meaning |\n|---|---|---|\n")
	for _, o := range options {
		def := "(unset)"
		if o.def != "" {
			def = "`" + o.def + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", o.env, def, o.meaning)
	}
	return b.String()
}

// MALEnabled reports whether MyAnimeList linking is configured.
func (c *Config) MALEnabled() bool { return c.MALClientID != "" }

// AniListEnabled reports whether AniList linking is configured.
func (c *Config) AniListEnabled() bool { return c.AniListClientID != "" }

// Package config declares every setting dubbot reads, once, with its
// environment name, default and validation, and builds a Config value from
// the environment. Nothing reads the environment anywhere else.
package config

// option is one setting: its environment variable, default, meaning, and how
// to validate and store it.
type option struct {
	env     string
	def     string
	secret  bool // never printed
	meaning string
	apply   func(c *Config, value string) error
}

// options is the one table of settings; the README's table is rendered from
// it (see Markdown).
var options = []option{
	{env: "DUBBOT_DATA_DIR", def: "./data", meaning: "directory of the store (`dubbot.db`) and the generated `secret.key`; created if missing",
		apply: func(c *Config, v string) error { return nonEmpty(&c.DataDir, v) }},
	{env: "DUBBOT_HTTP_ADDR", def: "127.0.0.1:8080", meaning: "listen address of the HTTP server: `/healthz`, `/metrics`, `/interactions`, OAuth callbacks, and the local control API the CLI uses while the bot runs",
		apply: func(c *Config, v string) error { return hostPort(&c.HTTPAddr, v) }},
	{env: "DUBBOT_PUBLIC_URL", def: "http://localhost:8080", meaning: "public base URL of the HTTP server, used for OAuth redirect URIs",
		apply: func(c *Config, v string) error { return absURL(&c.PublicURL, v) }},
	{env: "DUBBOT_SECRET_KEY", secret: true, meaning: "32-byte key (64 hex characters or base64) that encrypts stored tokens; when unset a key is generated into `secret.key` (mode 0600) beside the store",
		apply: func(c *Config, v string) error { return secretKey(&c.SecretKey, v) }},
	{env: "DUBBOT_OWNER_IDS", meaning: "comma-separated Discord user ids allowed to use owner commands such as `/queue` (besides the application owner)",
		apply: func(c *Config, v string) error { return snowflakes(&c.OwnerIDs, v) }},
	{env: "DUBBOT_LOG_LEVEL", def: "info", meaning: "log level: `debug`, `info`, `warn` or `error`",
		apply: func(c *Config, v string) error { return logLevel(&c.LogLevel, v) }},
	{env: "DUBBOT_LOG_FORMAT", def: "text", meaning: "log format: `text` or `json`",
		apply: func(c *Config, v string) error { return oneOf(&c.LogFormat, v, "text", "json") }},
	{env: "DUBBOT_QUEUE_WORKERS", def: "2", meaning: "number of download-queue workers",
		apply: func(c *Config, v string) error { return intRange(&c.QueueWorkers, v, 1, 64) }},

	{env: "DISCORD_TOKEN", secret: true, meaning: "bot token; when unset, `dubbot` starts the local console instead of the bot",
		apply: func(c *Config, v string) error { c.DiscordToken = v; return nil }},
	{env: "DISCORD_APP_ID", meaning: "application id (read from Discord at start when unset)",
		apply: func(c *Config, v string) error { return snowflake(&c.DiscordAppID, v) }},
	{env: "DISCORD_PUBLIC_KEY", meaning: "application public key (hex); enables the HTTP interactions endpoint `/interactions`",
		apply: func(c *Config, v string) error { return publicKey(&c.DiscordPublicKey, v) }},
	{env: "MAL_CLIENT_ID", meaning: "MyAnimeList API client id: enables `/link mal`, sync, and MAL as the details source",
		apply: func(c *Config, v string) error { c.MALClientID = v; return nil }},
	{env: "MAL_CLIENT_SECRET", secret: true, meaning: "MyAnimeList API client secret (for apps of type \"web\")",
		apply: func(c *Config, v string) error { c.MALClientSecret = v; return nil }},
	{env: "ANILIST_CLIENT_ID", meaning: "AniList API client id: enables `/link anilist`",
		apply: func(c *Config, v string) error { c.AniListClientID = v; return nil }},
	{env: "ANILIST_CLIENT_SECRET", secret: true, meaning: "AniList API client secret",
		apply: func(c *Config, v string) error { c.AniListClientSecret = v; return nil }},
	{env: "ANIMESCHEDULE_TOKEN", secret: true, meaning: "AnimeSchedule.net API token (optional): exact dub release times",
		apply: func(c *Config, v string) error { c.AnimeScheduleToken = v; return nil }},

	{env: "DUBBOT_DUBINFO_URL", def: "https://raw.githubusercontent.com/MAL-Dubs/MAL-Dubs/main/data/dubInfo.json", meaning: "MAL-Dubs dub list",
		apply: func(c *Config, v string) error { return absURL(&c.DubInfoURL, v) }},
	{env: "DUBBOT_AIRING_URL", def: "https://myanimelist.net/forum/?topicid=1692966", meaning: "forum topic listing the currently streaming simuldubs",
		apply: func(c *Config, v string) error { return absURL(&c.AiringURL, v) }},
	{env: "JIKAN_API_URL", def: "https://api.jikan.moe/v4", meaning: "Jikan v4 API",
		apply: func(c *Config, v string) error { return absURL(&c.JikanAPIURL, v) }},
	{env: "MAL_API_URL", def: "https://api.myanimelist.net/v2", meaning: "MyAnimeList API v2",
		apply: func(c *Config, v string) error { return absURL(&c.MALAPIURL, v) }},
	{env: "MAL_OAUTH_URL", def: "https://myanimelist.net/v1/oauth2", meaning: "MyAnimeList OAuth base (`/authorize`, `/token`)",
		apply: func(c *Config, v string) error { return absURL(&c.MALOAuthURL, v) }},
	{env: "ANILIST_API_URL", def: "https://graphql.anilist.co", meaning: "AniList GraphQL endpoint",
		apply: func(c *Config, v string) error { return absURL(&c.AniListAPIURL, v) }},
	{env: "ANILIST_OAUTH_URL", def: "https://anilist.co/api/v2/oauth", meaning: "AniList OAuth base (`/authorize`, `/token`)",
		apply: func(c *Config, v string) error { return absURL(&c.AniListOAuthURL, v) }},
	{env: "DISCORD_API_URL", def: "https://discord.com/api/v10", meaning: "Discord REST API (the gateway URL is discovered through it)",
		apply: func(c *Config, v string) error { return absURL(&c.DiscordAPIURL, v) }},
	{env: "ANIMESCHEDULE_API_URL", def: "https://animeschedule.net/api/v3", meaning: "AnimeSchedule.net API v3",
		apply: func(c *Config, v string) error { return absURL(&c.AnimeScheduleAPIURL, v) }},

	{env: "JIKAN_RATE_LIMIT", def: "1/s,60/m", meaning: "request budget for Jikan, shared by every caller: comma-separated `N/s`, `N/m`, `N/h`",
		apply: func(c *Config, v string) error { return rateSpec(&c.JikanRateLimit, v) }},
	{env: "MAL_RATE_LIMIT", def: "1/s", meaning: "request budget for the MyAnimeList API",
		apply: func(c *Config, v string) error { return rateSpec(&c.MALRateLimit, v) }},
	{env: "ANILIST_RATE_LIMIT", def: "30/m", meaning: "request budget for AniList (30/min is its degraded limit in force)",
		apply: func(c *Config, v string) error { return rateSpec(&c.AniListRateLimit, v) }},
}

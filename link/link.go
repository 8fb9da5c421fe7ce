// Package link connects a Discord user to their MyAnimeList and AniList
// accounts through OAuth, and keeps the tokens usable.
//
// The flow: /link asks AuthorizeURL for the provider's authorize page, with a
// random state that is single-use, bound to the Discord user and good for ten
// minutes (MAL also gets a PKCE "plain" verifier, kept sealed with the state).
// The provider sends the browser back to Handler's callback, which exchanges
// the code, reads the account's name, stores the tokens sealed and DMs a
// confirmation.
//
// Client hands out an *http.Client that adds the user's token. MAL access
// tokens are refreshed when their expires_in runs out and, because MAL's
// refresh tokens lapse after about a month, at least weekly; the rotated
// refresh token is stored at once, under a lock per user and provider so two
// refreshes never race. When a provider refuses for good (invalid_grant, or a
// 401 that a fresh token does not fix) the link is marked as needing
// re-authorization and the user gets one DM with a button to link again.
//
// Store layout (keys in store.BucketLinks and store.BucketOAuthStates):
//
//	links         <discord user id>/<provider> → record (tokens sealed)
//	oauth_states  state/<sha256 of state>      → pending (verifier sealed)
//	              ticket/<sha256 of ticket>    → pending, a re-link button's ticket
//
// Neither a token nor a state or ticket reaches the store in the clear.
package link

import (
	"cmp"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"dubbot/notify"
	"dubbot/secret"
	"dubbot/store"
)

// Provider is a site an account can be linked on.
type Provider string

// Providers, spelled as in /link's subcommands and in store keys.
const (
	MAL     Provider = "mal"
	AniList Provider = "anilist"
)

// Providers lists every provider in display order.
func Providers() []Provider { return []Provider{MAL, AniList} }

// Title is the provider's name as users know it.
func (p Provider) Title() string {
	switch p {
	case MAL:
		return "MyAnimeList"
	case AniList:
		return "AniList"
	}
	return string(p)
}

// Errors Client, Account and Unlink return.
var (
	// ErrNotLinked: the user has not linked an account on that provider.
	ErrNotLinked = errors.New("link: no account linked")
	// ErrReauthRequired: the provider no longer accepts the stored tokens;
	// the user was told to link again.
	ErrReauthRequired = errors.New("link: the account must be authorized again")
	// ErrDisabled: the provider's OAuth client is not configured.
	ErrDisabled = errors.New("link: provider not configured")
)

// Timings of the flow and of token upkeep.
const (
	stateTTL = 10 * time.Minute
	// ticketTTL is how long a re-link button in a DM works; a DM may be
	// read days after it was sent, unlike /link's ephemeral reply.
	ticketTTL = 7 * 24 * time.Hour
	// refreshEvery keeps MAL's refresh token (about a month) from lapsing
	// even when the access token lasts 31 days.
	refreshEvery = 7 * 24 * time.Hour
	// expiryMargin refreshes a little before the access token runs out.
	expiryMargin = time.Minute
	// requestTimeout bounds each token or profile request.
	requestTimeout = 30 * time.Second
)

// Config is what the service needs from the configuration.
type Config struct {
	PublicURL string // base of the callback URLs, such as https://dubbot.example

	MALClientID     string
	MALClientSecret string
	MALAuthURL      string // OAuth base; /authorize and /token are appended
	MALAPIURL       string // API v2 base, for users/@me

	AniListClientID     string
	AniListClientSecret string
	AniListAuthURL      string // OAuth base; /authorize and /token are appended
	AniListAPIURL       string // GraphQL endpoint

	// HTTP sends token and profile requests; nil means a client with a
	// 30-second timeout.
	HTTP *http.Client
	// MALHTTP and AniListHTTP, when set, carry the clients Client returns
	// (each provider's rate limiter belongs there); nil means HTTP.
	MALHTTP, AniListHTTP *http.Client

	Logger *slog.Logger
	Now    func() time.Time // nil means time.Now
}

// Service links accounts and lends out their tokens.
type Service struct {
	db     *store.DB
	box    *secret.Box
	notify *notify.Service // nil: no DMs
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
	oauth  map[Provider]*oauth2.Config
	api    map[Provider]string // API base URL, the only place tokens are sent

	mu    sync.Mutex
	locks map[string]*sync.Mutex // per link key, held while refreshing
}

// New makes the service. notifier may be nil, and then nobody is DMed.
func New(db *store.DB, box *secret.Box, notifier *notify.Service, cfg Config) *Service {
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: requestTimeout}
	}
	cfg.MALHTTP = cmp.Or(cfg.MALHTTP, cfg.HTTP)
	cfg.AniListHTTP = cmp.Or(cfg.AniListHTTP, cfg.HTTP)
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	s := &Service{
		db: db, box: box, notify: notifier, cfg: cfg,
		log:   cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		now:   cfg.Now,
		oauth: make(map[Provider]*oauth2.Config),
		api: map[Provider]string{
			MAL:     cmp.Or(cfg.MALAPIURL, "https://api.myanimelist.net/v2"),
			AniList: cmp.Or(cfg.AniListAPIURL, "https://graphql.anilist.co"),
		},
		locks: make(map[string]*sync.Mutex),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.MALClientID != "" {
		s.oauth[MAL] = s.oauthConfig(MAL, cfg.MALClientID, cfg.MALClientSecret,
			cmp.Or(cfg.MALAuthURL, "https://myanimelist.net/v1/oauth2"))
	}
	if cfg.AniListClientID != "" {
		s.oauth[AniList] = s.oauthConfig(AniList, cfg.AniListClientID, cfg.AniListClientSecret,
			cmp.Or(cfg.AniListAuthURL, "https://anilist.co/api/v2/oauth"))
	}
	return s
}

func (s *Service) oauthConfig(p Provider, id, secret, base string) *oauth2.Config {
	base = strings.TrimSuffix(base, "/")
	return &oauth2.Config{
		ClientID:     id,
		ClientSecret: secret,
		RedirectURL:  s.CallbackURL(p),
		Endpoint: oauth2.Endpoint{
			AuthURL:  base + "/authorize",
			TokenURL: base + "/token",
			// Both take the client credentials in the form; probing for the
			// style would cost a failed request first.
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// Enabled reports whether linking p is configured.
func (s *Service) Enabled(p Provider) bool { return s.oauth[p] != nil }

// CallbackURL is the redirect URI to register with the provider.
func (s *Service) CallbackURL(p Provider) string {
	return s.cfg.PublicURL + "/oauth/" + string(p) + "/callback"
}

// startURL is where a re-link button in a DM points.
func (s *Service) startURL(p Provider, ticket string) string {
	return s.cfg.PublicURL + "/oauth/" + string(p) + "/start?" + url.Values{"ticket": {ticket}}.Encode()
}

// lock returns the mutex of one link.
func (s *Service) lock(key string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.locks[key]
	if !ok {
		m = new(sync.Mutex)
		s.locks[key] = m
	}
	return m
}

// httpFor is the client that carries a provider's API requests.
func (s *Service) httpFor(p Provider) *http.Client {
	if p == MAL {
		return s.cfg.MALHTTP
	}
	return s.cfg.AniListHTTP
}

// Package announce posts dub news to the servers and users that asked for
// it, each piece of news to each target exactly once.
//
// The dub jobs record events in the store (package dubs). Deliver turns the
// events nobody planned yet into posts, one per event except that the new
// episodes of one show found by one refresh become a single post naming the
// range, and events older than the catch-up window become one digest post
// per target. For every (post, target) pair it writes a pending outbox
// entry in the same transaction that marks the events planned: the intent
// is on disk before anything is sent. Senders then post each entry, with a
// nonce derived from the entry's key and enforce_nonce set so that Discord
// drops a resend after a crash, and record the delivery after.
//
// Outbox bucket layout (store.BucketOutbox):
//
//	e/<event id>                     → the event is planned (mark)
//	q/<target>/<post id>             → a pending entry, the intent to send
//	d/<unix seconds>/<target>/<post> → a finished entry: sent, notice, skipped or failed
//
// A target is "g<guild id>" for a server's announcement channel or
// "u<user id>" for a watcher's DMs. Subscriptions are in
// store.BucketSubscriptions keyed by guild id; watches in
// store.BucketWatchers keyed "<mal id>/<user id>".
package announce

import (
	"context"
	"log/slog"
	"time"

	"dubbot/anime"
	"dubbot/bot"
	"dubbot/bot/discord"
	"dubbot/notify"
	"dubbot/store"
)

// Poster posts in channels and reads the bot's permissions there;
// *discord.REST implements it.
type Poster interface {
	SendMessage(ctx context.Context, channelID string, m discord.Message) (string, error)
	BotPermissions(ctx context.Context, channelID string) (bot.Permission, error)
}

// DMSender sends a watcher a DM, or keeps the text as a notice when their
// DMs are closed (returning notify.ErrDMsClosed); *notify.Service
// implements it.
type DMSender interface {
	DM(ctx context.Context, userID string, m discord.Message, notice string) error
}

// Catalog looks up cached anime for titles, covers and streaming links;
// *catalog.Catalog implements it.
type Catalog interface {
	Get(id int) (anime.Anime, bool)
}

// Config configures a Service. Only Poster is needed to deliver; a nil
// interface (not a nil *discord.REST) means "no Discord connection" and
// Deliver leaves events for later.
type Config struct {
	Poster  Poster
	DM      DMSender // nil: watchers get nothing
	Catalog Catalog  // nil: posts use the titles in the events
	Logger  *slog.Logger
	Now     func() time.Time
	// Window is how old an event may be and still get its own post; older
	// ones are summed up in one digest per target. Default 24 h.
	Window time.Duration
	// Retention is how long planned events and delivery records are kept;
	// an event still stored is never planned twice. Default 14 days.
	Retention time.Duration
	// Senders is how many targets are posted to at once. Default 4; the
	// REST client paces all of them under Discord's global limit.
	Senders int
	// MaxAttempts bounds the tries of an entry that keeps failing for a
	// passing reason (5xx, network). Default 10.
	MaxAttempts int
}

// Service keeps subscriptions, watches and the outbox.
type Service struct {
	db      *store.DB
	cfg     Config
	log     *slog.Logger
	running chan struct{} // one Deliver at a time
}

// Defaults for Config's zero fields.
const (
	DefaultWindow      = 24 * time.Hour
	DefaultRetention   = 14 * 24 * time.Hour
	DefaultSenders     = 4
	DefaultMaxAttempts = 10
)

// New makes the service.
func New(db *store.DB, cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.Senders <= 0 {
		cfg.Senders = DefaultSenders
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	return &Service{db: db, cfg: cfg, log: cfg.Logger, running: make(chan struct{}, 1)}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// The service is what the /announce and /watch commands need, and the
// REST client and the notify service are what it needs.
var (
	_ bot.Announcer = (*Service)(nil)
	_ Poster        = (*discord.REST)(nil)
	_ DMSender      = (*notify.Service)(nil)
)

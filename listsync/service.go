package listsync

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"dubbot/ratelimit"
	"dubbot/store"
	"dubbot/upstream/anilist"
	"dubbot/upstream/httpx"
)

// Accounts is what the sync needs of account linking. The clients it hands
// out carry the user's token and must not wait on the shared rate limiters
// themselves: the service wraps them in its own limiters (unless
// Config.ClientsLimited says they already do).
type Accounts interface {
	// AniListUser is the user's AniList id; ok is false when no AniList
	// account is linked.
	AniListUser(userID string) (anilistID int, ok bool, err error)
	// AniListClient sends the user's AniList token. Errors match
	// ErrNotLinked or ErrReauthorize; the service then reads the public list.
	AniListClient(ctx context.Context, userID string) (*http.Client, error)
	// MALClient sends the user's MAL token, refreshed as needed, and retried
	// once with a fresh token when MAL answers 401. Errors match ErrNotLinked,
	// or ErrReauthorize from the first MALUnauthorized until the user links
	// MAL again.
	MALClient(ctx context.Context, userID string) (*http.Client, error)
	// MALUnauthorized says MAL refused the user's token even after a
	// refresh: mark the link as needing re-authorization and DM the user.
	MALUnauthorized(ctx context.Context, userID string) error
	// Linked reports which accounts the user has linked.
	Linked(userID string) (mal, anilist bool, err error)
}

// Errors the service returns, and that Accounts' errors are matched against.
var (
	// ErrNotLinked: the user has not linked both MAL and AniList.
	ErrNotLinked = errors.New("listsync: MyAnimeList and AniList must both be linked")
	// ErrReauthorize: MAL no longer accepts the user's token; sync is paused
	// until the user links MAL again.
	ErrReauthorize = errors.New("listsync: MyAnimeList must be authorized again")
)

// Defaults for Config.
const (
	DefaultInterval       = 25 * time.Minute
	DefaultSlots          = 5
	DefaultChunkSize      = 500
	DefaultMaxPages       = 10
	DefaultReconcileEvery = 24 * time.Hour
	DefaultWorkers        = 2
	DefaultAttempts       = 4
	DefaultBackoff        = 2 * time.Second
	DefaultMaxBackoff     = time.Minute
	DefaultLogRuns        = 50
	DefaultAniListPenalty = time.Minute
)

// requestTimeout bounds one request once its limiter let it go.
const requestTimeout = 30 * time.Second

// Config is what the service needs. DB and Accounts are required.
type Config struct {
	DB       *store.DB
	Accounts Accounts

	AniListEndpoint string // "" means anilist.DefaultEndpoint
	MALBaseURL      string // "" means mal.DefaultBaseURL
	// AniListLimiter and MALLimiter are the shared budgets of the two
	// upstreams (nil: none). Every request of the service waits on them.
	AniListLimiter, MALLimiter *ratelimit.Limiter
	// ClientsLimited says the clients from Accounts wait on the limiters
	// already, so the service must not wrap them again.
	ClientsLimited bool
	// Transport sends the change detector's requests and public list reads
	// (nil: http.DefaultTransport).
	Transport http.RoundTripper
	Observer  httpx.Observer // upstream metrics; may be nil
	// AniListPenalty and MALPenalty are how long a 429 or 503 without a
	// Retry-After blocks the upstream: AniList's documented minute, and
	// httpx.DefaultBackoff for MAL.
	AniListPenalty, MALPenalty time.Duration

	Interval       time.Duration // how often each user is checked
	Slots          int           // turns the interval is split into
	ChunkSize      int           // users per change-detection request
	MaxPages       int           // detection pages per chunk before giving up and syncing
	ReconcileEvery time.Duration // full comparison of every entry, per user
	Workers        int           // users synced at once
	Attempts       int           // tries of one request before giving up for this run
	Backoff        time.Duration // first retry delay, doubled per attempt
	MaxBackoff     time.Duration
	LogRuns        int // runs kept in each user's log

	Logger *slog.Logger
	Now    func() time.Time
}

// Service syncs users' AniList lists to MAL.
type Service struct {
	cfg      Config
	db       *store.DB
	accounts Accounts
	log      *slog.Logger
	now      func() time.Time
	detector *anilist.Client

	// seen is the newest AniList updatedAt seen anywhere: AniList's clock as
	// far as the service knows, never ahead of it.
	seen atomic.Int64

	mu       sync.Mutex
	locks    map[string]chan struct{} // one sync per user at a time
	lastTurn int64                    // the turn of the previous Tick
}

// New makes the service.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Accounts == nil {
		return nil, errors.New("listsync: Config needs DB and Accounts")
	}
	cfg.Interval = cmp.Or(cfg.Interval, DefaultInterval)
	cfg.Slots = max(cmp.Or(cfg.Slots, DefaultSlots), 1)
	cfg.ChunkSize = max(cmp.Or(cfg.ChunkSize, DefaultChunkSize), 1)
	cfg.MaxPages = max(cmp.Or(cfg.MaxPages, DefaultMaxPages), 1)
	cfg.ReconcileEvery = cmp.Or(cfg.ReconcileEvery, DefaultReconcileEvery)
	cfg.Workers = max(cmp.Or(cfg.Workers, DefaultWorkers), 1)
	cfg.Attempts = max(cmp.Or(cfg.Attempts, DefaultAttempts), 1)
	cfg.Backoff = cmp.Or(cfg.Backoff, DefaultBackoff)
	cfg.MaxBackoff = max(cmp.Or(cfg.MaxBackoff, DefaultMaxBackoff), cfg.Backoff)
	cfg.LogRuns = max(cmp.Or(cfg.LogRuns, DefaultLogRuns), 1)
	cfg.AniListPenalty = cmp.Or(cfg.AniListPenalty, DefaultAniListPenalty)
	cfg.MALPenalty = cmp.Or(cfg.MALPenalty, httpx.DefaultBackoff)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{
		cfg: cfg, db: cfg.DB, accounts: cfg.Accounts, log: cfg.Logger, now: cfg.Now,
		locks: make(map[string]chan struct{}),
	}
	public := &http.Client{Transport: s.limit(cfg.Transport, cfg.AniListLimiter, time.Minute, nil)}
	s.detector = anilist.New(cfg.AniListEndpoint, public)
	return s, nil
}

// Interval is how often each user with auto-sync on is checked.
func (s *Service) Interval() time.Duration { return s.cfg.Interval }

// TickEvery is how often the scheduler should call Tick.
func (s *Service) TickEvery() time.Duration { return s.cfg.Interval / time.Duration(s.cfg.Slots) }

// lock takes the user's sync lock, waiting until it is free or ctx ends.
func (s *Service) lock(ctx context.Context, userID string) (unlock func(), err error) {
	ch := s.userLock(userID)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the running sync of user %s: %w", userID, ctx.Err())
	}
}

// tryLock takes the user's sync lock if it is free.
func (s *Service) tryLock(userID string) (unlock func(), ok bool) {
	ch := s.userLock(userID)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, true
	default:
		return nil, false
	}
}

func (s *Service) userLock(userID string) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.locks[userID]
	if !ok {
		ch = make(chan struct{}, 1)
		s.locks[userID] = ch
	}
	return ch
}

// saw notes AniList updatedAt values seen in answers.
func (s *Service) saw(t int64) {
	for {
		cur := s.seen.Load()
		if t <= cur || s.seen.CompareAndSwap(cur, t) {
			return
		}
	}
}

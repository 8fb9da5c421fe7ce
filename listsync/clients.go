package listsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"dubbot/ratelimit"
	"dubbot/upstream/anilist"
	"dubbot/upstream/httpx"
	"dubbot/upstream/mal"
)

// counter is a RoundTripper that counts the requests that went out, for the
// cost a run reports.
type counter struct {
	base http.RoundTripper
	n    *atomic.Int64
}

func (c counter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(req)
}

// limit chains base behind the upstream rules: wait for the shared limiter,
// time out, slow down on 429/503. window is the span AniList's
// X-RateLimit-Limit header counts over, and 0 for MAL, which is how the two
// are told apart. n, when set, counts the requests sent.
func (s *Service) limit(base http.RoundTripper, lim *ratelimit.Limiter, window time.Duration, n *atomic.Int64) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if n != nil {
		base = counter{base: base, n: n}
	}
	penalty := s.cfg.MALPenalty
	if window > 0 {
		penalty = s.cfg.AniListPenalty
	}
	return &httpx.Transport{Base: base, Limiter: lim, Observer: s.cfg.Observer, Timeout: requestTimeout,
		LimitWindow: window, Backoff: penalty}
}

// wrap returns a copy of an Accounts client whose requests go through the
// upstream rules, unless its transport applies them already; either way the
// run counts its requests.
func (s *Service) wrap(c *http.Client, lim *ratelimit.Limiter, window time.Duration, n *atomic.Int64) *http.Client {
	cc := *c
	if s.cfg.ClientsLimited {
		base := c.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		cc.Transport = counter{base: base, n: n}
	} else {
		cc.Transport = s.limit(c.Transport, lim, window, n)
	}
	return &cc
}

// clients are one run's upstream clients and their request counts.
type clients struct {
	anilist *anilist.Client
	mal     *mal.Client
	aniN    atomic.Int64
	malN    atomic.Int64
}

// clientsFor builds a run's clients from the user's linked accounts. An
// AniList token that no longer works falls back to the public list.
func (s *Service) clientsFor(ctx context.Context, userID string) (*clients, error) {
	c := &clients{}
	malHTTP, err := s.accounts.MALClient(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("MyAnimeList client of user %s: %w", userID, err)
	}
	c.mal = mal.New(s.cfg.MALBaseURL, s.wrap(malHTTP, s.cfg.MALLimiter, 0, &c.malN))
	aniHTTP, err := s.accounts.AniListClient(ctx, userID)
	switch {
	case errors.Is(err, ErrReauthorize) || errors.Is(err, ErrNotLinked):
		c.publicAniList(s) // a public list can still be read
	case err != nil:
		return nil, fmt.Errorf("AniList client of user %s: %w", userID, err)
	default:
		c.anilist = anilist.New(s.cfg.AniListEndpoint, s.wrap(aniHTTP, s.cfg.AniListLimiter, time.Minute, &c.aniN))
	}
	return c, nil
}

// publicAniList switches the run to reading AniList without the user's
// token, which works for public lists.
func (c *clients) publicAniList(s *Service) {
	public := &http.Client{Transport: s.limit(s.cfg.Transport, s.cfg.AniListLimiter, time.Minute, &c.aniN)}
	c.anilist = anilist.New(s.cfg.AniListEndpoint, public)
}

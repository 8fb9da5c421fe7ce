// Package jikantest is a fake Jikan v4 API on httptest for tests: it serves
// an in-memory catalog in Jikan's wire format, enforces Jikan's rate limits
// (scaled down if asked) with 429 and Retry-After, counts what it saw, and
// fails chosen requests on demand.
package jikantest

import (
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"time"

	"dubbot/anime"
	"dubbot/ratelimit"
)

// DefaultLimits are Jikan's documented limits: 3 requests a second and 60 a
// minute.
var DefaultLimits = []ratelimit.Rate{{N: 3, Per: time.Second}, {N: 60, Per: time.Minute}}

// Options configure a Server.
type Options struct {
	// Limits are enforced as sliding windows over request arrivals; nil
	// means DefaultLimits. Requests refused with 429 do not count.
	Limits []ratelimit.Rate
}

// Counts are what a Server has seen.
type Counts struct {
	Requests  int       // every request that arrived
	Throttled int       // answered 429 for breaking a limit
	Failed    int       // failed on purpose (FailNext)
	First     time.Time // arrival of the first request
	Last      time.Time // arrival of the latest request
}

// Server is a fake Jikan. It is safe for concurrent use.
type Server struct {
	// URL is the API root, to use as jikan.Config.BaseURL.
	URL string

	srv     *httptest.Server
	mux     *http.ServeMux
	catalog []anime.Anime // sorted by ID, read-only after New
	closing chan struct{} // closed by Close to release hanging requests

	mu       sync.Mutex
	limits   []ratelimit.Rate
	arrivals [][]time.Time // per limit, arrivals still inside its window
	fails    map[string][]FailKind
	counts   Counts
}

// New starts a fake Jikan serving items. Close it when done.
func New(items []anime.Anime, opts Options) *Server {
	s := &Server{
		catalog: slices.Clone(items),
		closing: make(chan struct{}),
		limits:  opts.Limits,
		fails:   make(map[string][]FailKind),
	}
	if s.limits == nil {
		s.limits = DefaultLimits
	}
	s.arrivals = make([][]time.Time, len(s.limits))
	slices.SortFunc(s.catalog, func(a, b anime.Anime) int { return a.ID - b.ID })
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /anime/{id}/full", s.handleAnime)
	s.mux.HandleFunc("GET /anime/{id}", s.handleAnime)
	s.mux.HandleFunc("GET /anime", s.handleList)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "BadResponseException", "Resource does not exist")
	})
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close releases hanging requests and shuts the server down.
func (s *Server) Close() {
	close(s.closing)
	s.srv.Close()
}

// Counts returns what the server has seen so far.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// serve is the gate every request passes: count, enforce the limits, fail
// on demand, then answer.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	retryAfter, fail := s.admit(r.URL.Path, time.Now())
	switch {
	case retryAfter > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
		writeError(w, http.StatusTooManyRequests, "RateLimitException",
			"You are being rate limited by Jikan. Please follow the rate limit guidelines.")
	case fail != 0:
		s.fail(w, r, fail)
	default:
		s.mux.ServeHTTP(w, r)
	}
}

// admit records an arrival. It returns how long the caller should wait when
// a limit is full, or else the failure to inject, if any.
func (s *Server) admit(path string, now time.Time) (time.Duration, FailKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Requests++
	if s.counts.First.IsZero() {
		s.counts.First = now
	}
	s.counts.Last = now
	if wait := s.full(now); wait > 0 {
		s.counts.Throttled++
		return wait, 0
	}
	for i := range s.arrivals {
		s.arrivals[i] = append(s.arrivals[i], now)
	}
	queue := s.fails[path]
	if len(queue) == 0 {
		return 0, 0
	}
	s.fails[path] = queue[1:]
	s.counts.Failed++
	return 0, queue[0]
}

// full drops arrivals that left their windows and reports how long until a
// full window has room again, or 0 when every window has room now.
func (s *Server) full(now time.Time) time.Duration {
	var wait time.Duration
	for i, lim := range s.limits {
		window := s.arrivals[i]
		for len(window) > 0 && now.Sub(window[0]) >= lim.Per {
			window = window[1:]
		}
		s.arrivals[i] = window
		if len(window) >= lim.N {
			wait = max(wait, window[len(window)-lim.N].Add(lim.Per).Sub(now))
		}
	}
	return wait
}

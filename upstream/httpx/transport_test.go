package httpx

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"dubbot/ratelimit"
)

// jumpClock moves only when someone sleeps on it, and then at once, so a
// limiter's penalties can be read off its Stats without waiting them out.
type jumpClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *jumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *jumpClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(max(d, 0))
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

var clockNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func newLimiter(spec string) *ratelimit.Limiter {
	rates, err := ratelimit.Parse(spec)
	if err != nil {
		panic(err)
	}
	return ratelimit.New("test", rates, ratelimit.WithClock(&jumpClock{now: clockNow}), ratelimit.WithSlack(0))
}

type observation struct {
	host   string
	status int
}

type recorder struct {
	mu  sync.Mutex
	obs []observation
}

func (r *recorder) ObserveUpstream(host string, status int, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.obs = append(r.obs, observation{host, status})
}

func get(t *testing.T, c *http.Client, rawURL string, header http.Header) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func TestTransportSetsUserAgentAndObserves(t *testing.T) {
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.UserAgent())
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	rec := &recorder{}
	lim := newLimiter("10/s")
	c := NewClient(lim, rec, 5*time.Second)

	get(t, c, srv.URL, nil)
	get(t, c, srv.URL, http.Header{"User-Agent": {"custom/2"}})

	if want := []string{DefaultUserAgent, "custom/2"}; agents[0] != want[0] || agents[1] != want[1] {
		t.Errorf("user agents = %q, want %q", agents, want)
	}
	host := srv.Listener.Addr().String()
	if len(rec.obs) != 2 || rec.obs[0] != (observation{host, 418}) {
		t.Errorf("observed %v, want two of {%s 418}", rec.obs, host)
	}
	if got := lim.Stats().Admitted; got != 2 {
		t.Errorf("limiter admitted %d, want 2", got)
	}
	if base := c.Transport.(*Transport).Base.(*http.Transport); base.MaxIdleConnsPerHost < 4 {
		t.Errorf("NewClient keeps %d idle connections per host; workers would dial afresh", base.MaxIdleConnsPerHost)
	}
}

func TestTransportPenalizes(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		retryAfter    string
		wantPenalties uint64
		wantBlock     time.Duration
	}{
		{"429 with Retry-After", 429, "7", 1, 7 * time.Second},
		{"503 without Retry-After", 503, "", 1, 2 * time.Second}, // the Transport's Backoff
		{"429 with a day's Retry-After", 429, "86400", 1, 10 * time.Minute},
		{"500", 500, "", 0, 0},
		{"200", 200, "30", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			lim := newLimiter("1/s")
			c := &http.Client{Transport: &Transport{Limiter: lim, Backoff: 2 * time.Second}}
			resp, err := get(t, c, srv.URL, nil)
			if err != nil || resp.StatusCode != tt.status {
				t.Fatalf("get = %v, %v; want status %d", resp, err, tt.status)
			}
			s := lim.Stats()
			if s.Penalties != tt.wantPenalties {
				t.Errorf("penalties = %d, want %d", s.Penalties, tt.wantPenalties)
			}
			if tt.wantPenalties > 0 && s.BlockedUntil.Sub(clockNow) != tt.wantBlock {
				t.Errorf("blocked for %v, want %v", s.BlockedUntil.Sub(clockNow), tt.wantBlock)
			}
		})
	}
}

func TestTransportLowersFromHeader(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "20")
	}))
	defer srv.Close()
	lim := newLimiter("30/m")
	c := &http.Client{Transport: &Transport{Limiter: lim, LimitWindow: time.Minute}}
	if _, err := get(t, c, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if got := lim.Stats().Effective; len(got) != 1 || got[0] != (ratelimit.Rate{N: 20, Per: time.Minute}) {
		t.Errorf("effective = %v, want [20/m]", got)
	}
}

func TestTransportTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	rec := &recorder{}
	c := NewClient(newLimiter("100/s"), rec, 50*time.Millisecond)

	_, err := get(t, c, srv.URL+"/slow-headers", nil)
	if err == nil || !Retryable(err) {
		t.Errorf("slow headers: err = %v, want a retryable timeout", err)
	}
	if len(rec.obs) != 1 || rec.obs[0].status != 0 {
		t.Errorf("observed %v, want one status 0", rec.obs)
	}

	resp, err := c.Get(srv.URL + "/slow-body")
	if err != nil {
		t.Fatalf("slow body: headers should arrive: %v", err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err == nil || !Retryable(err) {
		t.Errorf("slow body: read err = %v, want a retryable timeout", err)
	}
}

func TestTransportGivesUpWhileWaiting(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests++ }))
	defer srv.Close()
	rates, _ := ratelimit.Parse("1/s")
	lim := ratelimit.New("test", rates)
	lim.Penalize(time.Hour)
	c := NewClient(lim, nil, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	_, err := c.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded while blocked", err)
	}
	if ue, ok := errors.AsType[*url.Error](err); !ok || ue.URL != srv.URL {
		t.Errorf("err = %v, want a *url.Error naming %s", err, srv.URL)
	}
	if requests != 0 {
		t.Errorf("server saw %d requests during the block, want 0", requests)
	}
}

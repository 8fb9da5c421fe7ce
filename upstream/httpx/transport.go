// Package httpx holds the rules every outbound request to an upstream
// follows: wait for the upstream's shared rate limiter, say who we are, give
// up after a timeout, slow down when the server says 429 or 503, and report
// each request for metrics. It also classifies the errors that come back, so
// the download queue can tell a retry from a permanent failure.
//
// Retrying is left to callers: the queue knows whether an item can wait, a
// command handler usually cannot.
package httpx

import (
	"cmp"
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"dubbot/ratelimit"
)

// Defaults for a Transport.
const (
	DefaultUserAgent = "dubbot/1.0 (+https://github.com/dubbot)"
	// DefaultBackoff is the penalty for a 429 or 503 without Retry-After.
	DefaultBackoff = 5 * time.Second
	// DefaultMaxPenalty caps a server's Retry-After, so that one odd header
	// cannot silence an upstream for a day.
	DefaultMaxPenalty = 10 * time.Minute
)

// Observer is told about every request an upstream answered or failed, for
// metrics: status is 0 when no response came, d is the time to the
// response headers, not counting the wait for the rate limiter.
type Observer interface {
	ObserveUpstream(host string, status int, d time.Duration)
}

// Transport is an http.RoundTripper that applies the upstream rules around
// Base. The zero value sends through http.DefaultTransport with no limiter.
type Transport struct {
	Base     http.RoundTripper  // nil means http.DefaultTransport
	Limiter  *ratelimit.Limiter // the upstream's shared budget; nil means none
	Observer Observer           // nil means nobody is told
	// UserAgent is set on requests that have none; "" means DefaultUserAgent.
	UserAgent string
	// Timeout bounds one request from the moment the limiter lets it go
	// until its body is closed; 0 means no bound beyond the context's.
	Timeout time.Duration
	// Backoff is the penalty for a 429 or 503 without a readable
	// Retry-After; 0 means DefaultBackoff.
	Backoff time.Duration
	// MaxPenalty caps the penalty a Retry-After asks for; 0 means
	// DefaultMaxPenalty.
	MaxPenalty time.Duration
	// LimitWindow, when set, is the window an X-RateLimit-Limit header
	// counts over (AniList: a minute); the header then lowers that window
	// of the limiter.
	LimitWindow time.Duration
}

// idleConnsPerHost keeps a connection open for each of the workers that
// share an upstream. http.DefaultTransport keeps 2, so a third concurrent
// caller dials afresh, and the uneven dial delay can bunch requests that the
// limiter had spaced.
const idleConnsPerHost = 16

// NewClient returns a client for one upstream, with its own connection
// pool: requests wait for limiter, are reported to observer (which may be
// nil) and time out after timeout. The timeout starts when the limiter lets a
// request go, so time spent in line is bounded by the caller's context.
func NewClient(limiter *ratelimit.Limiter, observer Observer, timeout time.Duration) *http.Client {
	return &http.Client{Transport: &Transport{Base: pool(), Limiter: limiter, Observer: observer, Timeout: timeout}}
}

// pool is a copy of http.DefaultTransport that keeps more idle connections.
func pool() http.RoundTripper {
	def, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t := def.Clone()
	t.MaxIdleConnsPerHost = idleConnsPerHost
	return t
}

// RoundTrip sends one request under the upstream rules.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Limiter != nil {
		if err := t.Limiter.Wait(req.Context()); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if t.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, t.Timeout)
	}
	req = req.Clone(ctx)
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", cmp.Or(t.UserAgent, DefaultUserAgent))
	}
	start := time.Now()
	resp, err := t.base().RoundTrip(req)
	t.observe(req.URL.Host, resp, time.Since(start))
	if err != nil {
		cancel()
		return nil, err
	}
	t.heed(resp)
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) observe(host string, resp *http.Response, d time.Duration) {
	if t.Observer == nil {
		return
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	t.Observer.ObserveUpstream(host, status, d)
}

// heed adjusts the limiter to what the server said about its limits.
func (t *Transport) heed(resp *http.Response) {
	if t.Limiter == nil {
		return
	}
	if t.LimitWindow > 0 {
		if n, err := strconv.Atoi(resp.Header.Get("X-RateLimit-Limit")); err == nil {
			t.Limiter.Lower(n, t.LimitWindow)
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		t.Limiter.Penalize(t.penalty(resp.Header))
	}
}

func (t *Transport) penalty(h http.Header) time.Duration {
	d, ok := RetryAfter(h, time.Now())
	if !ok {
		d = cmp.Or(t.Backoff, DefaultBackoff)
	}
	return min(d, cmp.Or(t.MaxPenalty, DefaultMaxPenalty))
}

// cancelOnClose ends a request's timeout context once its body is done with.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

package dubinfo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"dubbot/upstream/httpx"
)

// DefaultURL is where MAL-Dubs publishes dubInfo.json.
const DefaultURL = "https://raw.githubusercontent.com/MAL-Dubs/MAL-Dubs/main/data/dubInfo.json"

// Defaults for a Fetcher. The real file is about 62 KB, so the cap leaves
// room for years of growth while stopping a runaway response.
const (
	DefaultMaxBody = 8 << 20
	DefaultTimeout = 30 * time.Second
)

// userAgent names the bot to GitHub's raw file server.
const userAgent = "dubbot (dub data refresh)"

// Validators are the cache validators of the last good download; sending them
// back lets the server answer 304 Not Modified instead of the whole file.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Fetcher downloads dubInfo.json with conditional GETs.
type Fetcher struct {
	client *http.Client
	// MaxBody caps the response size in bytes; a bigger body is an error.
	MaxBody int64
	// Timeout bounds one whole request, body included.
	Timeout time.Duration
}

// NewFetcher returns a Fetcher using client, which carries the caller's
// transport concerns (rate limits, metrics); nil means http.DefaultClient.
func NewFetcher(client *http.Client) *Fetcher {
	if client == nil {
		client = http.DefaultClient
	}
	return &Fetcher{client: client, MaxBody: DefaultMaxBody, Timeout: DefaultTimeout}
}

// Fetch downloads the file at rawURL. With prev's validators set it asks
// only for a changed file: notModified is then true, body nil, and v the
// validators to keep. On error v is prev; an answer other than 2xx or 304 is
// an *httpx.StatusError, so httpx.Retryable and Retry-After work as for
// every upstream. The body is not parsed; pass it to Parse.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, prev Validators) (body []byte, v Validators, notModified bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, positive(f.Timeout, DefaultTimeout))
	defer cancel()
	resp, err := f.do(ctx, rawURL, prev)
	if err != nil {
		return nil, prev, false, err
	}
	defer drainClose(resp.Body)
	if resp.StatusCode == http.StatusNotModified {
		return nil, validators(resp.Header, prev), true, nil
	}
	if err := httpx.CheckResponse(resp); err != nil {
		return nil, prev, false, fmt.Errorf("fetch dubInfo: %w", err)
	}
	body, err = httpx.ReadBody(resp, positive(f.MaxBody, DefaultMaxBody))
	if err != nil {
		return nil, prev, false, fmt.Errorf("fetch dubInfo: %w", err)
	}
	return body, validators(resp.Header, Validators{}), false, nil
}

// positive returns v, or def when v is unset.
func positive[T int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func (f *Fetcher) do(ctx context.Context, rawURL string, prev Validators) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch dubInfo from %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json, text/plain;q=0.9")
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		// *url.Error repeats the method and URL; keep only the cause.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, fmt.Errorf("fetch dubInfo from %s: %w", rawURL, err)
	}
	return resp, nil
}

// validators takes the response's validators, keeping old ones the response
// does not repeat (a 304 may omit them).
func validators(h http.Header, old Validators) Validators {
	v := old
	if etag := h.Get("ETag"); etag != "" {
		v.ETag = etag
	}
	if lm := h.Get("Last-Modified"); lm != "" {
		v.LastModified = lm
	}
	return v
}

// drainClose reads a little of what is left so the connection can be reused.
func drainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

// Package jikan is a client of the Jikan v4 REST API, the unofficial
// MyAnimeList API the bot takes anime details, search results and catalog
// pages from. It owns Jikan's wire format and maps it to anime.Anime.
//
// Rate limits, the User-Agent, timeouts and 429 handling live in the
// *http.Client it is given, built by httpx.NewClient with the one Jikan
// limiter every caller shares.
package jikan

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"dubbot/upstream/httpx"
)

// DefaultBaseURL is the public Jikan v4 API.
const DefaultBaseURL = "https://api.jikan.moe/v4"

// maxBody caps a response: a details record is tens of kilobytes and a page
// of 25 a few hundred, so megabytes mean something is wrong.
const maxBody = 4 << 20

// ErrNotFound means Jikan answered 404: MyAnimeList has no such anime.
var ErrNotFound = errors.New("not found on Jikan")

// Config is what a Client needs.
type Config struct {
	// BaseURL is the API root; "" means DefaultBaseURL (JIKAN_API_URL).
	BaseURL string
	// HTTP sends the requests; build it with httpx.NewClient and the Jikan
	// limiter so that every caller shares the budget and times out.
	HTTP *http.Client
	// Now stamps FetchedAt; nil means time.Now.
	Now func() time.Time
}

// Client calls Jikan. It is safe for concurrent use.
type Client struct {
	base *url.URL
	http *http.Client
	now  func() time.Time
}

// New returns a client for cfg, or an error naming what is wrong with it.
func New(cfg Config) (*Client, error) {
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	base, err := url.Parse(raw)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("jikan base URL %q: want an http or https URL", raw)
	}
	if cfg.HTTP == nil {
		return nil, errors.New("jikan: no HTTP client: build one with httpx.NewClient and the Jikan limiter")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Client{base: base, http: cfg.HTTP, now: now}, nil
}

// get fetches base/path?query and decodes the JSON answer into dst.
func (c *Client) get(ctx context.Context, query url.Values, dst document, path ...string) error {
	u := c.base.JoinPath(path...)
	u.RawQuery = query.Encode()
	target := httpx.RedactURL(u)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("build request for %s: %w", target, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err // a *url.Error, which names the URL
	}
	defer resp.Body.Close()
	if err := httpx.CheckResponse(resp); err != nil {
		if resp.StatusCode == http.StatusNotFound {
			return fmt.Errorf("%w: %w", ErrNotFound, err)
		}
		return err
	}
	body, err := httpx.ReadBody(resp, maxBody)
	if err != nil {
		return err
	}
	return decode(target, body, dst)
}

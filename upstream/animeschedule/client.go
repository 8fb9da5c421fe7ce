// Package animeschedule reads AnimeSchedule.net's API v3 for exact English
// dub release times: the dub timetable of a week, and the MyAnimeList id
// behind each of its shows.
//
// The API needs an application token; without one the feature is off and
// the bot falls back to the weekdays of the forum list.
package animeschedule

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"dubbot/upstream/httpx"
)

// DefaultBaseURL is the API v3 root.
const DefaultBaseURL = "https://animeschedule.net/api/v3"

// Limits for one request. A week's timetable is a few hundred kilobytes.
const (
	requestTimeout = 30 * time.Second
	maxBody        = 4 << 20
)

// ErrNoToken means the client was built without an application token.
var ErrNoToken = errors.New("animeschedule: no API token configured")

// Client calls the API with one application token.
type Client struct {
	http  *http.Client
	base  string
	token string

	mu     sync.Mutex
	malIDs map[string]int // route -> MAL id; 0 records "no MAL link"
}

// New returns a Client. client carries the caller's rate limit and metrics
// (nil means http.DefaultClient); baseURL "" means DefaultBaseURL.
func New(client *http.Client, baseURL, token string) *Client {
	if client == nil {
		client = http.DefaultClient
	}
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{http: client, base: strings.TrimRight(baseURL, "/"), token: token, malIDs: map[string]int{}}
}

// Enabled reports whether the client has a token to call the API with.
func (c *Client) Enabled() bool { return c.token != "" }

// get fetches path (with query) and returns the body, or nil on 404, which
// the API answers for a week or show it has no data for.
func (c *Client) get(ctx context.Context, path string, query url.Values) ([]byte, error) {
	if c.token == "" {
		return nil, ErrNoToken
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	target := c.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("animeschedule: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("animeschedule: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	if err := httpx.CheckResponse(resp); err != nil {
		return nil, fmt.Errorf("animeschedule: %w", err)
	}
	body, err := httpx.ReadBody(resp, maxBody)
	if err != nil {
		return nil, fmt.Errorf("animeschedule: %w", err)
	}
	return body, nil
}

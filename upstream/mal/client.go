// Package mal is a client for the MyAnimeList API v2: a user's anime and
// manga lists (read, update, delete), who the user is, and anime details.
//
// The user's access token travels in the *http.Client given to New (an
// oauth2 client), so this package never sees it and cannot leak it.
package mal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the MAL API v2.
const DefaultBaseURL = "https://api.myanimelist.net/v2"

// requestTimeout bounds every request, whatever the caller's context says.
const requestTimeout = 30 * time.Second

// maxBody caps an answer; a page of 1,000 list entries is about 400 KB.
const maxBody = 16 << 20

// Client talks to the MAL API. The zero value is not usable; call New.
type Client struct {
	base     string
	http     *http.Client
	clientID string
	now      func() time.Time
}

// New returns a client for baseURL (DefaultBaseURL when empty). httpClient
// carries the user's token (an oauth2 client); nil means http.DefaultClient,
// which is enough for public reads with WithClientID.
func New(baseURL string, httpClient *http.Client) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &Client{base: strings.TrimSuffix(baseURL, "/"), http: httpClient, now: time.Now}
}

// WithClientID returns a client that sends the app's client id as
// X-MAL-CLIENT-ID, which MAL accepts instead of a user token for public reads.
func (c *Client) WithClientID(id string) *Client {
	cc := *c
	cc.clientID = id
	return &cc
}

// User is the owner of the token.
type User struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Me returns the token's owner.
func (c *Client) Me(ctx context.Context) (User, error) {
	var u User
	if err := c.get(ctx, c.base+"/users/@me", &u); err != nil {
		return User{}, fmt.Errorf("mal users/@me: %w", err)
	}
	if u.ID == 0 {
		return User{}, fmt.Errorf("mal users/@me: no user id in the answer")
	}
	return u, nil
}

func (c *Client) get(ctx context.Context, url string, out any) error {
	return c.do(ctx, http.MethodGet, url, nil, out)
}

// do sends one request with form as the body (when not nil) and decodes a
// 2xx JSON answer into out (when not nil).
func (c *Client) do(ctx context.Context, method, target string, form url.Values, out any) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "application/json")
	if c.clientID != "" {
		req.Header.Set("X-MAL-CLIENT-ID", c.clientID)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return responseError(resp, c.now())
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

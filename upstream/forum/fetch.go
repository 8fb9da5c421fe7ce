package forum

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"dubbot/upstream/httpx"
)

// Limits for Fetch. A forum page of fifty posts is well under a megabyte.
const (
	fetchTimeout = 30 * time.Second
	maxPageSize  = 5 << 20
)

// browserUserAgent is sent because MyAnimeList turns away clients that do not
// look like a browser.
const browserUserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"

// Fetch downloads the topic page at rawURL with client and parses it. Errors
// name the URL once; an answer other than 2xx is an *httpx.StatusError, and
// ErrNoShows stays detectable with errors.Is.
func Fetch(ctx context.Context, client *http.Client, rawURL string) (*Schedule, error) {
	page, err := download(ctx, client, rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch forum page: %w", err)
	}
	s, err := Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("read forum page %s: %w", rawURL, err)
	}
	return s, nil
}

// download GETs the page; its errors name the URL.
func download(ctx context.Context, client *http.Client, rawURL string) ([]byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err // a *url.Error from parsing, which names the URL
	}
	req.Header.Set("User-Agent", browserUserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	req.Header.Set("Accept-Language", "en-US,en;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err // a *url.Error, which names the URL
	}
	defer resp.Body.Close()
	if err := httpx.CheckResponse(resp); err != nil {
		return nil, err
	}
	return httpx.ReadBody(resp, maxPageSize)
}

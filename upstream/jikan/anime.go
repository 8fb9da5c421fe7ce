package jikan

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"dubbot/anime"
)

// maxLimit is the most results Jikan returns on one page.
const maxLimit = 25

// Page is one page of Jikan's anime catalog or of a search.
type Page struct {
	Items    []anime.Anime
	HasNext  bool
	LastPage int // the last page Jikan knows of
	Current  int
}

// Anime fetches the details of one anime from /anime/{id}/full.
func (c *Client) Anime(ctx context.Context, id int) (anime.Anime, error) {
	if id <= 0 {
		return anime.Anime{}, fmt.Errorf("jikan anime %d: want a positive MyAnimeList id", id)
	}
	var doc animeDoc
	if err := c.get(ctx, nil, &doc, "anime", strconv.Itoa(id), "full"); err != nil {
		return anime.Anime{}, fmt.Errorf("jikan anime %d: %w", id, err)
	}
	return doc.Data.toAnime(c.now()), nil
}

// AnimePage fetches page (from 1) of the whole catalog, ordered by id so
// that a crawl can resume from a page number.
func (c *Client) AnimePage(ctx context.Context, page int) (Page, error) {
	if page < 1 {
		return Page{}, fmt.Errorf("jikan anime page %d: pages start at 1", page)
	}
	q := url.Values{"page": {strconv.Itoa(page)}, "order_by": {"mal_id"}, "sort": {"asc"}}
	p, err := c.list(ctx, q)
	if err != nil {
		return Page{}, fmt.Errorf("jikan anime page %d: %w", page, err)
	}
	return p, nil
}

// Search returns up to limit (at most 25) anime whose titles match query,
// in Jikan's order.
func (c *Client) Search(ctx context.Context, query string, limit int) ([]anime.Anime, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, errors.New("jikan search: empty query")
	}
	limit = min(max(limit, 1), maxLimit)
	q := url.Values{"q": {query}, "limit": {strconv.Itoa(limit)}}
	p, err := c.list(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("jikan search %q: %w", query, err)
	}
	return p.Items, nil
}

// list fetches one page of /anime with the given query.
func (c *Client) list(ctx context.Context, q url.Values) (Page, error) {
	var doc pageDoc
	if err := c.get(ctx, q, &doc, "anime"); err != nil {
		return Page{}, err
	}
	return doc.toPage(c.now()), nil
}

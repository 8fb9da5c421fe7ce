package animeschedule

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
)

// wireAnime is the part of /anime/{route} this package reads.
type wireAnime struct {
	Websites struct {
		MAL string `json:"mal"`
	} `json:"websites"`
}

// malLink finds the id in websites.mal, which is a bare id or a link
// without a scheme ("myanimelist.net/anime/5114/...").
var malLink = regexp.MustCompile(`^\s*(\d{1,9})\s*$|myanimelist\.net/anime/(\d{1,9})`)

// MALID returns the MyAnimeList id of the show at route, or 0 when
// AnimeSchedule has no such show or no MAL link for it. Answers are cached
// for the life of the Client, so each route costs one request.
func (c *Client) MALID(ctx context.Context, route string) (int, error) {
	c.mu.Lock()
	id, ok := c.malIDs[route]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	body, err := c.get(ctx, "/anime/"+url.PathEscape(route), nil)
	if err != nil {
		return 0, err
	}
	if body != nil {
		if id, err = ParseMALID(body); err != nil {
			return 0, fmt.Errorf("animeschedule: anime %q: %w", route, err)
		}
	}
	c.mu.Lock()
	c.malIDs[route] = id
	c.mu.Unlock()
	return id, nil
}

// ParseMALID reads the MAL id from an /anime/{route} response; 0 when it
// has no MAL link.
func ParseMALID(data []byte) (int, error) {
	var a wireAnime
	if err := json.Unmarshal(data, &a); err != nil {
		return 0, fmt.Errorf("anime is not a JSON object: %w", err)
	}
	m := malLink.FindStringSubmatch(a.Websites.MAL)
	if m == nil {
		return 0, nil
	}
	id, _ := strconv.Atoi(m[1] + m[2]) // one group matched
	return id, nil
}

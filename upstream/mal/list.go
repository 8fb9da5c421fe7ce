package mal

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Media is which of the user's two lists, spelled as in MAL's paths.
type Media string

// The two media types.
const (
	Anime Media = "anime"
	Manga Media = "manga"
)

// Status is a list status as MAL spells it.
type Status string

// List statuses. Watching and PlanToWatch are anime-only, Reading and
// PlanToRead manga-only; the rest are shared.
const (
	Watching    Status = "watching"
	Reading     Status = "reading"
	Completed   Status = "completed"
	OnHold      Status = "on_hold"
	Dropped     Status = "dropped"
	PlanToWatch Status = "plan_to_watch"
	PlanToRead  Status = "plan_to_read"
)

// ValidFor reports whether MAL accepts the status on a list of media m.
func (s Status) ValidFor(m Media) bool {
	switch s {
	case Completed, OnHold, Dropped:
		return true
	case Watching, PlanToWatch:
		return m == Anime
	case Reading, PlanToRead:
		return m == Manga
	}
	return false
}

// ListEntry is one anime or manga on the user's list.
type ListEntry struct {
	ID    int // MAL anime or manga id
	Title string
	// Total is the anime's episode count or the manga's chapter count, and
	// TotalVolumes the manga's volume count; 0 when unknown. MAL caps
	// progress at these, so a diff must too.
	Total        int
	TotalVolumes int
	Status       ListStatus
}

// ListStatus is the user's state of one entry, for anime and manga alike.
type ListStatus struct {
	Status      Status
	Score       int  // 0–10; 0 is unscored
	Progress    int  // episodes watched, or chapters read
	Volumes     int  // volumes read; manga only
	Repeating   bool // is_rewatching / is_rereading
	RepeatCount int  // num_times_rewatched / num_times_reread
	// StartDate and FinishDate are as MAL returns them: "YYYY-MM-DD", a
	// partial "YYYY-MM" or "YYYY", or "" when unset.
	StartDate  string
	FinishDate string
	UpdatedAt  time.Time // zero when MAL sent none or an unreadable one
}

// listFields asks MAL for every list_status field the sync compares, plus
// the totals it caps progress at.
var listFields = map[Media]string{
	Anime: "list_status{status,score,num_episodes_watched,is_rewatching,num_times_rewatched," +
		"start_date,finish_date,updated_at},num_episodes",
	Manga: "list_status{status,score,num_chapters_read,num_volumes_read,is_rereading,num_times_reread," +
		"start_date,finish_date,updated_at},num_chapters,num_volumes",
}

// pageLimit is MAL's largest page.
const pageLimit = 1000

// maxPages stops a list read that never ends (200,000 entries).
const maxPages = 200

// List reads the user's whole list of media m, 1,000 entries a request,
// NSFW entries included.
func (c *Client) List(ctx context.Context, m Media) ([]ListEntry, error) {
	fields, ok := listFields[m]
	if !ok {
		return nil, fmt.Errorf("mal list: unknown media %q", m)
	}
	q := url.Values{"fields": {fields}, "limit": {strconv.Itoa(pageLimit)}, "offset": {"0"}, "nsfw": {"true"}}
	next := c.base + "/users/@me/" + string(m) + "list?" + q.Encode()
	var entries []ListEntry
	for range maxPages {
		var p listPage
		if err := c.get(ctx, next, &p); err != nil {
			return nil, fmt.Errorf("mal %slist after %d entries: %w", m, len(entries), err)
		}
		entries = p.appendTo(entries, m)
		if p.Paging.Next == "" || len(p.Data) == 0 {
			return entries, nil
		}
		if !strings.HasPrefix(p.Paging.Next, c.base+"/") {
			// The oauth2 transport would send the user's token to any host.
			return nil, fmt.Errorf("mal %slist: next page %q is not under %s", m, p.Paging.Next, c.base)
		}
		next = p.Paging.Next
	}
	return nil, fmt.Errorf("mal %slist: more than %d pages", m, maxPages)
}

// AnimeList reads the user's whole anime list.
func (c *Client) AnimeList(ctx context.Context) ([]ListEntry, error) { return c.List(ctx, Anime) }

// MangaList reads the user's whole manga list.
func (c *Client) MangaList(ctx context.Context) ([]ListEntry, error) { return c.List(ctx, Manga) }

package mal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Update is a change to one list entry. Only the fields that are set (non-nil)
// are sent, so MAL keeps the rest; an entry not yet on the list is created.
// Go 1.26's new(value) makes the pointers short: Update{Score: new(8)}.
type Update struct {
	Status      *Status
	Score       *int    // 0–10; 0 removes the score
	Progress    *int    // episodes watched, or chapters read
	Volumes     *int    // volumes read; manga only
	Repeating   *bool   // is_rewatching / is_rereading
	RepeatCount *int    // num_times_rewatched / num_times_reread
	StartDate   *string // "YYYY-MM-DD", or "" to clear
	FinishDate  *string // "YYYY-MM-DD", or "" to clear
}

// IsZero reports whether the update sets nothing.
func (u *Update) IsZero() bool { return *u == Update{} }

// writeNames are the form field names of media m. Writes say
// num_watched_episodes where reads say num_episodes_watched.
type writeNames struct{ progress, repeating, repeatCount string }

var formNames = map[Media]writeNames{
	Anime: {"num_watched_episodes", "is_rewatching", "num_times_rewatched"},
	Manga: {"num_chapters_read", "is_rereading", "num_times_reread"},
}

// form encodes the update for a list of media m, refusing values MAL would
// reject so that a bad write fails here with a clear reason.
func (u *Update) form(m Media) (url.Values, error) {
	if err := u.Validate(m); err != nil {
		return nil, err
	}
	names := formNames[m]
	f := url.Values{}
	setString(f, "status", (*string)(u.Status))
	setInt(f, "score", u.Score)
	setInt(f, names.progress, u.Progress)
	setInt(f, "num_volumes_read", u.Volumes)
	if u.Repeating != nil {
		f.Set(names.repeating, strconv.FormatBool(*u.Repeating))
	}
	setInt(f, names.repeatCount, u.RepeatCount)
	setString(f, "start_date", u.StartDate)
	setString(f, "finish_date", u.FinishDate)
	return f, nil
}

// Validate reports why MAL would reject the update on a list of media m, or
// nil. UpdateEntry calls it before sending anything.
func (u *Update) Validate(m Media) error {
	switch {
	case u.IsZero():
		return errors.New("empty update")
	case u.Status != nil && !u.Status.ValidFor(m):
		return fmt.Errorf("status %q is not a %s status", *u.Status, m)
	case u.Score != nil && (*u.Score < 0 || *u.Score > 10):
		return fmt.Errorf("score %d is outside 0..10", *u.Score)
	case u.Volumes != nil && m != Manga:
		return fmt.Errorf("volumes on a %s entry", m)
	case negative(u.Progress, u.Volumes, u.RepeatCount):
		return errors.New("negative count")
	case !validDate(u.StartDate) || !validDate(u.FinishDate):
		return errors.New("date is not YYYY-MM-DD")
	}
	return nil
}

func negative(ps ...*int) bool {
	for _, p := range ps {
		if p != nil && *p < 0 {
			return true
		}
	}
	return false
}

// validDate accepts an unset date, "" (which clears), and a real YYYY-MM-DD.
func validDate(p *string) bool {
	if p == nil || *p == "" {
		return true
	}
	_, err := time.Parse(time.DateOnly, *p)
	return err == nil
}

func setInt(f url.Values, name string, p *int) {
	if p != nil {
		f.Set(name, strconv.Itoa(*p))
	}
}

func setString(f url.Values, name string, p *string) {
	if p != nil {
		f.Set(name, *p)
	}
}

// UpdateEntry applies u to entry id of the user's list of media m and
// returns the entry as MAL stored it (MAL caps progress at the total).
func (c *Client) UpdateEntry(ctx context.Context, m Media, id int, u Update) (ListStatus, error) {
	form, err := u.form(m)
	if err != nil {
		return ListStatus{}, fmt.Errorf("mal update %s %d: %w", m, id, err)
	}
	var w wireStatus
	if err := c.do(ctx, http.MethodPatch, c.statusURL(m, id), form, &w); err != nil {
		return ListStatus{}, fmt.Errorf("mal update %s %d: %w", m, id, err)
	}
	return w.status(m), nil
}

// DeleteEntry removes entry id from the user's list of media m. An entry
// that is not on the list gives an error matching ErrNotFound.
func (c *Client) DeleteEntry(ctx context.Context, m Media, id int) error {
	if err := c.do(ctx, http.MethodDelete, c.statusURL(m, id), nil, nil); err != nil {
		return fmt.Errorf("mal delete %s %d: %w", m, id, err)
	}
	return nil
}

func (c *Client) statusURL(m Media, id int) string {
	return c.base + "/" + url.PathEscape(string(m)) + "/" + strconv.Itoa(id) + "/my_list_status"
}

// UpdateAnime applies u to an anime on the user's list.
func (c *Client) UpdateAnime(ctx context.Context, id int, u Update) (ListStatus, error) {
	return c.UpdateEntry(ctx, Anime, id, u)
}

// UpdateManga applies u to a manga on the user's list.
func (c *Client) UpdateManga(ctx context.Context, id int, u Update) (ListStatus, error) {
	return c.UpdateEntry(ctx, Manga, id, u)
}

// DeleteAnime removes an anime from the user's list.
func (c *Client) DeleteAnime(ctx context.Context, id int) error { return c.DeleteEntry(ctx, Anime, id) }

// DeleteManga removes a manga from the user's list.
func (c *Client) DeleteManga(ctx context.Context, id int) error { return c.DeleteEntry(ctx, Manga, id) }

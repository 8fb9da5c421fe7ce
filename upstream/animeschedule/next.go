package animeschedule

import (
	"context"
	"maps"
	"slices"
	"time"
)

// NextEpisode is a show's next dub release.
type NextEpisode struct {
	MALID   int
	Route   string
	Title   string
	Episode int
	At      time.Time // UTC
}

// Next returns, per MyAnimeList id, the next dub release after now in this
// ISO week or the next. Shows without a MAL link are left out. It costs two
// timetable requests plus one per show not looked up before.
func (c *Client) Next(ctx context.Context, now time.Time) (map[int]NextEpisode, error) {
	earliest := map[string]Release{}
	for _, t := range []time.Time{now, now.AddDate(0, 0, 7)} {
		year, week := t.UTC().ISOWeek()
		releases, err := c.DubTimetable(ctx, year, week)
		if err != nil {
			return nil, err
		}
		for _, r := range releases {
			if cur, seen := earliest[r.Route]; r.At.After(now) && (!seen || r.At.Before(cur.At)) {
				earliest[r.Route] = r
			}
		}
	}
	next := make(map[int]NextEpisode, len(earliest))
	for _, route := range slices.Sorted(maps.Keys(earliest)) {
		r := earliest[route]
		id, err := c.MALID(ctx, route)
		if err != nil {
			return nil, err
		}
		if cur, seen := next[id]; id == 0 || (seen && !r.At.Before(cur.At)) {
			continue
		}
		next[id] = NextEpisode{MALID: id, Route: route, Title: r.Title, Episode: r.Episode, At: r.At}
	}
	return next, nil
}

package animeschedule

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Release is one dub episode release in a week's timetable.
type Release struct {
	Route string // the show's key on AnimeSchedule
	Title string // the English title when given, else the main title
	// Episode is the episode number released.
	Episode int
	// FromEpisode is set when several episodes drop at once: the release
	// covers FromEpisode..Episode. 0 for a single episode.
	FromEpisode int
	At          time.Time // release time in UTC; zero when the API gives none
	Episodes    int       // the show's episode count; 0 when unknown
	Status      string    // "Ongoing", "Finished", "Delayed" or "Upcoming"
	// DelayNote is the API's delay text ("Delayed", "No dub"...); "" when on time.
	DelayNote    string
	DelayedUntil time.Time // zero when not delayed
}

// wireRelease is a TimetableAnime as the API sends it. Dates stay strings so
// that one odd value drops that date, not the whole week.
type wireRelease struct {
	Title                   string `json:"title"`
	Route                   string `json:"route"`
	English                 string `json:"english"`
	EpisodeDate             string `json:"episodeDate"`
	EpisodeNumber           int    `json:"episodeNumber"`
	SubtractedEpisodeNumber int    `json:"subtractedEpisodeNumber"`
	Episodes                int    `json:"episodes"`
	AirType                 string `json:"airType"`
	Status                  string `json:"status"`
	DelayedText             string `json:"delayedText"`
	DelayedUntil            string `json:"delayedUntil"`
}

// DubTimetable returns the dub releases of an ISO week. A week the API has
// no data for is empty, not an error.
func (c *Client) DubTimetable(ctx context.Context, year, week int) ([]Release, error) {
	query := url.Values{"year": {strconv.Itoa(year)}, "week": {strconv.Itoa(week)}, "tz": {"UTC"}}
	body, err := c.get(ctx, "/timetables/dub", query)
	if err != nil || body == nil {
		return nil, err
	}
	releases, err := ParseTimetable(body)
	if err != nil {
		return nil, fmt.Errorf("animeschedule: dub timetable %d-W%02d: %w", year, week, err)
	}
	return releases, nil
}

// ParseTimetable reads a timetable response, keeping only dub releases
// (the dub timetable sometimes carries others) that name their show.
func ParseTimetable(data []byte) ([]Release, error) {
	var wire []wireRelease
	if err := json.Unmarshal(data, &wire); err != nil {
		return nil, fmt.Errorf("timetable is not an array of releases: %w", err)
	}
	var out []Release
	for _, w := range wire {
		if !strings.EqualFold(w.AirType, "dub") || w.Route == "" || w.EpisodeNumber < 0 {
			continue
		}
		out = append(out, w.release())
	}
	return out, nil
}

func (w wireRelease) release() Release {
	r := Release{
		Route:        w.Route,
		Title:        w.English,
		Episode:      w.EpisodeNumber,
		At:           apiTime(w.EpisodeDate),
		Episodes:     max(w.Episodes, 0),
		Status:       w.Status,
		DelayNote:    w.DelayedText,
		DelayedUntil: apiTime(w.DelayedUntil),
	}
	if r.Title == "" {
		r.Title = w.Title
	}
	if s := w.SubtractedEpisodeNumber; s > 0 && s < w.EpisodeNumber {
		r.FromEpisode = s
	}
	return r
}

// apiTime reads an API timestamp. The API writes "no date" as year 1
// ("0001-01-01T00:00:00Z"), which becomes the zero time, as does a value
// that does not parse.
func apiTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() <= 1 {
		return time.Time{}
	}
	return t.UTC()
}

package syncer

import (
	"math"
	"time"

	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// statuses maps AniList statuses to MAL's, for anime and for manga.
var statuses = map[anilist.ListStatus][2]mal.Status{
	anilist.Current:   {mal.Watching, mal.Reading},
	anilist.Planning:  {mal.PlanToWatch, mal.PlanToRead},
	anilist.Completed: {mal.Completed, mal.Completed},
	anilist.Dropped:   {mal.Dropped, mal.Dropped},
	anilist.Paused:    {mal.OnHold, mal.OnHold},
	anilist.Repeating: {mal.Completed, mal.Completed},
}

// MALStatus maps an AniList status onto MAL's for media m. A rewatch or
// reread is MAL's "completed" with repeating on; ok is false for a status
// AniList may add later.
func MALStatus(s anilist.ListStatus, m mal.Media) (status mal.Status, repeating, ok bool) {
	pair, ok := statuses[s]
	if !ok {
		return "", false, false
	}
	if m == mal.Manga {
		return pair[1], s == anilist.Repeating, true
	}
	return pair[0], s == anilist.Repeating, true
}

// Score maps an AniList score on its 0–100 scale to MAL's 0–10, rounding
// half up (55 → 6, 45 → 5). 0 stays 0 (unscored), and any other score is at
// least 1, since MAL has no way to say "scored, but very low".
func Score(point100 float64) int {
	if !(point100 > 0) { // also NaN
		return 0
	}
	if point100 >= 100 {
		return 10
	}
	return max(int(math.Floor(point100/10+0.5)), 1)
}

// MALDate is d as MAL's YYYY-MM-DD, or "" unless d is a whole, real date.
func MALDate(d anilist.Date) string {
	if d.Year < 1 || d.Year > 9999 || d.Month == 0 || d.Day == 0 {
		return ""
	}
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	if t.Year() != d.Year || int(t.Month()) != d.Month || t.Day() != d.Day {
		return "" // February 30th and the like
	}
	return t.Format(time.DateOnly)
}

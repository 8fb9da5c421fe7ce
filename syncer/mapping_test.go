package syncer

import (
	"math"
	"testing"

	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

func TestMALStatus(t *testing.T) {
	tests := []struct {
		in        anilist.ListStatus
		media     mal.Media
		want      mal.Status
		repeating bool
	}{
		{anilist.Current, mal.Anime, mal.Watching, false},
		{anilist.Current, mal.Manga, mal.Reading, false},
		{anilist.Planning, mal.Anime, mal.PlanToWatch, false},
		{anilist.Planning, mal.Manga, mal.PlanToRead, false},
		{anilist.Completed, mal.Anime, mal.Completed, false},
		{anilist.Completed, mal.Manga, mal.Completed, false},
		{anilist.Dropped, mal.Anime, mal.Dropped, false},
		{anilist.Dropped, mal.Manga, mal.Dropped, false},
		{anilist.Paused, mal.Anime, mal.OnHold, false},
		{anilist.Paused, mal.Manga, mal.OnHold, false},
		{anilist.Repeating, mal.Anime, mal.Completed, true},
		{anilist.Repeating, mal.Manga, mal.Completed, true},
	}
	for _, tt := range tests {
		got, rep, ok := MALStatus(tt.in, tt.media)
		if got != tt.want || rep != tt.repeating || !ok {
			t.Errorf("MALStatus(%s, %s) = %s, %v, %v; want %s, %v, true", tt.in, tt.media, got, rep, ok, tt.want, tt.repeating)
		}
		if !got.ValidFor(tt.media) {
			t.Errorf("MALStatus(%s, %s) = %s, which MAL refuses for %s", tt.in, tt.media, got, tt.media)
		}
	}
	for _, s := range []anilist.ListStatus{"", "REWATCHING", "current"} {
		if _, _, ok := MALStatus(s, mal.Anime); ok {
			t.Errorf("MALStatus(%q) ok, want not ok", s)
		}
	}
}

func TestScore(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want int
	}{
		{"unscored", 0, 0},
		{"negative", -5, 0},
		{"NaN", math.NaN(), 0},
		{"lowest nonzero stays scored", 1, 1},
		{"4 rounds down to 0 but is scored", 4, 1},
		{"5 is half", 5, 1},
		{"14", 14, 1},
		{"15 half up", 15, 2},
		{"44", 44, 4},
		{"45 half up", 45, 5},
		{"54", 54, 5},
		{"55 half up", 55, 6},
		{"65 half up, not to even", 65, 7},
		{"84.9", 84.9, 8},
		{"85 (POINT_10_DECIMAL 8.5)", 85, 9},
		{"94", 94, 9},
		{"95", 95, 10},
		{"100", 100, 10},
		{"over 100", 120, 10},
		{"1 star", 10, 1},
		{"2 stars", 30, 3},
		{"3 stars", 50, 5},
		{"4 stars", 70, 7},
		{"5 stars", 90, 9},
		{"sad smiley", 35, 4},
		{"neutral smiley", 60, 6},
		{"happy smiley", 85, 9},
	}
	for _, tt := range tests {
		if got := Score(tt.in); got != tt.want {
			t.Errorf("%s: Score(%v) = %d, want %d", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestMALDate(t *testing.T) {
	tests := []struct {
		in   anilist.Date
		want string
	}{
		{anilist.Date{Year: 2024, Month: 1, Day: 5}, "2024-01-05"},
		{anilist.Date{Year: 2024, Month: 2, Day: 29}, "2024-02-29"},
		{anilist.Date{Year: 2023, Month: 2, Day: 29}, ""},
		{anilist.Date{Year: 2024, Month: 13, Day: 1}, ""},
		{anilist.Date{Year: 2024, Month: 4, Day: 31}, ""},
		{anilist.Date{Year: 2024, Month: 1, Day: -1}, ""},
		{anilist.Date{Year: 2024}, ""},
		{anilist.Date{Year: 2024, Month: 3}, ""},
		{anilist.Date{Month: 3, Day: 1}, ""},
		{anilist.Date{}, ""},
		{anilist.Date{Year: 10000, Month: 1, Day: 1}, ""},
		{anilist.Date{Year: 999, Month: 1, Day: 1}, "0999-01-01"},
	}
	for _, tt := range tests {
		if got := MALDate(tt.in); got != tt.want {
			t.Errorf("MALDate(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

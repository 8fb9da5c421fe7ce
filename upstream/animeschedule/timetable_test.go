package animeschedule

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseTimetableFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/timetable-dub.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseTimetable(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []Release{
		{Route: "kagaku-shounen", Title: "Science Boy", Episode: 5, Episodes: 12, Status: "Ongoing",
			At: time.Date(2026, 10, 1, 16, 30, 0, 0, time.UTC)},
		// No English title: the main one. A two-episode drop, delayed.
		{Route: "umi-no-tsuki", Title: "Umi no Tsuki", Episode: 9, FromEpisode: 8, Status: "Delayed",
			At: time.Date(2026, 10, 3, 18, 0, 0, 0, time.UTC), DelayNote: "Delayed",
			DelayedUntil: time.Date(2026, 10, 14, 0, 0, 0, 0, time.UTC)},
		// The sub entry is dropped; year 1 means no date.
		{Route: "mada-mitei", Title: "Mada Mitei", Episode: 1, Status: "Upcoming"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ParseTimetable =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseTimetableErrors(t *testing.T) {
	for _, input := range []string{"", "{}", `{"anime":[]}`, "<html>", `[{"episodeNumber":"5"}]`} {
		if _, err := ParseTimetable([]byte(input)); err == nil || !strings.Contains(err.Error(), "not an array of releases") {
			t.Errorf("ParseTimetable(%q) error = %v", input, err)
		}
	}
	for _, input := range []string{"[]", "null", `[{"route":"x","airType":"dub","episodeDate":"soon"}]`} {
		got, err := ParseTimetable([]byte(input))
		if err != nil || (len(got) > 0 && !got[0].At.IsZero()) {
			t.Errorf("ParseTimetable(%q) = %+v, %v", input, got, err)
		}
	}
}

func TestParseMALID(t *testing.T) {
	tests := []struct {
		body string
		want int
	}{
		{`{"websites":{"mal":"myanimelist.net/anime/5114/Fullmetal_Alchemist__Brotherhood"}}`, 5114},
		{`{"websites":{"mal":"https://myanimelist.net/anime/21"}}`, 21},
		{`{"websites":{"mal":"52991"}}`, 52991},
		{`{"websites":{"mal":""}}`, 0},
		{`{"websites":{"anilist":"anilist.co/anime/1"}}`, 0},
		{`{"route":"x"}`, 0},
		{`{"websites":{"mal":"myanimelist.net/manga/2"}}`, 0},
	}
	for _, tt := range tests {
		got, err := ParseMALID([]byte(tt.body))
		if err != nil || got != tt.want {
			t.Errorf("ParseMALID(%s) = %d, %v; want %d", tt.body, got, err, tt.want)
		}
	}
	if _, err := ParseMALID([]byte(`[1]`)); err == nil {
		t.Error("ParseMALID accepted an array")
	}
}

func FuzzParseTimetable(f *testing.F) {
	data, err := os.ReadFile("testdata/timetable-dub.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`[{"route":"a","airType":"DUB","episodeNumber":-3,"episodes":-1}]`))
	f.Add([]byte(`[{"route":"a","airType":"dub","subtractedEpisodeNumber":9,"episodeNumber":2}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		releases, err := ParseTimetable(data)
		if err != nil {
			return
		}
		for _, r := range releases {
			if r.Route == "" || r.Episode < 0 || r.Episodes < 0 || (r.FromEpisode != 0 && r.FromEpisode >= r.Episode) {
				t.Fatalf("bad release %+v", r)
			}
			if !r.At.IsZero() && (r.At.Year() <= 1 || r.At.Location() != time.UTC) {
				t.Fatalf("bad time %v", r.At)
			}
		}
		if id, err := ParseMALID(data); err == nil && id < 0 {
			t.Fatalf("ParseMALID = %d", id)
		}
	})
}

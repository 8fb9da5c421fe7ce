package forumtest

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"dubbot/upstream/forum"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Render's page must read back as the schedule it was made from.
func TestRenderRoundTrip(t *testing.T) {
	resumes := day(2026, time.October, 20)
	want := &forum.Schedule{
		LastUpdated: day(2026, time.September, 29),
		Shows: []forum.Show{
			{MALID: 1, Title: "Mon & Co <One>", Weekday: time.Monday, Episodes: 3, Total: 12},
			{MALID: 2, Title: "Long Runner", Weekday: time.Tuesday, Episodes: 118, PlusPlus: true, Resumes: resumes},
			{MALID: 3, Title: "Paused: Show!", Weekday: time.Saturday, Episodes: 7, Total: 24, Suspended: true},
			{MALID: 4, Title: "Sunday Show", Weekday: time.Sunday, Episodes: 1, Total: 13},
		},
		Lists: []forum.Item{
			{Section: "Upcoming Dubbed Anime", Title: "Film", MALID: 9, Date: day(2026, time.November, 13), When: "November 13, 2026"},
			{Section: "Upcoming Dubbed Anime", Title: "Unlinked", When: "TBA", Starred: true},
			{Section: "Announced Dubbed Anime", Title: "Later", MALID: 10},
		},
		Legend: forum.Legend{Suspended: "Dub production suspended until further notice.",
			PlusPlus: "Resumes October 20, 2026", Resumes: resumes, Star: "Not confirmed"},
	}
	got, err := forum.Parse(strings.NewReader(Render(want)))
	if err != nil {
		t.Fatalf("Parse(Render): %v", err)
	}
	if !slices.Equal(got.Shows, want.Shows) {
		t.Errorf("Shows =\n%+v\nwant\n%+v", got.Shows, want.Shows)
	}
	if !slices.Equal(got.Lists, want.Lists) {
		t.Errorf("Lists =\n%+v\nwant\n%+v", got.Lists, want.Lists)
	}
	if got.Legend != want.Legend || !got.LastUpdated.Equal(want.LastUpdated) || len(got.Skipped) != 0 {
		t.Errorf("Legend %+v, LastUpdated %v, Skipped %+v", got.Legend, got.LastUpdated, got.Skipped)
	}
}

func TestServer(t *testing.T) {
	s := New()
	defer s.Close()
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := s.Client().Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get(s.URL()); code != http.StatusNotFound {
		t.Errorf("before SetPage: %d, want 404", code)
	}
	s.SetPage("<p>one</p>")
	if code, body := get(s.URL()); code != http.StatusOK || body != "<p>one</p>" {
		t.Errorf("got %d %q", code, body)
	}
	s.SetPage("<p>two</p>")
	if _, body := get(s.URL()); body != "<p>two</p>" {
		t.Errorf("after swap got %q", body)
	}
	if code, _ := get(strings.Replace(s.URL(), "1692966", "1", 1)); code != http.StatusNotFound {
		t.Errorf("other topic: %d, want 404", code)
	}
	s.SetStatus(http.StatusServiceUnavailable)
	if code, _ := get(s.URL()); code != http.StatusServiceUnavailable {
		t.Errorf("forced status: %d", code)
	}
	if s.Requests() != 5 {
		t.Errorf("requests = %d, want 5", s.Requests())
	}
}

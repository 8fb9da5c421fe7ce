package mal

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func FuzzListPage(f *testing.F) {
	f.Add([]byte(`{"data":[{"node":{"id":1,"title":"a","num_episodes":3},"list_status":{"status":"watching","num_episodes_watched":2,"updated_at":"2020-01-01T00:00:00+00:00"}}],"paging":{}}`))
	f.Add([]byte(`{"data":[{"node":{"id":0}},{"node":{"id":-4}},{}],"paging":{"next":"x"}}`))
	f.Add([]byte(`{"data":null}`))
	f.Add([]byte(`{"data":[{"node":{"id":2},"list_status":{"updated_at":"yesterday","is_rereading":true}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p listPage
		if json.Unmarshal(data, &p) != nil {
			return
		}
		for _, m := range []Media{Anime, Manga} {
			for _, e := range p.appendTo(nil, m) {
				if e.ID <= 0 {
					t.Fatalf("entry with id %d kept", e.ID)
				}
				if m == Anime && e.Status.Volumes != 0 {
					t.Fatalf("anime entry with volumes: %+v", e)
				}
			}
		}
	})
}

func FuzzParseErrorBody(f *testing.F) {
	f.Add(401, []byte(`{"error":"invalid_token","message":"token is invalid"}`))
	f.Add(403, []byte(`<html>Request blocked</html>`))
	f.Add(400, []byte(`{"error":"invalid_parameters"}`))
	f.Add(404, []byte(`{"error":{"nested":1}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseErrorBody(status, body)
		if e.Status != status || e.Error() == "" {
			t.Fatalf("parseErrorBody(%d) = %+v", status, e)
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"30", "", "0", "-1", "abc", "Wed, 21 Oct 2015 07:28:00 GMT", "9999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, h string) {
		if d := retryAfter(h, now); d < 0 || d > maxRetryAfter {
			t.Fatalf("retryAfter(%q) = %v", h, d)
		}
	})
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		h    string
		want time.Duration
	}{
		{"30", 30 * time.Second},
		{"", 0},
		{"soon", 0},
		{now.Add(2 * time.Minute).Format(http.TimeFormat), 2 * time.Minute},
		{"9999999999999", maxRetryAfter},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.h, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

// FuzzUpdateForm checks that whatever form accepts, MAL would too: statuses
// of the media, scores 0..10, counts >= 0, full dates.
func FuzzUpdateForm(f *testing.F) {
	f.Add("watching", 5, 3, 0, true, "2024-01-02", "")
	f.Add("reading", 11, -1, 2, false, "2024-13-01", "2024")
	f.Add("", 0, 0, 0, false, "", "")
	f.Fuzz(func(t *testing.T, status string, score, progress, volumes int, rep bool, start, finish string) {
		for _, m := range []Media{Anime, Manga} {
			u := Update{Status: new(Status(status)), Score: new(score), Progress: new(progress), Repeating: new(rep),
				StartDate: new(start), FinishDate: new(finish)}
			if m == Manga {
				u.Volumes = new(volumes)
			}
			form, err := u.form(m)
			if err != nil {
				continue
			}
			if !Status(form.Get("status")).ValidFor(m) || score < 0 || score > 10 || progress < 0 || m == Manga && volumes < 0 {
				t.Fatalf("form accepted %+v for %s: %v", u, m, form)
			}
			for _, d := range []string{start, finish} {
				if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
					t.Fatalf("form accepted date %q", d)
				}
			}
		}
	})
}

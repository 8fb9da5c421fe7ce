package jikantest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/ratelimit"
)

func catalog(n int) []anime.Anime {
	items := make([]anime.Anime, n)
	for i := range items {
		items[i] = anime.Anime{ID: n - i, Title: fmt.Sprintf("Show %d", n-i), Type: "TV", Year: 2000 + i%20}
	}
	return items
}

// generous limits keep limit enforcement out of tests about other things.
var generous = Options{Limits: []ratelimit.Rate{{N: 10000, Per: time.Second}}}

type listDoc struct {
	Data []struct {
		MalID int `json:"mal_id"`
	} `json:"data"`
	Pagination struct {
		LastVisiblePage int  `json:"last_visible_page"`
		HasNextPage     bool `json:"has_next_page"`
		CurrentPage     int  `json:"current_page"`
		Items           struct {
			Count   int `json:"count"`
			Total   int `json:"total"`
			PerPage int `json:"per_page"`
		} `json:"items"`
	} `json:"pagination"`
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("decode %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

func TestListPagination(t *testing.T) {
	s := New(catalog(60), generous)
	defer s.Close()
	tests := []struct {
		query                 string
		status                int
		firstID, count, last  int
		hasNext               bool
		current, perPage, all int
	}{
		{"page=1", 200, 1, 25, 3, true, 1, 25, 60},
		{"", 200, 1, 25, 3, true, 1, 25, 60},
		{"page=3", 200, 51, 10, 3, false, 3, 25, 60},
		{"page=4", 200, 0, 0, 3, false, 4, 25, 60},
		{"page=2&limit=10", 200, 11, 10, 6, true, 2, 10, 60},
		{"q=show 5", 200, 5, 11, 1, false, 1, 25, 11}, // 5, 50-59
		{"page=0", 400, 0, 0, 0, false, 0, 0, 0},
		{"page=x", 400, 0, 0, 0, false, 0, 0, 0},
		{"limit=26", 400, 0, 0, 0, false, 0, 0, 0},
	}
	for _, tt := range tests {
		var doc listDoc
		status := getJSON(t, s.URL+"/anime?"+strings.ReplaceAll(tt.query, " ", "+"), &doc)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.query, status, tt.status)
			continue
		}
		if status != 200 {
			continue
		}
		p := doc.Pagination
		if len(doc.Data) != tt.count || p.Items.Count != tt.count || p.LastVisiblePage != tt.last ||
			p.HasNextPage != tt.hasNext || p.CurrentPage != tt.current || p.Items.PerPage != tt.perPage || p.Items.Total != tt.all {
			t.Errorf("%s: got %d items, pagination %+v", tt.query, len(doc.Data), p)
		}
		if tt.count > 0 && doc.Data[0].MalID != tt.firstID {
			t.Errorf("%s: first id %d, want %d", tt.query, doc.Data[0].MalID, tt.firstID)
		}
	}
}

func TestAnimeDetails(t *testing.T) {
	s := New([]anime.Anime{{ID: 1, Title: "Cowboy Bebop", English: "Cowboy Bebop", Episodes: 26,
		Streaming: []anime.Link{{Name: "Crunchyroll", URL: "https://www.crunchyroll.com/series/GYVNXMVP6"}}}}, generous)
	defer s.Close()
	var full struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if status := getJSON(t, s.URL+"/anime/1/full", &full); status != 200 {
		t.Fatalf("status %d", status)
	}
	want := map[string]string{
		"mal_id":        `1`,
		"title_english": `"Cowboy Bebop"`,
		"year":          `null`,
		"episodes":      `26`,
		"streaming":     `[{"name":"Crunchyroll","url":"https://www.crunchyroll.com/series/GYVNXMVP6"}]`,
		"titles":        `[{"type":"Default","title":"Cowboy Bebop"},{"type":"English","title":"Cowboy Bebop"}]`,
	}
	for k, v := range want {
		if got := string(full.Data[k]); got != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}
	var plain struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	getJSON(t, s.URL+"/anime/1", &plain)
	if _, ok := plain.Data["streaming"]; ok {
		t.Error("/anime/1 has streaming, which only /full has")
	}
	var notFound struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
	}
	if status := getJSON(t, s.URL+"/anime/2/full", &notFound); status != 404 || notFound.Type != "BadResponseException" {
		t.Errorf("unknown id: %d %+v, want 404 BadResponseException", status, notFound)
	}
}

func TestLimitsAreEnforced(t *testing.T) {
	s := New(catalog(1), Options{Limits: []ratelimit.Rate{{N: 5, Per: time.Hour}, {N: 2, Per: time.Minute}}})
	defer s.Close()
	var statuses []int
	var retryAfter string
	for range 4 {
		resp, err := http.Get(s.URL + "/anime/1/full")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		retryAfter = resp.Header.Get("Retry-After")
	}
	if fmt.Sprint(statuses) != "[200 200 429 429]" {
		t.Errorf("statuses %v, want [200 200 429 429]", statuses)
	}
	if retryAfter != "60" {
		t.Errorf("Retry-After %q, want 60", retryAfter)
	}
	c := s.Counts()
	if c.Requests != 4 || c.Throttled != 2 || c.First.IsZero() || c.Last.Before(c.First) {
		t.Errorf("counts %+v, want 4 requests, 2 throttled", c)
	}
}

func TestFailNext(t *testing.T) {
	s := New(catalog(3), generous)
	defer s.Close()
	s.FailNext("/anime/1/full", 2, Fail500)
	s.FailNext("/anime", 1, FailTruncated)
	s.FailNext("/anime/2/full", 1, FailTimeout)

	for i, want := range []int{500, 500, 200} {
		if got := getJSON(t, s.URL+"/anime/1/full", nil); got != want {
			t.Errorf("request %d: status %d, want %d", i+1, got, want)
		}
	}

	resp, err := http.Get(s.URL + "/anime?page=1")
	if err != nil {
		t.Fatal(err)
	}
	cut, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || json.Valid(cut) || len(cut) == 0 {
		t.Errorf("truncated: status %d, %d bytes, valid JSON %v; want 200 and broken JSON", resp.StatusCode, len(cut), json.Valid(cut))
	}
	resp, _ = http.Get(s.URL + "/anime?page=1")
	whole, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(cut) != len(whole)/2 {
		t.Errorf("truncated body %d bytes, want half of %d", len(cut), len(whole))
	}

	c := &http.Client{Timeout: 50 * time.Millisecond}
	if _, err := c.Get(s.URL + "/anime/2/full"); err == nil {
		t.Error("FailTimeout answered")
	}
	if got := s.Counts().Failed; got != 4 {
		t.Errorf("failed %d, want 4", got)
	}
}

func TestConcurrentRequestsAreCounted(t *testing.T) {
	s := New(catalog(30), generous)
	defer s.Close()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			resp, err := http.Get(fmt.Sprintf("%s/anime/%d/full", s.URL, i+1))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		})
	}
	wg.Wait()
	if got := s.Counts().Requests; got != 20 {
		t.Errorf("requests %d, want 20", got)
	}
}

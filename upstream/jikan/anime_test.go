package jikan

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/upstream/httpx"
)

var fetched = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// fixtures serves the recorded answers in testdata/ by request path and
// remembers the query strings it was sent.
type fixtures struct {
	mu      sync.Mutex
	queries []string
}

func (f *fixtures) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.RawQuery)
	f.mu.Unlock()
	files := map[string]string{
		"/v4/anime/1/full":     "anime_1_full.json",
		"/v4/anime/52991/full": "anime_52991_full.json",
		"/v4/anime/59978/full": "anime_59978_full.json",
		"/v4/anime":            "anime_search_frieren.json",
	}
	name, ok := files[r.URL.Path]
	status := http.StatusOK
	if !ok {
		name, status = "error_404.json", http.StatusNotFound
	}
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func newTestClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(Config{
		BaseURL: srv.URL + "/v4",
		HTTP:    httpx.NewClient(nil, nil, 5*time.Second),
		Now:     func() time.Time { return fetched },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	cowboyBebop = anime.Anime{
		ID: 1, Title: "Cowboy Bebop", English: "Cowboy Bebop", Japanese: "カウボーイビバップ",
		Type: "TV", Year: 1998, Episodes: 26, Status: anime.StatusFinished, Members: 1952338, Score: 8.75,
		ImageURL: "https://cdn.myanimelist.net/images/anime/4/19644l.jpg",
		Streaming: []anime.Link{
			{Name: "Crunchyroll", URL: "http://www.crunchyroll.com/series-271225"},
			{Name: "Netflix", URL: "https://www.netflix.com/title/80001305"},
		},
		FetchedAt: fetched, Source: "jikan",
	}
	frieren = anime.Anime{
		ID: 52991, Title: "Sousou no Frieren", English: "Frieren: Beyond Journey's End", Japanese: "葬送のフリーレン",
		Synonyms: []string{"Frieren at the Funeral", "Frieren The Slayer"},
		Type:     "TV", Year: 2023, Episodes: 28, Status: anime.StatusFinished, Members: 1205871, Score: 9.29,
		ImageURL: "https://cdn.myanimelist.net/images/anime/1015/138006l.jpg",
		Streaming: []anime.Link{
			{Name: "Crunchyroll", URL: "http://www.crunchyroll.com/series/GG5H5XQX4"},
			{Name: "Ani-One Asia", URL: "https://www.youtube.com/playlist?list=PLxSscENEp7Jgh1CkFEFqcqTn7wZQBQ8UL"},
		},
		FetchedAt: fetched, Source: "jikan",
	}
	frieren2 = anime.Anime{
		ID: 59978, Title: "Sousou no Frieren 2nd Season", Japanese: "葬送のフリーレン 第2期",
		Synonyms: []string{"Frieren at the Funeral Season 2"},
		Type:     "TV", Year: 2026, Status: anime.StatusUpcoming, Members: 215443,
		ImageURL:  "https://cdn.myanimelist.net/images/anime/1921/148186.jpg",
		FetchedAt: fetched, Source: "jikan",
	}
	frierenMini = anime.Anime{
		ID: 56805, Title: "Sousou no Frieren: ●● no Mahou", English: "Frieren: Beyond Journey's End Mini Anime",
		Japanese: "葬送のフリーレン ～●●の魔法～", Type: "ONA", Year: 2023, Episodes: 28, Status: anime.StatusFinished,
		Members: 36408, Score: 7.36, ImageURL: "https://cdn.myanimelist.net/images/anime/1140/140290l.jpg",
		FetchedAt: fetched, Source: "jikan",
	}
)

func TestAnime(t *testing.T) {
	c := newTestClient(t, &fixtures{})
	tests := []struct {
		name string
		want anime.Anime
	}{
		{"legacy and titles[] agree, no synonyms", cowboyBebop},
		{"synonyms and foreign titles", frieren},
		{"not yet aired: nulls, year from aired, small image", frieren2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Anime(context.Background(), tt.want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Anime(%d) =\n%+v\nwant\n%+v", tt.want.ID, got, tt.want)
			}
		})
	}
}

func TestAnimeNotFound(t *testing.T) {
	c := newTestClient(t, &fixtures{})
	_, err := c.Anime(context.Background(), 99999999)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "Resource does not exist") {
		t.Errorf("Anime(99999999) error = %v, want ErrNotFound with Jikan's message", err)
	}
}

func TestSearchAndPage(t *testing.T) {
	f := &fixtures{}
	c := newTestClient(t, f)
	want := []anime.Anime{frieren, frierenMini, frieren2}
	for i := range want {
		want[i].Streaming = nil // lists carry no streaming links
	}

	got, err := c.Search(context.Background(), " frieren ", 3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Search =\n%+v\nwant\n%+v", got, want)
	}

	page, err := c.AnimePage(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !page.HasNext || page.LastPage != 2 || page.Current != 1 || !reflect.DeepEqual(page.Items, want) {
		t.Errorf("AnimePage = %+v", page)
	}
	if _, err := c.Search(context.Background(), "frieren", 100); err != nil {
		t.Fatal(err)
	}
	wantQueries := []string{"limit=3&q=frieren", "order_by=mal_id&page=1&sort=asc", "limit=25&q=frieren"}
	if !reflect.DeepEqual(f.queries, wantQueries) {
		t.Errorf("queries %q, want %q", f.queries, wantQueries)
	}
}

func TestBadArguments(t *testing.T) {
	c := newTestClient(t, &fixtures{})
	ctx := context.Background()
	if _, err := c.Anime(ctx, 0); err == nil {
		t.Error("Anime(0) succeeded")
	}
	if _, err := c.AnimePage(ctx, 0); err == nil {
		t.Error("AnimePage(0) succeeded")
	}
	if _, err := c.Search(ctx, "  ", 5); err == nil {
		t.Error(`Search("  ") succeeded`)
	}
	for _, cfg := range []Config{
		{BaseURL: "ftp://api.jikan.moe/v4", HTTP: http.DefaultClient},
		{BaseURL: "api.jikan.moe/v4", HTTP: http.DefaultClient},
		{BaseURL: "https://api.jikan.moe/v4"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
	c, err := New(Config{HTTP: http.DefaultClient})
	if err != nil || c.base.String() != DefaultBaseURL {
		t.Errorf("New with no base URL = %v, %v; want %s", c, err, DefaultBaseURL)
	}
}

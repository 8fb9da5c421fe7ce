package mal_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

// bearer is an http.Client that sends a fixed token, standing in for the
// oauth2 client the bot passes.
func bearer(token string) *http.Client {
	return &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+token)
		return http.DefaultTransport.RoundTrip(r)
	})}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// newUser starts a fake with user 1 and returns a client holding their token.
func newUser(t *testing.T) (*maltest.Server, *mal.Client, string) {
	fake := maltest.New(t)
	fake.AddUser(1, "Rin")
	access, _ := fake.IssueTokens(1)
	return fake, mal.New(fake.APIURL(), bearer(access)), access
}

func TestMe(t *testing.T) {
	_, c, _ := newUser(t)
	got, err := c.Me(context.Background())
	if err != nil || got != (mal.User{ID: 1, Name: "Rin"}) {
		t.Errorf("Me = %+v, %v; want user 1 Rin", got, err)
	}
}

func TestAnimeListPagesAndIncludesNSFW(t *testing.T) {
	fake, c, _ := newUser(t)
	fake.MaxPage = 2
	fake.AddTitle(mal.Anime, maltest.Title{ID: 3, Title: "Adult", NSFW: true, Total: 12})
	want := map[int]mal.ListStatus{}
	for id := 1; id <= 5; id++ {
		st := mal.ListStatus{
			Status: mal.Completed, Score: id, Progress: 12, Repeating: id == 2, RepeatCount: id,
			StartDate: fmt.Sprintf("2020-01-%02d", id), FinishDate: "2021-02-03",
			UpdatedAt: time.Date(2025, 1, id, 0, 0, 0, 0, time.UTC),
		}
		fake.SetEntry(1, mal.Anime, id, st)
		want[id] = st
	}

	got, err := c.AnimeList(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("got %d entries, want 5 (NSFW included)", len(got))
	}
	for _, e := range got {
		if !reflect.DeepEqual(e.Status, want[e.ID]) {
			t.Errorf("entry %d = %+v, want %+v", e.ID, e.Status, want[e.ID])
		}
	}
	if got[2].Title != "Adult" || got[2].Total != 12 {
		t.Errorf("entry 3 = %+v, want title Adult with 12 episodes", got[2])
	}
	if n := fake.Count(maltest.AnimeList); n != 3 {
		t.Errorf("list requests = %d, want 3 pages of 2", n)
	}
}

func TestMangaList(t *testing.T) {
	fake, c, _ := newUser(t)
	fake.AddTitle(mal.Manga, maltest.Title{ID: 2, Title: "Berserk", Total: 380, TotalVolumes: 42})
	st := mal.ListStatus{Status: mal.Reading, Score: 10, Progress: 120, Volumes: 14, Repeating: true, RepeatCount: 1,
		StartDate: "2019-03-01", UpdatedAt: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
	fake.SetEntry(1, mal.Manga, 2, st)

	got, err := c.MangaList(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []mal.ListEntry{{ID: 2, Title: "Berserk", Total: 380, TotalVolumes: 42, Status: st}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MangaList = %+v, want %+v", got, want)
	}
}

func TestListFixtures(t *testing.T) {
	tests := []struct {
		file  string
		media mal.Media
		want  []mal.ListEntry
	}{
		{"testdata/animelist.json", mal.Anime, []mal.ListEntry{
			{ID: 1, Title: "Cowboy Bebop", Total: 26, Status: mal.ListStatus{
				Status: mal.Completed, Score: 9, Progress: 26, Repeating: true, RepeatCount: 2,
				StartDate: "2017-01-05", FinishDate: "2017", UpdatedAt: time.Date(2025, 11, 11, 19, 51, 22, 0, time.UTC),
			}},
			{ID: 52991, Title: "Sousou no Frieren", Status: mal.ListStatus{
				Status: mal.Watching, Progress: 4, UpdatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			}},
		}},
		{"testdata/mangalist.json", mal.Manga, []mal.ListEntry{
			{ID: 2, Title: "Berserk", Status: mal.ListStatus{
				Status: mal.Reading, Score: 10, Progress: 120, Volumes: 14, RepeatCount: 1, StartDate: "2019-03",
				UpdatedAt: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
			}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var query url.Values
			srv := serveFile(t, tt.file, &query)
			got, err := mal.New(srv.URL, nil).List(context.Background(), tt.media)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("List =\n%+v\nwant\n%+v", got, tt.want)
			}
			if query.Get("nsfw") != "true" || query.Get("limit") != "1000" || !strings.Contains(query.Get("fields"), "start_date") {
				t.Errorf("query = %v, want nsfw=true, limit=1000 and list_status fields", query)
			}
		})
	}
}

// serveFile answers every request with a fixture, recording the last query.
func serveFile(t *testing.T, name string, query *url.Values) *httptest.Server {
	t.Helper()
	body, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if query != nil {
			*query = r.URL.Query()
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestListRefusesForeignNextPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":[{"node":{"id":1,"title":"x"}}],"paging":{"next":"https://evil.example/v2/users/@me/animelist?offset=1"}}`))
	}))
	defer srv.Close()
	if _, err := mal.New(srv.URL, nil).AnimeList(context.Background()); err == nil || !strings.Contains(err.Error(), "not under") {
		t.Errorf("err = %v, want a refusal to follow the foreign next page", err)
	}
}

func TestUpdateSendsOnlySetFields(t *testing.T) {
	tests := []struct {
		name     string
		media    mal.Media
		endpoint string
		update   mal.Update
		form     url.Values
	}{
		{"anime status and progress", mal.Anime, maltest.PatchAnime,
			mal.Update{Status: new(mal.Watching), Progress: new(3)},
			url.Values{"status": {"watching"}, "num_watched_episodes": {"3"}}},
		{"anime rewatch", mal.Anime, maltest.PatchAnime,
			mal.Update{Status: new(mal.Completed), Repeating: new(true), RepeatCount: new(2)},
			url.Values{"status": {"completed"}, "is_rewatching": {"true"}, "num_times_rewatched": {"2"}}},
		{"anime score and dates", mal.Anime, maltest.PatchAnime,
			mal.Update{Score: new(0), StartDate: new("2024-02-29"), FinishDate: new("")},
			url.Values{"score": {"0"}, "start_date": {"2024-02-29"}, "finish_date": {""}}},
		{"manga chapters and volumes", mal.Manga, maltest.PatchManga,
			mal.Update{Progress: new(120), Volumes: new(14), Repeating: new(false), RepeatCount: new(1)},
			url.Values{"num_chapters_read": {"120"}, "num_volumes_read": {"14"}, "is_rereading": {"false"}, "num_times_reread": {"1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := newUser(t)
			if _, err := c.UpdateEntry(context.Background(), tt.media, 42, tt.update); err != nil {
				t.Fatal(err)
			}
			if got := fake.LastForm(tt.endpoint); !reflect.DeepEqual(got, tt.form) {
				t.Errorf("form = %v, want %v", got, tt.form)
			}
		})
	}
}

func TestUpdateReturnsStoredState(t *testing.T) {
	fake, c, _ := newUser(t)
	fake.AddTitle(mal.Anime, maltest.Title{ID: 7, Total: 12})
	got, err := c.UpdateAnime(context.Background(), 7, mal.Update{Status: new(mal.Completed), Progress: new(30), Score: new(8)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != mal.Completed || got.Progress != 12 || got.Score != 8 || got.UpdatedAt.IsZero() {
		t.Errorf("UpdateAnime = %+v, want completed, progress capped at 12, score 8, a time", got)
	}
	if stored, _ := fake.Entry(1, mal.Anime, 7); stored != got {
		t.Errorf("stored %+v, returned %+v", stored, got)
	}
	m, err := c.UpdateManga(context.Background(), 9, mal.Update{Status: new(mal.Reading), Volumes: new(3)})
	if err != nil || m.Status != mal.Reading || m.Volumes != 3 {
		t.Errorf("UpdateManga = %+v, %v; want reading, 3 volumes", m, err)
	}
}

func TestUpdatePatchFixture(t *testing.T) {
	srv := serveFile(t, "testdata/patch-anime.json", nil)
	got, err := mal.New(srv.URL, nil).UpdateAnime(context.Background(), 1, mal.Update{Score: new(8)})
	want := mal.ListStatus{Status: mal.Completed, Score: 8, Progress: 12, StartDate: "2026-01-01", FinishDate: "2026-03-04",
		UpdatedAt: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	if err != nil || got != want {
		t.Errorf("UpdateAnime = %+v, %v; want %+v", got, err, want)
	}
}

func TestUpdateRejectsBadValuesWithoutSending(t *testing.T) {
	tests := []struct {
		name  string
		media mal.Media
		u     mal.Update
	}{
		{"empty", mal.Anime, mal.Update{}},
		{"manga status on anime", mal.Anime, mal.Update{Status: new(mal.Reading)}},
		{"anime status on manga", mal.Manga, mal.Update{Status: new(mal.PlanToWatch)}},
		{"unknown status", mal.Anime, mal.Update{Status: new(mal.Status("rewatching"))}},
		{"score 11", mal.Anime, mal.Update{Score: new(11)}},
		{"score -1", mal.Anime, mal.Update{Score: new(-1)}},
		{"volumes on anime", mal.Anime, mal.Update{Volumes: new(1)}},
		{"negative progress", mal.Manga, mal.Update{Progress: new(-2)}},
		{"partial date", mal.Anime, mal.Update{StartDate: new("2024-05")}},
		{"impossible date", mal.Anime, mal.Update{FinishDate: new("2023-02-29")}},
	}
	fake, c, _ := newUser(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.UpdateEntry(context.Background(), tt.media, 1, tt.u); err == nil {
				t.Error("no error")
			}
		})
	}
	if n := fake.Count(maltest.PatchAnime) + fake.Count(maltest.PatchManga); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestDelete(t *testing.T) {
	fake, c, _ := newUser(t)
	fake.SetEntry(1, mal.Anime, 5, mal.ListStatus{Status: mal.Dropped})
	fake.SetEntry(1, mal.Manga, 5, mal.ListStatus{Status: mal.Dropped})
	if err := c.DeleteAnime(context.Background(), 5); err != nil {
		t.Fatal(err)
	}
	if _, ok := fake.Entry(1, mal.Anime, 5); ok {
		t.Error("anime 5 still on the list")
	}
	if _, ok := fake.Entry(1, mal.Manga, 5); !ok {
		t.Error("manga 5 was deleted too")
	}
	if err := c.DeleteAnime(context.Background(), 5); !errors.Is(err, mal.ErrNotFound) {
		t.Errorf("second delete: err = %v, want ErrNotFound", err)
	}
	if err := c.DeleteManga(context.Background(), 5); err != nil {
		t.Errorf("DeleteManga: %v", err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		status     int
		retryAfter time.Duration
		is         error
		retryable  bool
	}{
		{http.StatusUnauthorized, 0, mal.ErrUnauthorized, false},
		{http.StatusTooManyRequests, 30 * time.Second, mal.ErrThrottled, true},
		{http.StatusForbidden, 0, mal.ErrThrottled, true},
		{http.StatusNotFound, 0, mal.ErrNotFound, false},
		{http.StatusBadRequest, 0, nil, false},
		{http.StatusBadGateway, 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			fake, c, token := newUser(t)
			fake.FailNext(maltest.PatchAnime, tt.status, tt.retryAfter)
			_, err := c.UpdateAnime(context.Background(), 1, mal.Update{Score: new(5)})
			var he *mal.HTTPError
			if !errors.As(err, &he) || he.Status != tt.status || he.RetryAfter != tt.retryAfter || he.Retryable() != tt.retryable {
				t.Fatalf("err = %#v, want status %d, retry after %v, retryable %v", err, tt.status, tt.retryAfter, tt.retryable)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want it to match %v", err, tt.is)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("error %q holds the token", err)
			}
		})
	}
}

func TestExpiredToken(t *testing.T) {
	fake, c, _ := newUser(t)
	fake.ExpireAccessTokens(1)
	if _, err := c.AnimeList(context.Background()); !errors.Is(err, mal.ErrUnauthorized) {
		t.Errorf("err = %v, want ErrUnauthorized", err)
	}
}

func TestAnimeDetailsWithClientID(t *testing.T) {
	fake := maltest.New(t)
	fake.AddTitle(mal.Anime, maltest.Title{
		ID: 52991, Title: "Sousou no Frieren", English: "Frieren: Beyond Journey's End", Japanese: "葬送のフリーレン",
		Total: 28, MediaType: "tv", Status: "finished_airing", Year: 2023, Members: 1000, Mean: 9.3,
	})
	c := mal.New(fake.APIURL(), nil)
	if _, err := c.Anime(context.Background(), 52991); !errors.Is(err, mal.ErrUnauthorized) {
		t.Errorf("without a client id: err = %v, want ErrUnauthorized", err)
	}
	got, err := c.WithClientID(fake.ClientID).Anime(context.Background(), 52991)
	if err != nil {
		t.Fatal(err)
	}
	want := anime.Anime{
		ID: 52991, Title: "Sousou no Frieren", English: "Frieren: Beyond Journey's End", Japanese: "葬送のフリーレン",
		Synonyms: []string{}, Type: "TV", Year: 2023, Episodes: 28, Status: anime.StatusFinished, Members: 1000,
		Score: 9.3, ImageURL: "https://cdn.example/l.jpg", FetchedAt: got.FetchedAt, Source: "mal",
	}
	if !reflect.DeepEqual(got, want) || got.FetchedAt.IsZero() {
		t.Errorf("Anime =\n%+v\nwant\n%+v", got, want)
	}
}

func TestAnimeDetailsFixture(t *testing.T) {
	srv := serveFile(t, "testdata/anime.json", nil)
	got, err := mal.New(srv.URL, nil).Anime(context.Background(), 52991)
	if err != nil {
		t.Fatal(err)
	}
	if got.English != "Frieren: Beyond Journey's End" || got.Type != "TV" || got.Status != anime.StatusFinished ||
		got.Year != 2023 || got.Episodes != 28 || got.Members != 1234567 || got.Score != 9.3 ||
		!strings.HasSuffix(got.ImageURL, "138006l.jpg") || len(got.Synonyms) != 1 {
		t.Errorf("Anime = %+v", got)
	}
	if _, err := mal.New(srv.URL, nil).Anime(context.Background(), 1); err == nil {
		t.Error("an answer for another id was accepted")
	}
}

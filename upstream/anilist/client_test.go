package anilist_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"dubbot/upstream/anilist"
	"dubbot/upstream/anilist/anilisttest"
)

func TestViewer(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(7, "Yuki")
	fake.SetScoreFormat(7, "POINT_100")
	token := fake.IssueToken(7)

	c := anilist.New(fake.Endpoint(), nil)
	got, err := c.WithToken(token).Viewer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := anilist.User{ID: 7, Name: "Yuki", ScoreFormat: "POINT_100"}
	if got != want {
		t.Errorf("Viewer = %+v, want %+v", got, want)
	}
}

func TestViewerUnauthorized(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(7, "Yuki")
	revoked := fake.IssueToken(7)
	fake.RevokeTokens(7)
	c := anilist.New(fake.Endpoint(), nil)

	tests := []struct {
		name string
		c    *anilist.Client
	}{
		{"no token", c},                              // AniList: 401 Unauthorized.
		{"revoked token", c.WithToken(revoked)},      // AniList: 400 Invalid token
		{"unknown token", c.WithToken("not-issued")}, // AniList: 400 Invalid token
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Viewer(context.Background())
			if !errors.Is(err, anilist.ErrUnauthorized) {
				t.Fatalf("err = %v, want ErrUnauthorized", err)
			}
			if strings.Contains(err.Error(), revoked) {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestListMapsEveryField(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(1, "a")
	want := []anilist.Entry{
		{
			MediaID: 5, MALID: 55, Type: anilist.Anime, TitleRomaji: "Cowboy Bebop", TitleEnglish: "Cowboy Bebop",
			Episodes: 26, Status: anilist.Repeating, Score: 95, Progress: 3, Repeat: 2,
			StartedAt: anilist.Date{Year: 2020, Month: 1, Day: 2}, CompletedAt: anilist.Date{Year: 2020},
		},
		{MediaID: 9, Type: anilist.Anime, TitleRomaji: "No MAL", Status: anilist.Planning},
	}
	for i := range want {
		want[i].UpdatedAt = fake.SetEntry(1, want[i])
	}
	fake.SetEntry(1, anilist.Entry{MediaID: 30, MALID: 300, Type: anilist.Manga, Status: anilist.Current})

	got, err := anilist.New(fake.Endpoint(), nil).List(context.Background(), 1, anilist.Anime)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List =\n%+v\nwant\n%+v", got, want)
	}
}

func TestListManga(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(1, "a")
	want := anilist.Entry{
		MediaID: 30, MALID: 2, Type: anilist.Manga, TitleRomaji: "Berserk", Chapters: 380, Volumes: 42,
		Status: anilist.Current, Score: 100, Progress: 120, ProgressVolumes: 14,
	}
	want.UpdatedAt = fake.SetEntry(1, want)

	got, err := anilist.New(fake.Endpoint(), nil).List(context.Background(), 1, anilist.Manga)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("List = %+v, want [%+v]", got, want)
	}
}

func TestListChunksAndDeduplicates(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(1, "a")
	const n = 1201 // three chunks of 500
	for id := 1; id <= n; id++ {
		fake.SetEntry(1, anilist.Entry{MediaID: id, MALID: id, Type: anilist.Anime, Status: anilist.Completed})
	}
	fake.AddToCustomList(1, 1, "Favourites")
	fake.AddToCustomList(1, 1200, "Favourites")

	got, err := anilist.New(fake.Endpoint(), nil).List(context.Background(), 1, anilist.Anime)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Errorf("got %d entries, want %d", len(got), n)
	}
	seen := make(map[int]bool)
	for _, e := range got {
		if seen[e.MediaID] {
			t.Errorf("media %d listed twice", e.MediaID)
		}
		seen[e.MediaID] = true
	}
	if c := fake.Count("UserList"); c != 3 {
		t.Errorf("UserList requests = %d, want 3", c)
	}
}

func TestListFixture(t *testing.T) {
	body, err := os.ReadFile("testdata/userlist.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()

	got, err := anilist.New(srv.URL, nil).List(context.Background(), 1, anilist.Anime)
	if err != nil {
		t.Fatal(err)
	}
	want := []anilist.Entry{
		{
			MediaID: 21, MALID: 21, Type: anilist.Anime, TitleRomaji: "ONE PIECE", TitleEnglish: "ONE PIECE",
			Status: anilist.Repeating, Score: 85, Progress: 12, Repeat: 2, UpdatedAt: 1700000123,
			StartedAt: anilist.Date{Year: 2023, Month: 4, Day: 1},
		},
		{
			MediaID: 171018, Type: anilist.Anime, TitleRomaji: "Dandadan", Episodes: 12,
			Status: anilist.Planning, UpdatedAt: 1700000456, StartedAt: anilist.Date{Year: 2024},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List =\n%+v\nwant\n%+v", got, want)
	}
}

func TestListUnknownUser(t *testing.T) {
	fake := anilisttest.New(t)
	_, err := anilist.New(fake.Endpoint(), nil).List(context.Background(), 404, anilist.Anime)
	var e *anilist.Error
	if !errors.As(err, &e) || e.Status != http.StatusNotFound {
		t.Fatalf("err = %v, want *Error with status 404", err)
	}
}

func TestRecentUpdates(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(1, "a")
	fake.AddUser(2, "b")
	fake.AddUser(3, "not asked about")
	var want []anilist.ListUpdate
	for i := range 60 {
		user := 1 + i%2
		at := fake.SetEntry(user, anilist.Entry{MediaID: 100 + i, Type: anilist.Anime, Status: anilist.Current})
		want = append([]anilist.ListUpdate{{UserID: user, MediaID: 100 + i, UpdatedAt: at}}, want...)
	}
	fake.SetEntry(3, anilist.Entry{MediaID: 999, Type: anilist.Anime})

	c := anilist.New(fake.Endpoint(), nil)
	p1, err := c.RecentUpdates(context.Background(), []int{1, 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := c.RecentUpdates(context.Background(), []int{1, 2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !p1.HasNextPage || p2.HasNextPage {
		t.Errorf("HasNextPage = %v, %v; want true, false", p1.HasNextPage, p2.HasNextPage)
	}
	if got := append(p1.Updates, p2.Updates...); !reflect.DeepEqual(got, want) {
		t.Errorf("updates =\n%v\nwant\n%v", got, want)
	}
}

func TestRecentUpdatesNoUsersSendsNothing(t *testing.T) {
	fake := anilisttest.New(t)
	p, err := anilist.New(fake.Endpoint(), nil).RecentUpdates(context.Background(), nil, 1)
	if err != nil || len(p.Updates) != 0 || p.HasNextPage {
		t.Errorf("RecentUpdates(nil) = %+v, %v; want empty", p, err)
	}
	if n := fake.Count("RecentListUpdates"); n != 0 {
		t.Errorf("sent %d requests, want 0", n)
	}
}

func TestRateLimited(t *testing.T) {
	fake := anilisttest.New(t)
	fake.AddUser(1, "a")
	fake.RateLimit(1, 42*time.Second)
	c := anilist.New(fake.Endpoint(), nil)

	_, err := c.List(context.Background(), 1, anilist.Anime)
	var e *anilist.Error
	if !errors.Is(err, anilist.ErrRateLimited) || !errors.As(err, &e) {
		t.Fatalf("err = %v, want a rate limit *Error", err)
	}
	if e.RetryAfter != 42*time.Second {
		t.Errorf("RetryAfter = %v, want 42s", e.RetryAfter)
	}
	if _, err := c.List(context.Background(), 1, anilist.Anime); err != nil {
		t.Errorf("after the 429: %v", err)
	}
}

// AniList sometimes answers HTTP 200 with only errors in the body.
func TestGraphQLErrorsWith200(t *testing.T) {
	tests := []struct {
		msg  string
		want error
	}{
		{"Invalid token", anilist.ErrUnauthorized},
		{"Too Many Requests.", anilist.ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"data":null,"errors":[{"message":%q,"status":400}]}`, tt.msg)
			}))
			defer srv.Close()
			_, err := anilist.New(srv.URL, nil).WithToken("t").Viewer(context.Background())
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNonJSONErrorPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html>502 Bad Gateway</html>")
	}))
	defer srv.Close()
	_, err := anilist.New(srv.URL, nil).List(context.Background(), 1, anilist.Anime)
	var e *anilist.Error
	if !errors.As(err, &e) || e.Status != http.StatusBadGateway {
		t.Fatalf("err = %v, want *Error 502", err)
	}
}

package jikan_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/ratelimit"
	"dubbot/upstream/httpx"
	"dubbot/upstream/jikan"
	"dubbot/upstream/jikan/jikantest"
)

var fetched = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// catalog is n made-up anime with every field the fake carries.
func catalog(n int) []anime.Anime {
	items := make([]anime.Anime, n)
	for i := range items {
		id := i + 1
		items[i] = anime.Anime{
			ID: id, Title: fmt.Sprintf("Show %d", id), English: fmt.Sprintf("The Show %d", id),
			Japanese: fmt.Sprintf("番組 %d", id), Synonyms: []string{fmt.Sprintf("S%d", id)},
			Type: "TV", Year: 2000 + id%25, Episodes: 12, Status: anime.StatusFinished,
			Members: 1000 * id, Score: 7.5, ImageURL: fmt.Sprintf("https://cdn.myanimelist.net/images/anime/%d.jpg", id),
			Streaming: []anime.Link{{Name: "Crunchyroll", URL: fmt.Sprintf("https://www.crunchyroll.com/series/%d", id)}},
			FetchedAt: fetched, Source: "jikan",
		}
	}
	return items
}

func newClient(t testing.TB, fake *jikantest.Server, hc *http.Client) *jikan.Client {
	t.Helper()
	c, err := jikan.New(jikan.Config{BaseURL: fake.URL, HTTP: hc, Now: func() time.Time { return fetched }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// generous limits keep the fake's limits out of tests about other things.
var generous = jikantest.Options{Limits: []ratelimit.Rate{{N: 10000, Per: time.Second}}}

func TestClientAgainstFake(t *testing.T) {
	items := catalog(60)
	fake := jikantest.New(items, generous)
	defer fake.Close()
	c := newClient(t, fake, httpx.NewClient(nil, nil, 5*time.Second))
	ctx := context.Background()

	got, err := c.Anime(ctx, 42)
	if err != nil || !reflect.DeepEqual(got, items[41]) {
		t.Errorf("Anime(42) = %+v, %v\nwant %+v", got, err, items[41])
	}
	if _, err := c.Anime(ctx, 61); !errors.Is(err, jikan.ErrNotFound) {
		t.Errorf("Anime(61) error = %v, want ErrNotFound", err)
	}

	var crawled []int
	for page := 1; ; page++ {
		p, err := c.AnimePage(ctx, page)
		if err != nil {
			t.Fatal(err)
		}
		if p.Current != page || p.LastPage != 3 {
			t.Errorf("page %d: current %d, last %d; want %d, 3", page, p.Current, p.LastPage, page)
		}
		for _, a := range p.Items {
			crawled = append(crawled, a.ID)
		}
		if !p.HasNext {
			break
		}
	}
	if len(crawled) != 60 || crawled[0] != 1 || crawled[59] != 60 {
		t.Errorf("crawled %d ids from %v to %v, want 1..60", len(crawled), crawled[0], crawled[len(crawled)-1])
	}

	found, err := c.Search(ctx, "the show 5", 25)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, a := range found {
		ids = append(ids, a.ID)
	}
	if want := []int{5, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59}; !reflect.DeepEqual(ids, want) {
		t.Errorf("Search ids %v, want %v", ids, want)
	}
}

func TestClientSurvivesInjectedFailures(t *testing.T) {
	fake := jikantest.New(catalog(3), generous)
	defer fake.Close()
	c := newClient(t, fake, httpx.NewClient(nil, nil, 200*time.Millisecond))
	ctx := context.Background()
	tests := []struct {
		kind jikantest.FailKind
		want string
	}{
		{jikantest.Fail500, "HTTP 500"},
		{jikantest.FailTruncated, "truncated JSON"},
		{jikantest.FailTimeout, "deadline exceeded"},
	}
	for _, tt := range tests {
		fake.FailNext("/anime/2/full", 1, tt.kind)
		_, err := c.Anime(ctx, 2)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !httpx.Retryable(err) {
			t.Errorf("kind %d: error %v, want a retryable one containing %q", tt.kind, err, tt.want)
		}
		if _, err := c.Anime(ctx, 2); err != nil {
			t.Errorf("kind %d: the retry failed too: %v", tt.kind, err)
		}
	}
}

func TestA429SlowsTheLimiter(t *testing.T) {
	fake := jikantest.New(catalog(3), jikantest.Options{Limits: []ratelimit.Rate{{N: 2, Per: time.Minute}}})
	defer fake.Close()
	lim := ratelimit.New("jikan", []ratelimit.Rate{{N: 100, Per: time.Second}})
	c := newClient(t, fake, httpx.NewClient(lim, nil, 5*time.Second))
	ctx := context.Background()
	for id := 1; id <= 2; id++ {
		if _, err := c.Anime(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.Anime(ctx, 3)
	if got := httpx.RetryAfterOf(err); !httpx.Retryable(err) || got != time.Minute {
		t.Fatalf("third request: %v (Retry-After %v), want a 429 with Retry-After 1m", err, got)
	}
	s := lim.Stats()
	if s.Penalties != 1 || s.Factor != 0.8 || time.Until(s.BlockedUntil) < 55*time.Second {
		t.Errorf("limiter after the 429: penalties %d, factor %v, blocked for %v; want 1, 0.8, about 1m",
			s.Penalties, s.Factor, time.Until(s.BlockedUntil))
	}
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := c.Anime(short, 3); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("request during the block: %v, want DeadlineExceeded without sending", err)
	}
	if got := fake.Counts().Requests; got != 3 {
		t.Errorf("fake saw %d requests, want 3: the blocked one must not be sent", got)
	}
}

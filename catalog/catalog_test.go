package catalog

import (
	"context"
	"errors"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/queue"
	"dubbot/store"
	"dubbot/upstream/jikan"
)

type fakeSource struct {
	items map[int]anime.Anime
	calls int
}

func (f *fakeSource) Anime(ctx context.Context, id int) (anime.Anime, error) {
	f.calls++
	a, ok := f.items[id]
	if !ok {
		return anime.Anime{}, jikan.ErrNotFound
	}
	return a, nil
}

func (f *fakeSource) AnimePage(ctx context.Context, page int) (jikan.Page, error) {
	var p jikan.Page
	for id := page*2 - 1; id <= page*2; id++ {
		if a, ok := f.items[id]; ok {
			p.Items = append(p.Items, a)
		}
	}
	p.HasNext = page < 3
	p.LastPage, p.Current = 3, page
	return p, nil
}

func newCatalog(t *testing.T, src *fakeSource) (*Catalog, *store.DB) {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db, src, nil), db
}

func TestDetailsFetchesOnceThenAnswersFromMemory(t *testing.T) {
	now := time.Now()
	src := &fakeSource{items: map[int]anime.Anime{7: {ID: 7, Title: "Seven", Status: anime.StatusFinished, FetchedAt: now}}}
	c, _ := newCatalog(t, src)
	for i := 0; i < 3; i++ {
		a, err := c.Details(context.Background(), 7)
		if err != nil || a.Title != "Seven" {
			t.Fatalf("Details = %+v, %v", a, err)
		}
	}
	if src.calls != 1 {
		t.Errorf("upstream called %d times, want 1", src.calls)
	}
	if _, err := c.Details(context.Background(), 404); !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown id: %v, want ErrUnknown", err)
	}
}

func TestStaleRecordsAreRefreshedInTheBackground(t *testing.T) {
	src := &fakeSource{}
	c, _ := newCatalog(t, src)
	var queued []int
	c.SetRefresher(func(id int) { queued = append(queued, id) })
	old := time.Now().Add(-48 * time.Hour)
	c.Put(anime.Anime{ID: 1, Title: "Airing", Status: anime.StatusAiring, FetchedAt: old})
	c.Put(anime.Anime{ID: 2, Title: "Finished", Status: anime.StatusFinished, FetchedAt: old})
	c.Put(anime.Anime{ID: 3, Title: "From a page", Status: anime.StatusFinished, FetchedAt: time.Now(), Source: SourceCatalogPage})
	for _, id := range []int{1, 2, 3} {
		if _, err := c.Details(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	if len(queued) != 2 || queued[0] != 1 || queued[1] != 3 || src.calls != 0 {
		t.Errorf("queued %v with %d upstream calls; want [1 3] and none (answers come from the cache)", queued, src.calls)
	}
}

func TestPageRecordsKeepDetailsOnlyFields(t *testing.T) {
	c, _ := newCatalog(t, &fakeSource{})
	c.Put(anime.Anime{ID: 5, Title: "Five", Source: "jikan", Streaming: []anime.Link{{Name: "Crunchyroll", URL: "https://example.com"}}})
	c.Put(anime.Anime{ID: 5, Title: "Five (renamed)", Source: SourceCatalogPage})
	got, _ := c.Get(5)
	if got.Title != "Five (renamed)" || len(got.Streaming) != 1 || got.Source != "jikan" {
		t.Errorf("merged = %+v", got)
	}
	if err := c.Put(anime.Anime{ID: 0}); err == nil {
		t.Error("id 0 stored")
	}
}

func TestCrawlResumesAndRestartsWhenFinished(t *testing.T) {
	src := &fakeSource{items: map[int]anime.Anime{}}
	for id := 1; id <= 6; id++ {
		src.items[id] = anime.Anime{ID: id, Title: "T"}
	}
	c, db := newCatalog(t, src)
	q := queue.New(db, queue.Options{}, c.CatalogPageKind("fake", src))
	start := func(pages int) int {
		var first int
		if err := db.Update(func(tx *store.Tx) (err error) { first, err = StartCrawl(tx, pages, time.Now()); return }); err != nil {
			t.Fatal(err)
		}
		return first
	}
	drain := func() {
		if err := q.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if first := start(1); first != 1 {
		t.Fatalf("first crawl starts at %d", first)
	}
	drain()
	if c.Index().Len() != 2 {
		t.Fatalf("after one page: %d titles", c.Index().Len())
	}
	if first := start(0); first != 2 {
		t.Fatalf("second crawl starts at %d, want 2", first)
	}
	drain()
	var cur Crawl
	db.View(func(tx *store.Tx) (err error) { cur, err = CrawlState(tx); return })
	if !cur.Finished || cur.Pages != 3 || c.Index().Len() != 6 {
		t.Fatalf("crawl state %+v with %d titles", cur, c.Index().Len())
	}
	if first := start(0); first != 1 {
		t.Errorf("a finished crawl restarts at %d, want 1", first)
	}
}

// The index shows only what reached the store: a rolled-back write leaves
// no trace in it.
func TestIndexFollowsCommitsOnly(t *testing.T) {
	c, db := newCatalog(t, &fakeSource{})
	err := db.Update(func(tx *store.Tx) error {
		if err := c.PutTx(tx, anime.Anime{ID: 9, Title: "Rolled Back"}); err != nil {
			return err
		}
		return errors.New("a later write in the same transaction failed")
	})
	if err == nil {
		t.Fatal("the transaction did not fail")
	}
	if _, ok := c.Get(9); ok {
		t.Error("the index shows a record whose transaction rolled back")
	}
	if err := c.Put(anime.Anime{ID: 10, Title: "Ten"}, anime.Anime{ID: 11, Title: "Eleven"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(11); !ok || c.Index().Len() != 2 {
		t.Errorf("after a committed Put: %d titles", c.Index().Len())
	}
}

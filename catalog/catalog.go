// Package catalog is the bot's knowledge of anime: the details cache in the
// store, the in-memory title index over it, and the queue work that fills
// both (details of one anime, and a crawl of the upstream's catalog pages).
package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"dubbot/anime"
	"dubbot/search"
	"dubbot/store"
	"dubbot/upstream/jikan"
	"dubbot/upstream/mal"
)

// Source fetches one anime's details (Jikan, or the MAL API).
type Source interface {
	Anime(ctx context.Context, id int) (anime.Anime, error)
}

// Searcher is an upstream title search, the fallback when the local index
// has no good match.
type Searcher interface {
	Search(ctx context.Context, query string, limit int) ([]anime.Anime, error)
}

// Catalog is the anime cache and its index.
type Catalog struct {
	db     *store.DB
	index  *search.Index
	source Source
	// refresh queues a background details fetch; nil means none.
	refresh func(id int)
	log     *slog.Logger
	now     func() time.Time

	loadOnce sync.Once
	loadErr  error
}

// New makes a catalog over db. Its index is filled on first use, or by
// Load.
func New(db *store.DB, source Source, log *slog.Logger) *Catalog {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Catalog{db: db, index: search.New(), source: source, log: log, now: time.Now}
}

// Load reads every cached anime into the index, once. Commands that never
// look at titles (queue status, say) never pay for it; the bot calls it at
// start so its first command is fast.
func (c *Catalog) Load() error {
	c.loadOnce.Do(func() { c.loadErr = c.load() })
	return c.loadErr
}

// load fills the index from the store. A record that does not decode is
// skipped and counted, not fatal.
func (c *Catalog) load() error {
	var items []anime.Anime
	skipped := 0
	err := c.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketAnime, "", func(k string, raw []byte) error {
			var a anime.Anime
			if decodeErr := json.Unmarshal(raw, &a); decodeErr != nil || a.ID <= 0 {
				skipped++
				return nil
			}
			items = append(items, a)
			return nil
		})
	})
	if err != nil {
		c.log.Error("load anime cache", slog.Any("error", err))
		return fmt.Errorf("load anime cache: %w", err)
	}
	if skipped > 0 {
		c.log.Warn("skipped unreadable anime records", slog.Int("skipped", skipped))
	}
	c.index.Replace(items)
	c.log.Debug("anime cache loaded", slog.Int("titles", len(items)))
	return nil
}

// Index is the title index.
func (c *Catalog) Index() *search.Index {
	c.Load()
	return c.index
}

// Get is a cached anime, from memory.
func (c *Catalog) Get(id int) (anime.Anime, bool) { return c.Index().Get(id) }

// PutTx stores a (possibly partial) record in the caller's transaction,
// merged with what is cached; the index shows it once the transaction has
// committed. A catalog page has no streaming links, so those of an earlier
// details fetch are kept.
func (c *Catalog) PutTx(tx *store.Tx, a anime.Anime) error {
	if a.ID <= 0 {
		return fmt.Errorf("store anime: id %d is not a MAL id", a.ID)
	}
	key := store.IDKey(uint64(a.ID))
	var prev anime.Anime
	found, err := tx.Get(store.BucketAnime, key, &prev)
	if err != nil {
		return err
	}
	if found {
		a = merge(prev, a)
	}
	if err := tx.Put(store.BucketAnime, key, a); err != nil {
		return err
	}
	tx.OnCommit(func() { c.Index().Upsert(a) })
	return nil
}

func merge(prev, next anime.Anime) anime.Anime {
	if len(next.Streaming) == 0 {
		next.Streaming = prev.Streaming
	}
	if next.Source == SourceCatalogPage && prev.Source != "" && prev.Source != SourceCatalogPage {
		// Keep knowing this record came from a details fetch, and when,
		// so its freshness is judged as one.
		next.Source, next.FetchedAt = prev.Source, prev.FetchedAt
	}
	return next
}

// SourceCatalogPage marks records from a catalog crawl.
const SourceCatalogPage = "catalog"

// Put stores records in one transaction.
func (c *Catalog) Put(items ...anime.Anime) error {
	return c.db.Update(func(tx *store.Tx) error {
		for _, a := range items {
			if err := c.PutTx(tx, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// Stale reports whether a cached record should be fetched again: airing
// shows change weekly, finished ones hardly ever.
func (c *Catalog) Stale(a anime.Anime) bool {
	age := c.now().Sub(a.FetchedAt)
	switch {
	case a.Status == anime.StatusAiring || a.Status == anime.StatusUpcoming:
		return age > 12*time.Hour
	case a.Status == anime.StatusFinished:
		return age > 30*24*time.Hour
	default:
		return age > 7*24*time.Hour
	}
}

// ErrUnknown means the anime is neither cached nor known upstream.
var ErrUnknown = errors.New("no such anime")

// SetRefresher gives the catalog a way to refresh records in the background
// (the app passes a function that queues a details fetch).
func (c *Catalog) SetRefresher(refresh func(id int)) { c.refresh = refresh }

// Details returns an anime's details. A cached record answers at once, from
// memory; when it is stale or only a catalog-page record, a background
// refresh is queued. An unknown id is fetched now, within ctx's deadline.
func (c *Catalog) Details(ctx context.Context, id int) (anime.Anime, error) {
	if cached, ok := c.Get(id); ok {
		if (c.Stale(cached) || cached.Source == SourceCatalogPage) && c.refresh != nil {
			c.refresh(id)
		}
		return cached, nil
	}
	if c.source == nil {
		return anime.Anime{}, fmt.Errorf("anime %d: %w", id, ErrUnknown)
	}
	fresh, err := c.source.Anime(ctx, id)
	if errors.Is(err, jikan.ErrNotFound) || errors.Is(err, mal.ErrNotFound) {
		return anime.Anime{}, fmt.Errorf("anime %d: %w", id, ErrUnknown)
	}
	if err != nil {
		return anime.Anime{}, fmt.Errorf("fetch details of anime %d: %w", id, err)
	}
	if err := c.Put(fresh); err != nil {
		return fresh, fmt.Errorf("cache anime %d: %w", id, err)
	}
	got, _ := c.Get(id)
	return got, nil
}

package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"dubbot/queue"
	"dubbot/store"
	"dubbot/upstream/jikan"
)

// Queue kinds this package handles.
const (
	KindDetails     = "anime-details"
	KindCatalogPage = "catalog-page"
)

type detailsPayload struct {
	ID int `json:"mal_id"`
}

// DetailsKey is the queue key of one anime's details fetch.
func DetailsKey(id int) string { return KindDetails + "/" + strconv.Itoa(id) }

// DetailsRequest asks the queue to fetch one anime's details.
func DetailsRequest(id int, p queue.Priority) queue.Request {
	return queue.Request{Key: DetailsKey(id), Kind: KindDetails, Payload: detailsPayload{ID: id}, Priority: p}
}

// DetailsKind fetches one anime's details into the cache.
func (c *Catalog) DetailsKind(upstream string) queue.Kind {
	return queue.Kind{Name: KindDetails, Upstream: upstream, Handle: func(ctx context.Context, it *queue.Item, _ func(int)) (queue.Effect, error) {
		var p detailsPayload
		if err := json.Unmarshal(it.Payload, &p); err != nil || p.ID <= 0 {
			return nil, queue.Permanent(fmt.Errorf("item %s: bad payload %s", it.Key, it.Payload))
		}
		a, err := c.source.Anime(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		return func(tx *store.Tx) error { return c.PutTx(tx, a) }, nil
	}}
}

// PageSource is an upstream catalog listed page by page.
type PageSource interface {
	AnimePage(ctx context.Context, page int) (jikan.Page, error)
}

// Crawl is the persisted cursor of the catalog crawl.
type Crawl struct {
	NextPage int       `json:"next_page"`
	LastPage int       `json:"last_page"` // as the upstream last said
	StopAt   int       `json:"stop_at"`   // the last page this run fetches; 0 = to the end
	Finished bool      `json:"finished"`
	Pages    int       `json:"pages"` // pages fetched in all
	Titles   int       `json:"titles"`
	Updated  time.Time `json:"updated,omitzero"`
}

const crawlKey = "jikan"

type pagePayload struct {
	Page int `json:"page"`
}

// CrawlState reads the crawl cursor.
func CrawlState(tx *store.Tx) (Crawl, error) {
	cur := Crawl{NextPage: 1}
	_, err := tx.Get(store.BucketCrawl, crawlKey, &cur)
	if cur.NextPage < 1 {
		cur.NextPage = 1
	}
	return cur, err
}

// StartCrawl queues the crawl from where it stopped (from page 1 when the
// last crawl finished, to pick up new titles), for at most pages pages (0:
// to the end). It returns the first page queued.
func StartCrawl(tx *store.Tx, pages int, now time.Time) (int, error) {
	cur, err := CrawlState(tx)
	if err != nil {
		return 0, err
	}
	if cur.Finished {
		cur.NextPage, cur.Finished = 1, false
	}
	cur.StopAt = 0
	if pages > 0 {
		cur.StopAt = cur.NextPage + pages - 1
	}
	if err := tx.Put(store.BucketCrawl, crawlKey, cur); err != nil {
		return 0, err
	}
	_, err = queue.EnqueueTx(tx, pageRequest(cur.NextPage), now)
	return cur.NextPage, err
}

func pageRequest(page int) queue.Request {
	return queue.Request{Key: KindCatalogPage + "/" + strconv.Itoa(page), Kind: KindCatalogPage, Payload: pagePayload{Page: page}, Priority: queue.Low}
}

// CatalogPageKind fetches one catalog page into the cache, advances the
// cursor and queues the next page, all in the item's one transaction, so a
// restart continues exactly where the crawl stopped.
func (c *Catalog) CatalogPageKind(upstream string, pages PageSource) queue.Kind {
	return queue.Kind{Name: KindCatalogPage, Upstream: upstream, Handle: func(ctx context.Context, it *queue.Item, report func(int)) (queue.Effect, error) {
		var p pagePayload
		if err := json.Unmarshal(it.Payload, &p); err != nil || p.Page < 1 {
			return nil, queue.Permanent(fmt.Errorf("item %s: bad payload %s", it.Key, it.Payload))
		}
		page, err := pages.AnimePage(ctx, p.Page)
		if err != nil {
			return nil, err
		}
		return func(tx *store.Tx) error { return c.applyPage(tx, p.Page, page) }, nil
	}}
}

func (c *Catalog) applyPage(tx *store.Tx, n int, page jikan.Page) error {
	for _, a := range page.Items {
		if a.ID <= 0 {
			// One broken record must not stop the crawl; the rest of
			// the page is good.
			c.log.Warn("catalog page has an anime without an id", slog.Int("page", n), slog.String("title", a.Title))
			continue
		}
		a.Source = SourceCatalogPage
		if err := c.PutTx(tx, a); err != nil {
			return err
		}
	}
	cur, err := CrawlState(tx)
	if err != nil {
		return err
	}
	cur.Pages++
	cur.Titles += len(page.Items)
	cur.LastPage = max(page.LastPage, n)
	cur.Updated = c.now().UTC()
	cur.NextPage = n + 1
	switch {
	case !page.HasNext:
		cur.Finished, cur.NextPage = true, 1
	case cur.StopAt == 0 || n < cur.StopAt:
		if _, err := queue.EnqueueTx(tx, pageRequest(n+1), c.now()); err != nil {
			return err
		}
	}
	return tx.Put(store.BucketCrawl, crawlKey, cur)
}

// Missing lists the ids that have no cached details.
func (c *Catalog) Missing(ids []int) []int {
	var out []int
	for _, id := range ids {
		if _, ok := c.Get(id); !ok {
			out = append(out, id)
		}
	}
	return out
}

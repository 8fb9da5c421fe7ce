package main

import (
	"fmt"

	"dubbot/catalog"
	"dubbot/queue"
	"dubbot/store"
)

// queueView is the queue as operators see it: its summary plus where the
// catalog crawl stands.
type queueView struct {
	*queue.Queue
	db *store.DB
}

// Summary adds the crawl's progress to the queue's summary.
func (v queueView) Summary(maxFailed int) (string, error) {
	s, err := v.Queue.Summary(maxFailed)
	if err != nil {
		return "", err
	}
	var cur catalog.Crawl
	if err := v.db.View(func(tx *store.Tx) (err error) { cur, err = catalog.CrawlState(tx); return }); err != nil {
		return "", err
	}
	switch {
	case cur.Pages == 0:
		return s + "catalog crawl: not started (dubbot queue crawl)\n", nil
	case cur.Finished:
		return s + fmt.Sprintf("catalog crawl: finished, %d pages and %d titles fetched in all\n", cur.Pages, cur.Titles), nil
	}
	return s + fmt.Sprintf("catalog crawl: next page %d of %d, %s\n", cur.NextPage, cur.LastPage, queue.ProgressBar(cur.NextPage-1, cur.LastPage, 20)), nil
}

package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"dubbot/store"
)

// Paused reports whether workers are holding off.
func (q *Queue) Paused() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.paused
}

// loadPaused reads the stored flag, which another process (the CLI while
// no bot ran) may have set.
func (q *Queue) loadPaused() error {
	var paused bool
	if err := q.db.View(func(tx *store.Tx) error {
		_, err := tx.Get(store.BucketQueueMeta, "paused", &paused)
		return err
	}); err != nil {
		return fmt.Errorf("read queue pause flag: %w", err)
	}
	q.mu.Lock()
	q.paused = paused
	q.mu.Unlock()
	return nil
}

// SetPaused pauses or resumes the workers; the flag is stored, so it holds
// across restarts and for CLI changes made while the bot is stopped.
func (q *Queue) SetPaused(paused bool) error {
	if err := q.db.Update(func(tx *store.Tx) error { return tx.Put(store.BucketQueueMeta, "paused", paused) }); err != nil {
		return fmt.Errorf("set queue paused=%v: %w", paused, err)
	}
	q.mu.Lock()
	q.paused = paused
	q.mu.Unlock()
	q.Notify()
	return nil
}

// Counts is how many items are in each status.
type Counts struct {
	Pending, Downloading, Completed, Failed int
}

// Total is the number of items.
func (c Counts) Total() int { return c.Pending + c.Downloading + c.Completed + c.Failed }

// Counts tallies the items by status.
func (q *Queue) Counts() (Counts, error) {
	var c Counts
	err := q.each(func(it *Item) {
		switch it.Status {
		case Pending:
			c.Pending++
		case Downloading:
			c.Downloading++
		case Completed:
			c.Completed++
		case Failed:
			c.Failed++
		}
	})
	return c, err
}

// Items lists items with one of the statuses (all when none), oldest first.
func (q *Queue) Items(statuses ...Status) ([]Item, error) {
	want := map[Status]bool{}
	for _, s := range statuses {
		want[s] = true
	}
	var out []Item
	err := q.each(func(it *Item) {
		if len(want) == 0 || want[it.Status] {
			out = append(out, *it)
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, err
}

func (q *Queue) each(fn func(*Item)) error {
	return q.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketQueue, "", func(_ string, raw []byte) error {
			var it Item
			if err := json.Unmarshal(raw, &it); err != nil {
				return fmt.Errorf("decode queue item: %w", err)
			}
			fn(&it)
			return nil
		})
	})
}

// Retry puts failed items back to pending with a fresh attempt count. It
// returns how many.
func (q *Queue) Retry() (int, error) {
	n := 0
	err := q.rewrite(Failed, func(tx *store.Tx, it *Item) error {
		prev := *it
		it.Status, it.Attempts, it.NotBefore = Pending, 0, time.Time{}
		n++
		return putItem(tx, it, &prev)
	})
	q.Notify()
	return n, err
}

// Clear removes completed items. It returns how many.
func (q *Queue) Clear() (int, error) {
	n := 0
	err := q.rewrite(Completed, func(tx *store.Tx, it *Item) error {
		n++
		return tx.Delete(store.BucketQueue, it.Key)
	})
	return n, err
}

// rewrite applies fn to every item in a status, in one transaction; keys are
// collected first since bbolt cursors skip keys deleted mid-scan.
func (q *Queue) rewrite(status Status, fn func(*store.Tx, *Item) error) error {
	return q.db.Update(func(tx *store.Tx) error {
		var keys []string
		if err := tx.ForEach(store.BucketQueue, "", func(k string, raw []byte) error {
			var it Item
			if json.Unmarshal(raw, &it) == nil && it.Status == status {
				keys = append(keys, k)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			it, err := getItem(tx, k)
			if err != nil {
				return err
			}
			if err := fn(tx, it); err != nil {
				return err
			}
		}
		return nil
	})
}

// ProgressBar draws done/total as a text bar, e.g. "[#####-----] 50%".
func ProgressBar(done, total, width int) string {
	if total <= 0 {
		return "[" + strings.Repeat("-", width) + "] 0%"
	}
	filled := done * width / total
	return fmt.Sprintf("[%s%s] %d%%", strings.Repeat("#", filled), strings.Repeat("-", width-filled), done*100/total)
}

// Summary renders counts, the progress bar and failed items for the CLI and
// for /queue.
func (q *Queue) Summary(maxFailed int) (string, error) {
	c, err := q.Counts()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	state := "running"
	if q.Paused() {
		state = "paused"
	}
	fmt.Fprintf(&b, "queue %s: %d pending, %d downloading, %d completed, %d failed\n", state, c.Pending, c.Downloading, c.Completed, c.Failed)
	fmt.Fprintf(&b, "%s\n", ProgressBar(c.Completed+c.Failed, c.Total(), 20))
	failed, err := q.Items(Failed)
	if err != nil {
		return "", err
	}
	for i, it := range failed {
		if i == maxFailed {
			fmt.Fprintf(&b, "… and %d more failed\n", len(failed)-maxFailed)
			break
		}
		fmt.Fprintf(&b, "failed %s (%s) after %d attempts: %s\n", it.Key, it.Kind, it.Attempts, shorten(it.LastError, 200))
	}
	return b.String(), nil
}

// WaitEmpty waits until nothing is pending or downloading, while other
// goroutines (the running bot's workers) do the work.
func (q *Queue) WaitEmpty(ctx context.Context) error {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		busy, err := q.busy()
		if err != nil || !busy {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// shorten keeps one error line readable in a status listing.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

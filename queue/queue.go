package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"dubbot/store"
	"dubbot/upstream/httpx"
)

// Effect writes a finished item's result; it runs in the same transaction
// that marks the item completed, so a crash leaves neither or both.
type Effect func(tx *store.Tx) error

// Handler does one item's work. It must not write to the store itself: it
// returns the write as an Effect. report may be called with progress 0-100.
type Handler func(ctx context.Context, it *Item, report func(progress int)) (Effect, error)

// Kind is a type of work and the upstream it calls (for status output; the
// upstream's limiter lives in the handler's HTTP client).
type Kind struct {
	Name     string
	Upstream string
	Handle   Handler
}

// Options tune a Queue.
type Options struct {
	Workers     int
	MaxAttempts int           // default 5
	BaseBackoff time.Duration // first retry delay; doubles per attempt (default 5s)
	MaxBackoff  time.Duration // default 10m
	Logger      *slog.Logger
	Now         func() time.Time
}

// Queue works the persistent queue.
type Queue struct {
	db    *store.DB
	kinds map[string]Kind
	opts  Options
	log   *slog.Logger
	wake  chan struct{}

	mu     sync.Mutex
	paused bool
}

// New makes a queue over db with the given kinds. Call Recover before
// working it.
func New(db *store.DB, opts Options, kinds ...Kind) *Queue {
	if opts.Workers <= 0 {
		opts.Workers = 1
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 5
	}
	if opts.BaseBackoff <= 0 {
		opts.BaseBackoff = 5 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 10 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	// One wake-up per worker, so a resume wakes them all.
	q := &Queue{db: db, kinds: map[string]Kind{}, opts: opts, log: opts.Logger, wake: make(chan struct{}, opts.Workers)}
	for _, k := range kinds {
		q.kinds[k.Name] = k
	}
	if err := q.loadPaused(); err != nil {
		q.log.Warn("queue starts unpaused", slog.Any("error", err))
	}
	return q
}

// Recover puts items a crash left downloading back to pending and loads the
// paused flag. It returns how many items it recovered.
func (q *Queue) Recover() (int, error) {
	var stuck []string
	n := 0
	err := q.db.Update(func(tx *store.Tx) error {
		stuck = stuck[:0]
		if err := tx.ForEach(store.BucketQueue, "", func(k string, raw []byte) error {
			var it Item
			if jsonErr := json.Unmarshal(raw, &it); jsonErr == nil && it.Status == Downloading {
				stuck = append(stuck, k)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range stuck {
			it, err := getItem(tx, k)
			if err != nil || it == nil {
				return err
			}
			prev := *it
			// The interrupted attempt never finished, so it does not count.
			it.Status, it.Attempts = Pending, max(it.Attempts-1, 0)
			if err := putItem(tx, it, &prev); err != nil {
				return err
			}
		}
		n = len(stuck)
		var paused bool
		if _, err := tx.Get(store.BucketQueueMeta, "paused", &paused); err != nil {
			return err
		}
		q.mu.Lock()
		q.paused = paused
		q.mu.Unlock()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("recover queue: %w", err)
	}
	return n, nil
}

// Enqueue adds work (see EnqueueTx) and wakes a worker.
func (q *Queue) Enqueue(r Request) (bool, error) {
	added := false
	err := q.db.Update(func(tx *store.Tx) (err error) {
		added, err = EnqueueTx(tx, r, q.opts.Now())
		return err
	})
	q.Notify()
	return added, err
}

// Notify wakes the idle workers, for work enqueued through EnqueueTx.
func (q *Queue) Notify() {
	for range cap(q.wake) {
		select {
		case q.wake <- struct{}{}:
		default:
			return
		}
	}
}

// Run works the queue until ctx ends.
func (q *Queue) Run(ctx context.Context) {
	q.work(ctx, false)
}

// Drain works the queue until nothing is pending or downloading (items
// waiting out a backoff count as pending), then returns.
func (q *Queue) Drain(ctx context.Context) error {
	q.work(ctx, true)
	return ctx.Err()
}

func (q *Queue) work(ctx context.Context, untilEmpty bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < q.opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.worker(ctx, untilEmpty, cancel)
		}()
	}
	wg.Wait()
}

func (q *Queue) worker(ctx context.Context, untilEmpty bool, stop func()) {
	for ctx.Err() == nil {
		if q.Paused() && !untilEmpty {
			q.sleep(ctx, time.Minute)
			continue
		}
		it, wait, err := q.claim()
		if err != nil {
			q.log.Error("claim queue item", slog.Any("error", err))
			q.sleep(ctx, time.Second)
			continue
		}
		if it == nil {
			if untilEmpty && wait < 0 {
				if busy, _ := q.busy(); !busy {
					stop()
					return
				}
				wait = 100 * time.Millisecond
			}
			q.sleep(ctx, wait)
			continue
		}
		q.process(ctx, it)
	}
}

func (q *Queue) sleep(ctx context.Context, d time.Duration) {
	if d < 0 || d > time.Minute {
		d = time.Minute
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-q.wake:
	case <-t.C:
	}
}

// claim takes the next ready item (by priority, then age) and marks it
// downloading. With none ready, wait says when the earliest backoff ends,
// or is negative when nothing is pending at all.
func (q *Queue) claim() (*Item, time.Duration, error) {
	var claimed *Item
	wait := time.Duration(-1)
	now := q.opts.Now()
	err := q.db.Update(func(tx *store.Tx) error {
		claimed, wait = nil, -1
		var key string
		if err := tx.ForEach(store.BucketQueueReady, "", func(_ string, raw []byte) error {
			it, err := getItem(tx, string(raw))
			if err != nil || it == nil {
				return err
			}
			if d := it.NotBefore.Sub(now); d > 0 {
				if wait < 0 || d < wait {
					wait = d
				}
				return nil
			}
			key = it.Key
			return errStop
		}); err != nil && !errors.Is(err, errStop) {
			return err
		}
		if key == "" {
			return nil
		}
		it, err := getItem(tx, key)
		if err != nil {
			return err
		}
		prev := *it
		it.Status, it.Started, it.Progress = Downloading, now.UTC(), 0
		it.Attempts++
		claimed = it
		return putItem(tx, it, &prev)
	})
	return claimed, wait, err
}

var errStop = errors.New("stop scanning")

func (q *Queue) process(ctx context.Context, it *Item) {
	kind, ok := q.kinds[it.Kind]
	var effect Effect
	var err error
	if !ok {
		err = Permanent(fmt.Errorf("no handler for kind %q", it.Kind))
	} else {
		effect, err = q.call(ctx, kind, it)
	}
	if ctx.Err() != nil && err != nil {
		// Shutting down: leave the item downloading; Recover puts it back
		// to pending at the next start without counting this attempt.
		return
	}
	ferr := q.finish(it, effect, err)
	if ferr == nil {
		return
	}
	// The result could not be stored (its effect failed, or the write did):
	// the transaction rolled back, so record the failure on its own, or the
	// item would stay downloading until the next start.
	q.log.Error("record queue item result", slog.String("key", it.Key), slog.Any("error", ferr))
	if err := q.finish(it, nil, ferr); err != nil {
		q.log.Error("record queue item failure", slog.String("key", it.Key), slog.Any("error", err))
	}
}

func (q *Queue) call(ctx context.Context, kind Kind, it *Item) (effect Effect, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Permanent(fmt.Errorf("handler for %s panicked: %v", it.Kind, p))
		}
	}()
	return kind.Handle(ctx, it, func(p int) { q.setProgress(it.Key, p) })
}

// finish records the outcome: the effect with completion, a retry with
// backoff, or failure.
func (q *Queue) finish(it *Item, effect Effect, runErr error) error {
	now := q.opts.Now()
	return q.db.Update(func(tx *store.Tx) error {
		cur, err := getItem(tx, it.Key)
		if err != nil || cur == nil || cur.Status != Downloading {
			return err // cleared or re-queued meanwhile
		}
		prev := *cur
		if runErr == nil {
			if effect != nil {
				if err := effect(tx); err != nil {
					return fmt.Errorf("apply result of %s: %w", it.Key, err)
				}
			}
			cur.Status, cur.Completed, cur.Progress, cur.LastError = Completed, now.UTC(), 100, ""
			return putItem(tx, cur, &prev)
		}
		cur.LastError = runErr.Error()
		if throttled(runErr) {
			// Waiting out a rate limit is not a failed attempt.
			cur.Attempts = max(cur.Attempts-1, 0)
		}
		if retry, after := q.retryPolicy(runErr, cur.Attempts); retry {
			cur.Status, cur.NotBefore = Pending, now.Add(after).UTC()
			q.log.Warn("queue item will be retried", slog.String("key", cur.Key), slog.Int("attempt", cur.Attempts), slog.Duration("after", after), slog.Any("error", runErr))
		} else {
			cur.Status = Failed
			q.log.Error("queue item failed", slog.String("key", cur.Key), slog.Int("attempts", cur.Attempts), slog.Any("error", runErr))
		}
		return putItem(tx, cur, &prev)
	})
}

// retryPolicy decides whether to retry and when: Retry-After when the
// upstream sent one, else exponential backoff with full jitter.
func (q *Queue) retryPolicy(err error, attempts int) (bool, time.Duration) {
	if attempts >= q.opts.MaxAttempts || isPermanent(err) {
		return false, 0
	}
	if after := httpx.RetryAfterOf(err); after > 0 {
		// One odd header must not park an item for a day.
		return true, min(after, q.opts.MaxBackoff)
	}
	return true, httpx.Backoff(q.opts.BaseBackoff, q.opts.MaxBackoff, attempts)
}

func (q *Queue) setProgress(key string, p int) {
	p = max(0, min(100, p))
	err := q.db.Batch(func(tx *store.Tx) error {
		it, err := getItem(tx, key)
		if err != nil || it == nil || it.Status != Downloading {
			return err
		}
		it.Progress = p
		return tx.Put(store.BucketQueue, key, it)
	})
	if err != nil {
		q.log.Warn("record progress", slog.String("key", key), slog.Any("error", err))
	}
}

// busy reports whether anything is pending or downloading.
func (q *Queue) busy() (bool, error) {
	c, err := q.Counts()
	return c.Pending+c.Downloading > 0, err
}

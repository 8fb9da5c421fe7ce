package queue

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dubbot/store"
	"dubbot/upstream/httpx"
)

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// countEffect is an Effect that counts how often each key's result landed.
func countEffect(key string) Effect {
	return func(tx *store.Tx) error {
		var n int
		if _, err := tx.Get(store.BucketJobs, "effect/"+key, &n); err != nil {
			return err
		}
		return tx.Put(store.BucketJobs, "effect/"+key, n+1)
	}
}

func effects(t *testing.T, db *store.DB, key string) int {
	t.Helper()
	var n int
	if err := db.View(func(tx *store.Tx) error { _, err := tx.Get(store.BucketJobs, "effect/"+key, &n); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}

func fastOpts() Options {
	return Options{Workers: 2, BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
}

func drain(t *testing.T, q *Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := q.Drain(ctx); err != nil {
		t.Fatalf("drain: %v", err)
	}
}

func TestPriorityThenAgeAndDedup(t *testing.T) {
	db := openStore(t)
	var mu sync.Mutex
	var order []string
	q := New(db, Options{Workers: 1}, Kind{Name: "k", Handle: func(ctx context.Context, it *Item, _ func(int)) (Effect, error) {
		mu.Lock()
		order = append(order, it.Key)
		mu.Unlock()
		return countEffect(it.Key), nil
	}})
	for _, r := range []Request{
		{Key: "low-1", Kind: "k", Priority: Low},
		{Key: "normal-1", Kind: "k", Priority: Normal},
		{Key: "normal-2", Kind: "k", Priority: Normal},
		{Key: "high-1", Kind: "k", Priority: High},
		{Key: "low-1", Kind: "k", Priority: Low},     // duplicate: ignored
		{Key: "normal-2", Kind: "k", Priority: High}, // duplicate: raised
	} {
		if _, err := q.Enqueue(r); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := q.Counts()
	if c.Pending != 4 {
		t.Fatalf("pending = %d, want 4 (duplicates collapse)", c.Pending)
	}
	drain(t, q)
	want := "normal-2 high-1 normal-1 low-1" // normal-2 was raised to high and is older
	if got := strings.Join(order, " "); got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
	for _, k := range []string{"high-1", "normal-2", "normal-1", "low-1"} {
		if n := effects(t, db, k); n != 1 {
			t.Errorf("%s effect applied %d times", k, n)
		}
	}
}

func TestFailuresRetryThenFailAndRetryBringsThemBack(t *testing.T) {
	db := openStore(t)
	var calls atomic.Int32
	healthy := atomic.Bool{}
	q := New(db, fastOpts(), Kind{Name: "flaky", Handle: func(ctx context.Context, it *Item, _ func(int)) (Effect, error) {
		calls.Add(1)
		if healthy.Load() {
			return countEffect(it.Key), nil
		}
		return nil, &httpx.StatusError{URL: "http://jikan/anime/1", Status: 500}
	}}, Kind{Name: "missing", Handle: func(ctx context.Context, it *Item, _ func(int)) (Effect, error) {
		calls.Add(1)
		return nil, &httpx.StatusError{URL: "http://jikan/anime/2", Status: http.StatusNotFound}
	}})
	q.Enqueue(Request{Key: "a", Kind: "flaky"})
	q.Enqueue(Request{Key: "b", Kind: "missing"})
	q.Enqueue(Request{Key: "c", Kind: "nobody-handles-this"})
	drain(t, q)
	failed, _ := q.Items(Failed)
	if len(failed) != 3 {
		t.Fatalf("failed = %+v", failed)
	}
	byKey := map[string]Item{}
	for _, it := range failed {
		byKey[it.Key] = it
	}
	if byKey["a"].Attempts != 5 || !strings.Contains(byKey["a"].LastError, "HTTP 500") {
		t.Errorf("flaky item = %+v; want 5 attempts and the 500 recorded", byKey["a"])
	}
	if byKey["b"].Attempts != 1 || !strings.Contains(byKey["b"].LastError, "404") {
		t.Errorf("404 item = %+v; want one attempt", byKey["b"])
	}
	summary, _ := q.Summary(10)
	if !strings.Contains(summary, "failed a (flaky) after 5 attempts") || !strings.Contains(summary, "3 failed") {
		t.Errorf("summary:\n%s", summary)
	}
	healthy.Store(true)
	if n, err := q.Retry(); err != nil || n != 3 {
		t.Fatalf("Retry = %d, %v", n, err)
	}
	drain(t, q)
	if it, _ := q.Items(Completed); len(it) != 1 || it[0].Key != "a" {
		t.Errorf("completed after retry = %+v", it)
	}
	if n, _ := q.Clear(); n != 1 {
		t.Errorf("Clear removed %d", n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	db := openStore(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	q := New(db, Options{Now: func() time.Time { return now }}, Kind{Name: "k"})
	retry, after := q.retryPolicy(&httpx.StatusError{Status: 429, RetryAfter: 42 * time.Second}, 1)
	if !retry || after != 42*time.Second {
		t.Errorf("429 with Retry-After: retry=%v after=%v", retry, after)
	}
	for attempt := 1; attempt <= 4; attempt++ {
		retry, after = q.retryPolicy(errors.New("connection reset"), attempt)
		base := 5 * time.Second << (attempt - 1)
		if !retry || after < base/2 || after > base {
			t.Errorf("attempt %d backoff %v outside [%v, %v]", attempt, after, base/2, base)
		}
	}
	if retry, _ = q.retryPolicy(errors.New("x"), 5); retry {
		t.Error("retried past max attempts")
	}
}

func TestRecoverResetsDownloadingAndPausePersists(t *testing.T) {
	db := openStore(t)
	q := New(db, fastOpts(), Kind{Name: "k", Handle: func(ctx context.Context, it *Item, _ func(int)) (Effect, error) {
		return countEffect(it.Key), nil
	}})
	q.Enqueue(Request{Key: "x", Kind: "k"})
	if it, _, err := q.claim(); err != nil || it == nil {
		t.Fatalf("claim = %v, %v", it, err)
	}
	if err := q.SetPaused(true); err != nil {
		t.Fatal(err)
	}
	// A new process sees the item stuck downloading and the pause.
	q2 := New(db, fastOpts(), q.kinds["k"])
	if n, err := q2.Recover(); err != nil || n != 1 {
		t.Fatalf("Recover = %d, %v", n, err)
	}
	if !q2.Paused() {
		t.Error("pause did not persist")
	}
	drain(t, q2) // drain works even when paused: the operator asked for it
	if effects(t, db, "x") != 1 {
		t.Error("recovered item not completed exactly once")
	}
}

func TestEnqueueRejectsEmptyKey(t *testing.T) {
	q := New(openStore(t), Options{})
	if _, err := q.Enqueue(Request{Kind: "k"}); err == nil {
		t.Error("empty key accepted")
	}
}

func TestProgressBar(t *testing.T) {
	for _, c := range []struct {
		done, total int
		want        string
	}{{0, 0, "[----------] 0%"}, {5, 10, "[#####-----] 50%"}, {10, 10, "[##########] 100%"}} {
		if got := ProgressBar(c.done, c.total, 10); got != c.want {
			t.Errorf("ProgressBar(%d,%d) = %s, want %s", c.done, c.total, got, c.want)
		}
	}
}

// An effect that cannot be stored must not leave its item downloading
// (which would also keep Drain waiting forever).
func TestFailedEffectIsRecordedNotStuck(t *testing.T) {
	db := openStore(t)
	q := New(db, fastOpts(), Kind{Name: "k", Handle: func(ctx context.Context, it *Item, _ func(int)) (Effect, error) {
		return func(tx *store.Tx) error { return errors.New("record has no id") }, nil
	}})
	q.Enqueue(Request{Key: "bad", Kind: "k"})
	drain(t, q)
	items, _ := q.Items()
	if len(items) != 1 || items[0].Status != Failed || !strings.Contains(items[0].LastError, "record has no id") {
		t.Fatalf("item = %+v", items)
	}
}

// Waiting out a 429 does not use up attempts, and a huge Retry-After is
// capped.
func TestThrottlingDoesNotCountAsAnAttempt(t *testing.T) {
	db := openStore(t)
	var calls atomic.Int32
	q := New(db, Options{Workers: 1, MaxAttempts: 2, BaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
		Kind{Name: "k", Handle: func(ctx context.Context, it *Item, _ func(int)) (Effect, error) {
			if calls.Add(1) <= 4 {
				return nil, &httpx.StatusError{Status: 429, RetryAfter: 24 * time.Hour}
			}
			return countEffect(it.Key), nil
		}})
	q.Enqueue(Request{Key: "x", Kind: "k"})
	drain(t, q)
	if effects(t, db, "x") != 1 || calls.Load() != 5 {
		t.Errorf("after four 429s: %d calls, effect applied %d times; want success on the fifth", calls.Load(), effects(t, db, "x"))
	}
}

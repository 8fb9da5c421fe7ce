package catalog

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/queue"
	"dubbot/ratelimit"
	"dubbot/store"
	"dubbot/upstream/httpx"
	"dubbot/upstream/jikan"
	"dubbot/upstream/jikan/jikantest"
)

// Jikan's limits (3/s, 60/min) scaled up 50x so the run takes seconds: the
// same shape, two windows at once. The limiter paces evenly at the
// sustained rate the tightest window allows (3000/min = 50/s), never
// bursting a minute's budget, so that is the rate to compare against.
var scaledLimits = []ratelimit.Rate{{N: 150, Per: time.Second}, {N: 3000, Per: time.Minute}}

// sustainedRate is the requests per second the tightest window allows.
func sustainedRate(rates []ratelimit.Rate) float64 {
	best := 0.0
	for i, r := range rates {
		perSecond := float64(r.N) / r.Per.Seconds()
		if i == 0 || perSecond < best {
			best = perSecond
		}
	}
	return best
}

// runDetails queues n details fetches and works them with the queue's
// workers against an enforcing fake Jikan; it returns the fake's counts.
func runDetails(tb testing.TB, n int) (jikantest.Counts, queue.Counts) {
	tb.Helper()
	items := make([]anime.Anime, n)
	for i := range items {
		items[i] = anime.Anime{ID: i + 1, Title: fmt.Sprintf("Show %d", i+1)}
	}
	fake := jikantest.New(items, jikantest.Options{Limits: scaledLimits})
	defer fake.Close()
	limiter := ratelimit.New("jikan", scaledLimits)
	client, err := jikan.New(jikan.Config{BaseURL: fake.URL, HTTP: httpx.NewClient(limiter, nil, 10*time.Second)})
	if err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(tb.TempDir(), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	c := New(db, client, nil)
	q := queue.New(db, queue.Options{Workers: 4}, c.DetailsKind("jikan"))
	for _, it := range items {
		if _, err := q.Enqueue(DetailsRequest(it.ID, queue.Normal)); err != nil {
			tb.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := q.Drain(ctx); err != nil {
		tb.Fatal(err)
	}
	counts, err := q.Counts()
	if err != nil {
		tb.Fatal(err)
	}
	return fake.Counts(), counts
}

func TestQueueAgainstTheEnforcingFakeGetsNo429(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	seen, done := runDetails(t, 300)
	if seen.Throttled != 0 || done.Completed != 300 || done.Failed != 0 {
		t.Fatalf("fake saw %+v; queue ended %+v", seen, done)
	}
	if seen.Requests != 300 {
		t.Errorf("%d requests for 300 items: work was repeated", seen.Requests)
	}
}

// BenchmarkQueueThroughput reports how close the queue comes to the
// upstream's allowed sustained rate (50/s here) over 300 items.
func BenchmarkQueueThroughput(b *testing.B) {
	for b.Loop() {
		seen, _ := runDetails(b, 300)
		span := seen.Last.Sub(seen.First).Seconds()
		rate := float64(seen.Requests-1) / span
		b.ReportMetric(rate, "req/s")
		b.ReportMetric(100*rate/sustainedRate(scaledLimits), "%allowed")
		b.ReportMetric(float64(seen.Throttled), "429s")
	}
}

package jikan_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dubbot/ratelimit"
	"dubbot/upstream/httpx"
	"dubbot/upstream/jikan"
	"dubbot/upstream/jikan/jikantest"
)

// scaledLimits are Jikan's two windows shrunk so that a run of 50 requests
// takes under 3 s: a short burst guard (24/s) and a longer window (20/s)
// that sets the pace. Parse reads durations besides s, m and h.
const scaledLimits = "12/500ms,40/2s"

// allowed is the sustained rate the windows grant: the slowest one's N/Per.
func allowed(rates []ratelimit.Rate) float64 {
	best := 0.0
	for i, r := range rates {
		if rate := float64(r.N) / r.Per.Seconds(); i == 0 || rate < best {
			best = rate
		}
	}
	return best
}

// run is a fake at the scaled limits and a client whose limiter is set to
// the same limits, the way cmd/dubbot would set it from JIKAN_RATE_LIMIT.
type run struct {
	fake   *jikantest.Server
	client *jikan.Client
	rates  []ratelimit.Rate
}

func newRun(tb testing.TB) *run {
	tb.Helper()
	rates, err := ratelimit.Parse(scaledLimits)
	if err != nil {
		tb.Fatal(err)
	}
	fake := jikantest.New(catalog(30), jikantest.Options{Limits: rates})
	tb.Cleanup(fake.Close)
	hc := httpx.NewClient(ratelimit.New("jikan", rates), nil, 5*time.Second)
	return &run{fake: fake, client: newClient(tb, fake, hc), rates: rates}
}

// drive sends n requests from workers goroutines, a mix of details and
// catalog pages, and returns how many failed and the first error.
func (r *run) drive(n, workers int) (failed int64, first error) {
	var (
		next   atomic.Int64
		errs   atomic.Int64
		once   sync.Once
		wg     sync.WaitGroup
		ctx    = context.Background()
		record = func(err error) {
			if err != nil {
				errs.Add(1)
				once.Do(func() { first = err })
			}
		}
	)
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)); i <= n; i = int(next.Add(1)) {
				if i%5 == 0 {
					_, err := r.client.AnimePage(ctx, 1+i%2)
					record(err)
					continue
				}
				_, err := r.client.Anime(ctx, 1+i%30)
				record(err)
			}
		})
	}
	wg.Wait()
	return errs.Load(), first
}

// achieved is the request rate the fake saw, first arrival to last.
func (r *run) achieved() float64 {
	c := r.fake.Counts()
	if c.Requests < 2 || !c.Last.After(c.First) {
		return 0
	}
	return float64(c.Requests-1) / c.Last.Sub(c.First).Seconds()
}

// TestLimiterAtTheFakesLimitsGetsNo429 runs the client flat out through a
// limiter set to exactly the fake's limits. Every request must succeed and
// none may be refused. The rate achieved is only logged here: timing belongs
// in benchmarks, and BenchmarkThroughputAtLimits holds it to 95% of the
// allowed rate.
func TestLimiterAtTheFakesLimitsGetsNo429(t *testing.T) {
	const requests = 50
	r := newRun(t)
	failed, err := r.drive(requests, 4)
	if failed > 0 {
		t.Fatalf("%d of %d requests failed; first: %v", failed, requests, err)
	}
	c := r.fake.Counts()
	if c.Throttled != 0 || c.Requests != requests {
		t.Errorf("fake saw %d requests and refused %d; want %d and 0", c.Requests, c.Throttled, requests)
	}
	t.Logf("%d requests, %d refused, %.2f req/s of %.2f allowed (%.1f%%)",
		c.Requests, c.Throttled, r.achieved(), allowed(r.rates), 100*r.achieved()/allowed(r.rates))
}

// BenchmarkThroughputAtLimits reports the rate the shared limiter achieves
// against a fake Jikan enforcing the same (scaled-down) limits; one op is one
// request. Run it with a fixed count, e.g. -benchtime=60x: time per op is
// set by the limiter, so more ops only take longer.
func BenchmarkThroughputAtLimits(b *testing.B) {
	r := newRun(b)
	b.ResetTimer()
	failed, err := r.drive(b.N, 4)
	b.StopTimer()
	if failed > 0 {
		b.Fatalf("%d of %d requests failed; first: %v", failed, b.N, err)
	}
	got, want := r.achieved(), allowed(r.rates)
	throttled := r.fake.Counts().Throttled
	b.ReportMetric(got, "req/s")
	b.ReportMetric(want, "allowed-req/s")
	b.ReportMetric(100*got/want, "%-of-allowed")
	b.ReportMetric(float64(throttled), "429s")
	if throttled > 0 {
		b.Errorf("fake refused %d requests", throttled)
	}
	if b.N >= 20 && got < 0.95*want {
		b.Errorf("achieved %.2f req/s, under 95%% of the allowed %.2f", got, want)
	}
}

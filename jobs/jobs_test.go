package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"dubbot/store"
)

type countingObserver struct{ ok, failed atomic.Int32 }

func (c *countingObserver) ObserveJob(name string, err error) {
	if err != nil {
		c.failed.Add(1)
	} else {
		c.ok.Add(1)
	}
}

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestRunNowRecordsLastRunAndPanics(t *testing.T) {
	db := openStore(t)
	obs := &countingObserver{}
	r := New(db, slog.New(slog.DiscardHandler), obs, nil,
		Job{Name: "good", Run: func(context.Context) (string, error) { return "did it", nil }},
		Job{Name: "bad", Run: func(context.Context) (string, error) { return "", errors.New("upstream down") }},
		Job{Name: "panics", Run: func(context.Context) (string, error) { panic("nil map") }},
	)
	ctx := context.Background()
	if sum, err := r.RunNow(ctx, "good"); err != nil || sum != "did it" {
		t.Fatalf("good job = %q, %v", sum, err)
	}
	if _, err := r.RunNow(ctx, "bad"); err == nil || err.Error() != "upstream down" {
		t.Fatalf("bad job err = %v", err)
	}
	if _, err := r.RunNow(ctx, "panics"); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("panicking job err = %v", err)
	}
	if _, err := r.RunNow(ctx, "missing"); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Fatalf("missing job err = %v", err)
	}
	runs, err := LastRuns(db)
	if err != nil {
		t.Fatal(err)
	}
	if runs["good"].Error != "" || runs["good"].Summary != "did it" || runs["bad"].Error != "upstream down" || len(runs) != 3 {
		t.Errorf("last runs = %+v", runs)
	}
	if obs.ok.Load() != 1 || obs.failed.Load() != 2 {
		t.Errorf("observer ok=%d failed=%d", obs.ok.Load(), obs.failed.Load())
	}
}

func TestScheduledJobRunsOnTheClockAndNeverOverlaps(t *testing.T) {
	clock := clockwork.NewFakeClock()
	var runs, running, overlaps atomic.Int32
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	r := New(nil, slog.New(slog.DiscardHandler), nil, clock, Job{
		Name: "tick", Every: time.Minute,
		Run: func(ctx context.Context) (string, error) {
			if running.Add(1) > 1 {
				overlaps.Add(1)
			}
			runs.Add(1)
			started <- struct{}{}
			<-release
			running.Add(-1)
			return "", nil
		},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("job did not run after one interval")
	}
	// While the first run blocks, further ticks must not start another.
	clock.Advance(time.Minute)
	clock.Advance(time.Minute)
	close(release)
	if overlaps.Load() != 0 {
		t.Errorf("%d overlapping runs", overlaps.Load())
	}
	if runs.Load() < 1 {
		t.Errorf("runs = %d", runs.Load())
	}
}

func TestAtStartRunsWhenAsked(t *testing.T) {
	done := make(chan struct{})
	r := New(nil, slog.New(slog.DiscardHandler), nil, clockwork.NewFakeClock(), Job{
		Name: "stale", Every: 24 * time.Hour,
		AtStart: func(context.Context) bool { return true },
		Run:     func(context.Context) (string, error) { close(done); return "", nil },
	})
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("AtStart job did not run")
	}
}

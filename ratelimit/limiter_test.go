package ratelimit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func mustParse(t *testing.T, spec string) []Rate {
	t.Helper()
	rates, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return rates
}

// admit runs n sequential Waits and returns the clock time of each admission.
func admit(t *testing.T, l *Limiter, c Clock, n int) []time.Time {
	t.Helper()
	times := make([]time.Time, n)
	for i := range times {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatalf("Wait %d: %v", i, err)
		}
		times[i] = c.Now()
	}
	return times
}

// checkWindows fails if any span of a window's length holds more requests
// than the window allows.
func checkWindows(t *testing.T, times []time.Time, rates []Rate) {
	t.Helper()
	for _, r := range rates {
		for i := range times {
			in := 0
			for _, u := range times[i:] {
				if u.Sub(times[i]) < r.Per {
					in++
				}
			}
			if in > r.N {
				t.Fatalf("window %v: %d requests in the span from %v", r, in, times[i].Sub(epoch))
			}
		}
	}
}

func TestWaitPacesEveryWindow(t *testing.T) {
	tests := []struct {
		spec  string
		slack time.Duration
		n     int
		want  time.Duration // spacing between admissions
	}{
		{"1/s,60/m", 0, 70, time.Second},
		{"3/s,60/m", 0, 70, time.Second},               // the minute window is the slower
		{"10/s,6000/m", 0, 50, 100 * time.Millisecond}, // the second window is the slower
		{"3/s", 0, 10, 333333334 * time.Nanosecond},    // rounded up, never short
		{"2/s,1000/h", 0, 5, 3600 * time.Millisecond},
		{"1/s,60/m", 50 * time.Millisecond, 70, 1050 * time.Millisecond},
		{"30/m", 50 * time.Millisecond, 5, 2001666667 * time.Nanosecond},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			clock := newAutoClock()
			rates := mustParse(t, tt.spec)
			l := New("test", rates, WithClock(clock), WithSlack(tt.slack))
			times := admit(t, l, clock, tt.n)
			if !times[0].Equal(epoch) {
				t.Errorf("first request waited until %v, want no wait", times[0].Sub(epoch))
			}
			for i := 1; i < len(times); i++ {
				if got := times[i].Sub(times[i-1]); got != tt.want {
					t.Fatalf("request %d came %v after the one before, want %v", i, got, tt.want)
				}
			}
			checkWindows(t, times, rates)
		})
	}
}

func TestWaitAfterIdleIsImmediate(t *testing.T) {
	clock := newAutoClock()
	l := New("test", mustParse(t, "1/s"), WithClock(clock), WithSlack(0))
	admit(t, l, clock, 3) // at 0s, 1s, 2s
	clock.advance(10 * time.Second)
	before := clock.Now()
	admit(t, l, clock, 1)
	if got := clock.Now().Sub(before); got != 0 {
		t.Errorf("after idling, Wait slept %v, want 0", got)
	}
	s := l.Stats()
	if s.Admitted != 4 || s.Waits != 2 || s.Waited != 2*time.Second {
		t.Errorf("stats admitted=%d waits=%d waited=%v, want 4, 2, 2s", s.Admitted, s.Waits, s.Waited)
	}
}

func TestWaitHonoursContext(t *testing.T) {
	t.Run("cancelled before", func(t *testing.T) {
		l := New("test", mustParse(t, "1/s"), WithClock(newAutoClock()))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		if got := l.Stats().Admitted; got != 0 {
			t.Errorf("admitted %d, want 0", got)
		}
	})
	t.Run("deadline before the slot", func(t *testing.T) {
		clock := newManualClock()
		l := New("test", mustParse(t, "1/m"), WithClock(clock), WithSlack(0))
		admitNow(t, l)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait = %v, want DeadlineExceeded at once", err)
		}
		// The abandoned slot at 1m is given back: the next caller gets it.
		go l.Wait(context.Background())
		eventually(t, "the waiter to sleep", func() bool { return clock.sleepers() == 1 })
		clock.advance(time.Minute)
		eventually(t, "the slot at 1m", func() bool { return l.Stats().Admitted == 2 })
	})
	t.Run("cancelled while waiting", func(t *testing.T) {
		clock := newManualClock()
		l := New("test", mustParse(t, "1/s"), WithClock(clock), WithSlack(0))
		admitNow(t, l)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- l.Wait(ctx) }()
		eventually(t, "the waiter to sleep", func() bool { return clock.sleepers() == 1 })
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		// The slot at 1s was given back, so the next caller gets it, not 2s.
		go l.Wait(context.Background())
		eventually(t, "the next waiter to sleep", func() bool { return clock.sleepers() == 2 })
		clock.advance(time.Second)
		eventually(t, "the slot at 1s", func() bool { return l.Stats().Admitted == 2 })
	})
}

// admitNow takes the first slot, which is always free.
func admitNow(t *testing.T, l *Limiter) {
	t.Helper()
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentWaitersAreSpaced(t *testing.T) {
	const callers = 12
	clock := newManualClock()
	l := New("test", mustParse(t, "2/s,60/m"), WithClock(clock), WithSlack(0))
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if err := l.Wait(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	admitted := func() int { return int(l.Stats().Admitted) }
	eventually(t, "all callers to queue", func() bool { return admitted()+clock.sleepers() == callers })
	if got := admitted(); got != 1 {
		t.Fatalf("admitted %d at once, want 1", got)
	}
	for want := 2; want <= callers; want++ {
		clock.advance(time.Second)
		eventually(t, "the next admission", func() bool { return admitted() >= want })
		if got := admitted(); got != want {
			t.Fatalf("after %d s admitted %d, want %d", want-1, got, want)
		}
	}
	wg.Wait()
}

func TestLateWakeUpSpacesTheQueueAgain(t *testing.T) {
	// Three callers hold slots at 1s, 2s and 3s when the process stalls
	// until 5s: one goes at 5s, the others at 6s and 7s, not all at once.
	clock := newManualClock()
	l := New("test", mustParse(t, "1/s"), WithClock(clock), WithSlack(0))
	admitNow(t, l)
	for range 3 {
		go l.Wait(context.Background())
	}
	admitted := func() int { return int(l.Stats().Admitted) }
	eventually(t, "three sleepers", func() bool { return clock.sleepers() == 3 })
	clock.advance(5 * time.Second)
	eventually(t, "one admission and two requeued", func() bool { return admitted() == 2 && clock.sleepers() == 2 })
	for want := 3; want <= 4; want++ {
		clock.advance(time.Second)
		eventually(t, "the next admission", func() bool { return admitted() == want })
	}
}

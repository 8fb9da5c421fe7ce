package ratelimit

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"
)

func TestPenalizeBlocksThenSlowsDown(t *testing.T) {
	clock := newAutoClock()
	l := New("anilist", mustParse(t, "1/s"), WithClock(clock), WithSlack(0))
	admitNow(t, l) // at 0s
	l.Penalize(time.Minute)
	l.Penalize(10 * time.Second) // answers a request sent before the block: no second slowdown
	times := admit(t, l, clock, 3)
	want := []time.Duration{time.Minute, time.Minute + 1250*time.Millisecond, time.Minute + 2500*time.Millisecond}
	for i, at := range times {
		if got := at.Sub(epoch); got != want[i] {
			t.Errorf("request %d at %v, want %v", i+1, got, want[i])
		}
	}
	s := l.Stats()
	if s.Factor != 0.8 || s.Penalties != 2 || !s.BlockedUntil.Equal(epoch.Add(time.Minute)) {
		t.Errorf("stats factor=%v penalties=%d blocked until %v; want 0.8, 2, 1m",
			s.Factor, s.Penalties, s.BlockedUntil.Sub(epoch))
	}
}

func TestPenalizeWithoutRetryAfterBlocksTheMinimum(t *testing.T) {
	clock := newAutoClock()
	l := New("jikan", mustParse(t, "10/s"), WithClock(clock), WithSlack(0), WithMinPenalty(2*time.Second))
	admitNow(t, l)
	l.Penalize(0)
	admitNow(t, l)
	if got := clock.Now().Sub(epoch); got != 2*time.Second {
		t.Errorf("next request at %v, want 2s", got)
	}
}

func TestPenalizeKeepsTheSlowestWindow(t *testing.T) {
	// A short block must not let a request through sooner than the budget
	// allows after the last one.
	clock := newAutoClock()
	l := New("mal", mustParse(t, "1/m"), WithClock(clock), WithSlack(0), WithSlowdown(0.5, 0.1))
	admitNow(t, l)
	l.Penalize(time.Second)
	admitNow(t, l)
	if got := clock.Now().Sub(epoch); got != 2*time.Minute {
		t.Errorf("next request at %v, want 2m (1/m slowed to half)", got)
	}
}

func TestSlowdownFloorAndRecovery(t *testing.T) {
	tests := []struct {
		name      string
		penalties int           // separate episodes, each after the last block ended
		quiet     time.Duration // calm after the last block
		want      float64
	}{
		{"one penalty", 1, 0, 0.8},
		{"two penalties", 2, 0, 0.64},
		{"floor", 20, 0, 0.25},
		{"not yet a quiet period", 1, 59 * time.Second, 0.8},
		{"one quiet period", 1, time.Minute, 0.85},
		{"three quiet periods", 2, 3*time.Minute + 30*time.Second, 0.79},
		{"full recovery", 20, time.Hour, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newAutoClock()
			l := New("jikan", mustParse(t, "1/s"), WithClock(clock))
			for range tt.penalties {
				l.Penalize(5 * time.Second)
				clock.advance(5 * time.Second)
			}
			clock.advance(tt.quiet)
			if got := l.Stats().Factor; math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("factor = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPenalizeWakesSleepers(t *testing.T) {
	clock := newManualClock()
	l := New("anilist", mustParse(t, "1/s"), WithClock(clock), WithSlack(0))
	admitNow(t, l)
	go l.Wait(context.Background()) // sleeps until 1s
	eventually(t, "the waiter to sleep", func() bool { return clock.sleepers() == 1 })
	l.Penalize(10 * time.Second)
	eventually(t, "the waiter to queue behind the block", func() bool { return clock.sleepers() == 2 })
	clock.advance(time.Second)
	if got := l.Stats().Admitted; got != 1 {
		t.Fatalf("admitted %d during the block, want 1", got)
	}
	clock.advance(9 * time.Second)
	eventually(t, "the admission at 10s", func() bool { return l.Stats().Admitted == 2 })
}

func TestLower(t *testing.T) {
	tests := []struct {
		name  string
		spec  string
		calls []Rate // Lower(N, Per) calls in order
		want  []Rate // Stats().Effective (slack 0, full pace)
	}{
		{"header below budget", "90/m", []Rate{{30, time.Minute}}, []Rate{{30, time.Minute}}},
		{"header above budget", "30/m", []Rate{{90, time.Minute}}, []Rate{{30, time.Minute}}},
		{"lifted again", "90/m", []Rate{{30, time.Minute}, {60, time.Minute}}, []Rate{{60, time.Minute}}},
		{"new window", "1/s", []Rate{{30, time.Minute}}, []Rate{{1, time.Second}, {30, time.Minute}}},
		{"nonsense ignored", "1/s", []Rate{{0, time.Minute}, {-3, time.Minute}, {5, 0}}, []Rate{{1, time.Second}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New("anilist", mustParse(t, tt.spec), WithClock(newAutoClock()), WithSlack(0))
			for _, c := range tt.calls {
				l.Lower(c.N, c.Per)
			}
			s := l.Stats()
			if !reflect.DeepEqual(s.Effective, tt.want) {
				t.Errorf("effective = %v, want %v", s.Effective, tt.want)
			}
			if !reflect.DeepEqual(s.Configured, mustParse(t, tt.spec)) {
				t.Errorf("configured = %v, want %s", s.Configured, tt.spec)
			}
		})
	}
}

func TestLowerSlowsThePace(t *testing.T) {
	clock := newAutoClock()
	l := New("anilist", mustParse(t, "90/m"), WithClock(clock), WithSlack(0))
	l.Lower(30, time.Minute)
	times := admit(t, l, clock, 3)
	if got := times[2].Sub(times[1]); got != 2*time.Second {
		t.Errorf("spacing %v after Lower(30, 1m), want 2s", got)
	}
}

func TestStatsStretchesEffectiveRates(t *testing.T) {
	l := New("jikan", mustParse(t, "1/s,60/m"), WithClock(newAutoClock()))
	l.Penalize(time.Second)
	s := l.Stats()
	want := []Rate{{1, 1312500 * time.Microsecond}, {60, 75062500 * time.Microsecond}}
	if !reflect.DeepEqual(s.Effective, want) || s.Interval != 1312500*time.Microsecond {
		t.Errorf("effective %v interval %v, want %v and 1.3125s", s.Effective, s.Interval, want)
	}
}

func TestNewPanicsOnInvalidRate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New accepted a rate of 0/s")
		}
	}()
	New("bad", []Rate{{0, time.Second}})
}

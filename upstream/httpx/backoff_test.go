package httpx

import (
	"testing"
	"time"
)

func TestBackoffDoublesWithinBounds(t *testing.T) {
	base, max := time.Second, 10*time.Second
	for attempt, ceiling := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: max, 80: max, 0: max} {
		for range 50 {
			if d := Backoff(base, max, attempt); d < ceiling/2 || d > ceiling {
				t.Fatalf("Backoff(attempt %d) = %v, outside [%v, %v]", attempt, d, ceiling/2, ceiling)
			}
		}
	}
}

package httpx

import (
	"math/rand/v2"
	"time"
)

// Backoff is how long to wait before retry number attempt (from 1): base,
// doubling each attempt, at most max, with "equal jitter" (a random point
// in the upper half) so that clients failing together do not retry
// together.
func Backoff(base, max time.Duration, attempt int) time.Duration {
	d := max
	if attempt >= 1 && attempt < 63 {
		if shifted := base << (attempt - 1); shifted > 0 && shifted < max {
			d = shifted
		}
	}
	return d/2 + rand.N(d/2+1)
}

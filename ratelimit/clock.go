package ratelimit

import "time"

// Clock is the time source a Limiter paces by. After must not fire before
// Now has moved on by d. Tests pass a fake so that minutes of pacing run
// instantly; github.com/jonboulle/clockwork's fake clock satisfies it too.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// systemClock is the real time.
type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

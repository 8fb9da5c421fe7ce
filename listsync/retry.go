package listsync

import (
	"context"
	"errors"
	"net/http"
	"time"

	"dubbot/ratelimit"
	"dubbot/upstream/anilist"
	"dubbot/upstream/httpx"
	"dubbot/upstream/mal"
)

// call runs fn until it succeeds, fails for good, or Attempts run out:
// throttling (429, MAL's 403), server errors and network failures are tried
// again after the server's Retry-After, else after exponential backoff with
// jitter (the download queue's policy). Before each try it waits out any
// penalty on lim, because the clients' own timeouts would otherwise give up
// on a Retry-After longer than they are.
func (s *Service) call(ctx context.Context, lim *ratelimit.Limiter, fn func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		if err := waitUnblocked(ctx, lim); err != nil {
			return err
		}
		err := fn(ctx)
		retry, after := transient(err)
		if !retry || attempt >= s.cfg.Attempts || ctx.Err() != nil {
			return err
		}
		if after <= 0 {
			after = s.backoff(attempt)
		}
		if isMALForbidden(err) && lim != nil {
			lim.Penalize(after) // MAL's DoS answer: everyone slows down, not just this run
		}
		if err := sleep(ctx, after); err != nil {
			return err
		}
	}
}

// transient reports whether err may go away on its own, and how long the
// server asked to wait (0 when it did not say).
func transient(err error) (bool, time.Duration) {
	if err == nil || errors.Is(err, context.Canceled) {
		return false, 0
	}
	if e, ok := errors.AsType[*mal.HTTPError](err); ok {
		return e.Retryable(), e.RetryAfter
	}
	if e, ok := errors.AsType[*anilist.Error](err); ok {
		if e.Status == http.StatusTooManyRequests {
			return true, e.RetryAfter
		}
		return e.Status >= 500, 0
	}
	// Network failures, timeouts (a limiter slot past the request's
	// deadline among them) and cut-off answers.
	return httpx.Retryable(err), 0
}

// isMALForbidden reports MAL's 403, its answer to "too many requests" that
// the transport does not count as throttling.
func isMALForbidden(err error) bool {
	e, ok := errors.AsType[*mal.HTTPError](err)
	return ok && e.Status == http.StatusForbidden
}

// backoff is the delay before retry number attempt: doubling from Backoff up
// to MaxBackoff, the upper half of it at random.
func (s *Service) backoff(attempt int) time.Duration {
	return httpx.Backoff(s.cfg.Backoff, s.cfg.MaxBackoff, attempt)
}

// waitUnblocked sleeps until lim's current penalty, if any, has passed.
func waitUnblocked(ctx context.Context, lim *ratelimit.Limiter) error {
	if lim == nil {
		return ctx.Err()
	}
	return sleep(ctx, time.Until(lim.Stats().BlockedUntil))
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

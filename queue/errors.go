package queue

import (
	"errors"
	"net/http"

	"dubbot/upstream/httpx"
)

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks an error that retrying cannot fix.
func Permanent(err error) error { return &permanentError{err: err} }

// isPermanent: marked errors, and upstream 4xx answers other than 408 and
// 429, fail at once; so do client errors that say they are not retryable
// (the MAL client's). Anything else (network trouble, 5xx, a truncated
// body) is worth another try.
func isPermanent(err error) bool {
	var p *permanentError
	if errors.As(err, &p) {
		return true
	}
	var se *httpx.StatusError
	if errors.As(err, &se) {
		return se.Status >= 400 && se.Status < 500 && se.Status != http.StatusRequestTimeout && se.Status != http.StatusTooManyRequests
	}
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return !r.Retryable()
	}
	return false
}

// throttled reports an upstream asking us to slow down.
func throttled(err error) bool {
	var se *httpx.StatusError
	if errors.As(err, &se) {
		return se.Status == http.StatusTooManyRequests || se.Status == http.StatusServiceUnavailable
	}
	return httpx.RetryAfterOf(err) > 0
}

package mal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Errors an *HTTPError matches with errors.Is.
var (
	// ErrUnauthorized: the access token expired or was revoked (HTTP 401).
	// Refresh it once; if that fails the user must authorize again.
	ErrUnauthorized = errors.New("mal: unauthorized")
	// ErrThrottled: MAL wants fewer requests (HTTP 429, or 403, which is how
	// MAL answers a suspected DoS). Wait RetryAfter, or back off.
	ErrThrottled = errors.New("mal: throttled")
	// ErrNotFound: no such anime or manga, or not on the user's list (HTTP 404).
	ErrNotFound = errors.New("mal: not found")
)

// maxRetryAfter caps a Retry-After so that a silly header cannot park the
// bot for ever (or overflow a Duration).
const maxRetryAfter = 24 * time.Hour

// maxErrorBody caps how much of an error answer is read.
const maxErrorBody = 64 << 10

// HTTPError is a non-2xx answer from MAL.
type HTTPError struct {
	Status     int           // HTTP status
	Code       string        // MAL's "error" field, such as "invalid_token"; "" when absent
	Message    string        // MAL's "message" field
	RetryAfter time.Duration // from the Retry-After header; 0 when absent
}

// Error describes the answer; it never holds request headers, so no token.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("mal: HTTP %d", e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Is matches ErrUnauthorized, ErrThrottled and ErrNotFound by status.
func (e *HTTPError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrThrottled:
		return e.Status == http.StatusTooManyRequests || e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	}
	return false
}

// RetryDelay is how long MAL asked to wait (httpx.RetryAfterOf reads it).
func (e *HTTPError) RetryDelay() time.Duration { return e.RetryAfter }

// Retryable reports whether the same request may succeed later: throttling
// and server errors are, other client errors (bad parameters, unknown ids)
// are permanent, and 401 needs a new token first.
func (e *HTTPError) Retryable() bool {
	return e.Is(ErrThrottled) || e.Status >= 500
}

// responseError turns a non-2xx answer into an *HTTPError.
func responseError(resp *http.Response, now time.Time) *HTTPError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := parseErrorBody(resp.StatusCode, body)
	e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	return e
}

// parseErrorBody reads MAL's {"error":"…","message":"…"}; a body that is not
// that (a WAF's HTML page) leaves Code and Message empty.
func parseErrorBody(status int, body []byte) *HTTPError {
	e := &HTTPError{Status: status}
	var eb struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &eb) == nil {
		e.Code, e.Message = eb.Error, eb.Message
	}
	return e
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date; 0
// when absent or unreadable.
func retryAfter(header string, now time.Time) time.Duration {
	header = strings.TrimSpace(header)
	if secs, err := strconv.Atoi(header); err == nil && secs >= 0 {
		return time.Duration(min(secs, int(maxRetryAfter/time.Second))) * time.Second
	}
	if at, err := http.ParseTime(header); err == nil {
		return min(max(at.Sub(now), 0), maxRetryAfter)
	}
	return 0
}

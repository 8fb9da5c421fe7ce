package anilist

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// ErrUnauthorized means AniList rejected the token: it expired, was revoked,
// or is missing where one is needed. The user has to link again.
var ErrUnauthorized = errors.New("anilist: unauthorized")

// ErrRateLimited means AniList asked the bot to slow down; the *Error says
// for how long.
var ErrRateLimited = errors.New("anilist: rate limited")

// defaultRetryAfter is AniList's documented penalty when a 429 carries no
// Retry-After header.
const defaultRetryAfter = time.Minute

// maxRetryAfter caps a Retry-After so that a silly header cannot park the
// bot for ever (or overflow a Duration).
const maxRetryAfter = 24 * time.Hour

// Error is an error answer from AniList: a non-200 HTTP status, or a 200
// whose GraphQL errors say the same thing.
type Error struct {
	Status     int           // HTTP status, or the status AniList put in the error
	Message    string        // AniList's first error message
	RetryAfter time.Duration // set when Status is 429
}

// Error describes the failure without request details (and so without tokens).
func (e *Error) Error() string {
	msg := fmt.Sprintf("anilist: HTTP %d", e.Status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Is matches ErrUnauthorized and ErrRateLimited. AniList answers a bad token
// with 400 "Invalid token" rather than 401, so both count.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized || strings.EqualFold(e.Message, "Invalid token")
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	}
	return false
}

// errorBody is the shape of AniList's error answers:
// {"data":null,"errors":[{"message":"Invalid token","status":400}]}.
type errorBody struct {
	Errors []struct {
		Message string `json:"message"`
		Status  int    `json:"status"`
	} `json:"errors"`
}

// maxErrorBody caps how much of an error answer is read.
const maxErrorBody = 64 << 10

// responseError turns a non-200 answer into an *Error.
func responseError(resp *http.Response) *Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := parseErrorBody(resp.StatusCode, body)
	if e.Status == http.StatusTooManyRequests {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return e
}

// parseErrorBody reads AniList's first error message out of body; a body that
// is not AniList's JSON (a proxy's HTML page) leaves the message empty.
func parseErrorBody(status int, body []byte) *Error {
	e := &Error{Status: status}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil && len(eb.Errors) > 0 {
		e.Message = eb.Errors[0].Message
	}
	return e
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), falling
// back to AniList's one-minute penalty when it is absent or unreadable.
func retryAfter(header string, now time.Time) time.Duration {
	header = strings.TrimSpace(header)
	if secs, err := strconv.Atoi(header); err == nil && secs >= 0 {
		return time.Duration(min(secs, int(maxRetryAfter/time.Second))) * time.Second
	}
	if at, err := http.ParseTime(header); err == nil {
		return min(max(at.Sub(now), 0), maxRetryAfter)
	}
	return defaultRetryAfter
}

// graphQLError maps GraphQL errors that came with HTTP 200 onto *Error when
// they mean a bad token or a rate limit (gqlparser drops AniList's "status"
// key, so the message is all there is), and leaves others as they are.
func graphQLError(err error) error {
	var list gqlerror.List
	if !errors.As(err, &list) || len(list) == 0 {
		return err
	}
	msg := list[0].Message
	switch {
	case strings.EqualFold(msg, "Invalid token"), strings.EqualFold(msg, "Unauthorized."):
		return &Error{Status: http.StatusUnauthorized, Message: msg}
	case strings.HasPrefix(msg, "Too Many Requests"):
		return &Error{Status: http.StatusTooManyRequests, Message: msg, RetryAfter: defaultRetryAfter}
	}
	return err
}

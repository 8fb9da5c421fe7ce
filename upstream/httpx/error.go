package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// snippetBytes is how much of an error body is read; snippetRunes how much
// of it is kept: enough for an upstream's error message, never a whole page.
const (
	snippetBytes = 2048
	snippetRunes = 200
)

// StatusError is an upstream's answer other than 2xx.
type StatusError struct {
	URL        string        // the request URL, secrets redacted
	Status     int           // the HTTP status code
	RetryAfter time.Duration // the server's Retry-After, 0 when it sent none
	Body       string        // the start of the body, whitespace collapsed
}

// Error names the URL, the status and what the body said.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// CheckResponse returns nil for a 2xx response and a *StatusError for any
// other, reading the start of its body. The caller still closes the body.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	e := &StatusError{URL: responseURL(resp), Status: resp.StatusCode}
	e.RetryAfter, _ = RetryAfter(resp.Header, time.Now())
	b, _ := io.ReadAll(io.LimitReader(resp.Body, snippetBytes))
	e.Body = snippet(b)
	return e
}

// snippet makes a body printable on one line.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "\uFFFD")), " ")
	if utf8.RuneCountInString(s) <= snippetRunes {
		return s
	}
	return string([]rune(s)[:snippetRunes]) + "…"
}

// Retryable reports whether trying the same request later may succeed:
// network failures, timeouts, cut-off bodies, 408, 429 and 5xx answers. Other
// 4xx answers and errors of the caller's own making are permanent, and a
// cancelled context means the caller gave up.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if se, ok := errors.AsType[*StatusError](err); ok {
		return retryableStatus(se.Status)
	}
	// A *url.Error is itself a net.Error; judge what the transport said.
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	_, ok := errors.AsType[net.Error](err)
	return ok
}

func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500
}

// retryDelayer is an error that says how long to wait before trying again.
type retryDelayer interface {
	error
	RetryDelay() time.Duration
}

// RetryAfterOf is the Retry-After an upstream sent with err, or 0. Client
// packages with error types of their own take part by having a
// RetryDelay() method.
func RetryAfterOf(err error) time.Duration {
	if se, ok := errors.AsType[*StatusError](err); ok {
		return se.RetryAfter
	}
	if d, ok := errors.AsType[retryDelayer](err); ok {
		return d.RetryDelay()
	}
	return 0
}

// secretParams are query parameters whose values never go into an error.
var secretParams = []string{"token", "secret", "password", "key", "code", "signature", "state"}

// RedactURL writes u for errors and logs: user info is dropped and the values
// of query parameters that look like credentials read "REDACTED".
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	q := c.Query()
	changed := false
	for name := range q {
		if isSecretParam(name) {
			q[name] = []string{"REDACTED"}
			changed = true
		}
	}
	if changed {
		c.RawQuery = q.Encode()
	}
	return c.String()
}

func isSecretParam(name string) bool {
	name = strings.ToLower(name)
	for _, s := range secretParams {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

func responseURL(resp *http.Response) string {
	if resp.Request == nil {
		return "(unknown URL)"
	}
	return RedactURL(resp.Request.URL)
}

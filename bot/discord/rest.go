package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// REST calls Discord's REST API directly rather than through discordgo's
// rate limiter, which serialises every interaction edit behind one bot-wide
// bucket and keeps an entry per interaction token forever (discordgo #1384).
// Interaction callbacks are exempt from the global limit, so they go out at
// once; everything else is paced under the 50 requests/s global limit and
// waits out 429s.
type REST struct {
	base   string
	token  string
	client *http.Client
	log    *slog.Logger
	global *pacer
	dms    dmCache
}

// NewREST makes a client for the API at base (DISCORD_API_URL).
func NewREST(base, token string, client *http.Client, log *slog.Logger) *REST {
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &REST{base: strings.TrimRight(base, "/"), token: token, client: client, log: log, global: newPacer(45)}
}

// APIError is an error answer from Discord.
type APIError struct {
	Method, Path string // path with tokens redacted
	Status       int
	Code         int // Discord's JSON error code, such as 50007
	Message      string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("discord %s %s: %d %s (code %d)", e.Method, e.Path, e.Status, e.Message, e.Code)
}

// Discord JSON error codes the bot reacts to.
const (
	CodeUnknownChannel      = 10003
	CodeMissingAccess       = 50001
	CodeCannotMessageUser   = 50007
	CodeMissingPermissions  = 50013
	CodeAlreadyAcknowledged = 40060
)

// ErrorCode is the Discord error code of err, or 0.
func ErrorCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	return 0
}

const maxAttempts = 5

// Do sends a JSON request and decodes the JSON answer into out (when not
// nil). It waits out 429s and retries 5xx answers a few times.
func (r *REST) Do(ctx context.Context, method, path string, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encode body for %s %s: %w", method, redact(path), err)
		}
	}
	interaction := strings.HasPrefix(path, "/interactions/") || strings.HasPrefix(path, "/webhooks/")
	for attempt := 1; ; attempt++ {
		if !interaction {
			if err := r.global.wait(ctx); err != nil {
				return err
			}
		}
		wait, err := r.once(ctx, method, path, payload, out)
		if attempt > 1 && interaction && ErrorCode(err) == CodeAlreadyAcknowledged {
			// The earlier attempt went through after all.
			return nil
		}
		if wait == 0 || attempt == maxAttempts {
			return err
		}
		r.log.Warn("discord asked to wait", slog.String("method", method), slog.String("path", redact(path)), slog.Duration("wait", wait), slog.Int("attempt", attempt))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// once sends one request. A non-zero wait means "retry after this long".
func (r *REST) once(ctx context.Context, method, path string, payload []byte, out any) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, bytes.NewReader(payload))
	if err != nil {
		return 0, fmt.Errorf("build %s %s: %w", method, redact(path), err)
	}
	req.Header.Set("Authorization", "Bot "+r.token)
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/dubbot/dubbot, 1.0)")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("discord %s %s: %w", method, redact(path), scrub(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, fmt.Errorf("read discord %s %s: %w", method, redact(path), err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return retryAfter(resp, raw), r.apiError(method, path, resp.StatusCode, raw)
	case resp.StatusCode >= 500:
		return time.Second, r.apiError(method, path, resp.StatusCode, raw)
	case resp.StatusCode >= 400:
		return 0, r.apiError(method, path, resp.StatusCode, raw)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return 0, fmt.Errorf("decode discord %s %s: %w", method, redact(path), err)
		}
	}
	return 0, nil
}

func (r *REST) apiError(method, path string, status int, raw []byte) error {
	e := &APIError{Method: method, Path: redact(path), Status: status}
	var body struct {
		Message string `json:"message"`
		Code    int    `json:"code"`
	}
	if json.Unmarshal(raw, &body) == nil {
		e.Message, e.Code = body.Message, body.Code
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// retryAfter reads how long a 429 asks to wait: the JSON body's
// retry_after (seconds, fractional) or the Retry-After header.
func retryAfter(resp *http.Response, raw []byte) time.Duration {
	var body struct {
		RetryAfter float64 `json:"retry_after"`
	}
	if json.Unmarshal(raw, &body) == nil && body.RetryAfter > 0 {
		return time.Duration(body.RetryAfter * float64(time.Second))
	}
	if s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	return time.Second
}

var tokenInPath = regexp.MustCompile(`^/(interactions/\d+|webhooks/\d+)/[^/?]+`)

// redact hides interaction tokens, which grant access for 15 minutes.
func redact(path string) string {
	return tokenInPath.ReplaceAllString(path, "/$1/<token>")
}

// scrub removes the request URL (with its token) from a transport error.
func scrub(err error) error {
	var uerr interface{ Unwrap() error }
	if errors.As(err, &uerr) {
		if inner := uerr.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// pacer spaces requests evenly under a per-second budget.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newPacer(perSecond int) *pacer {
	return &pacer{interval: time.Second / time.Duration(perSecond)}
}

func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	if p.next.Before(now) {
		p.next = now
	}
	at := p.next
	p.next = p.next.Add(p.interval)
	p.mu.Unlock()
	if d := time.Until(at); d > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
	return nil
}

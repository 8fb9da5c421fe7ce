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
	"testing"
	"time"
)

func response(status int, header http.Header, body, rawURL string) *http.Response {
	u, _ := url.Parse(rawURL)
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{
		StatusCode: status,
		Header:     header,
		Body:       io.NopCloser(strings.NewReader(body)),
		Request:    &http.Request{Method: http.MethodGet, URL: u},
	}
}

func TestCheckResponse(t *testing.T) {
	tests := []struct {
		name   string
		resp   *http.Response
		want   *StatusError
		errMsg string
	}{
		{"ok", response(200, nil, "{}", "https://api.jikan.moe/v4/anime/1"), nil, ""},
		{"no content", response(204, nil, "", "https://api.jikan.moe/v4/anime/1"), nil, ""},
		{
			"rate limited",
			response(429, http.Header{"Retry-After": {"60"}}, `{"status":429,"type":"RateLimitException",
				"message":"You are being rate limited"}`, "https://graphql.anilist.co/"),
			&StatusError{URL: "https://graphql.anilist.co/", Status: 429, RetryAfter: time.Minute,
				Body: `{"status":429,"type":"RateLimitException", "message":"You are being rate limited"}`},
			`https://graphql.anilist.co/: HTTP 429 Too Many Requests: {"status":429`,
		},
		{
			"secret in query",
			response(401, nil, "", "https://myanimelist.net/v1/oauth2/token?code=abc&client_secret=s3cr3t&page=2"),
			&StatusError{URL: "https://myanimelist.net/v1/oauth2/token?client_secret=REDACTED&code=REDACTED&page=2", Status: 401},
			"HTTP 401 Unauthorized",
		},
		{
			"long body cut",
			response(500, nil, strings.Repeat("é", 300), "https://api.jikan.moe/v4/anime/1/full"),
			&StatusError{URL: "https://api.jikan.moe/v4/anime/1/full", Status: 500, Body: strings.Repeat("é", 200) + "…"},
			"HTTP 500 Internal Server Error: ééé",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckResponse(tt.resp)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CheckResponse = %v, want nil", err)
				}
				return
			}
			se, ok := errors.AsType[*StatusError](err)
			if !ok {
				t.Fatalf("CheckResponse = %v, want a *StatusError", err)
			}
			if *se != *tt.want {
				t.Errorf("CheckResponse = %#v\nwant %#v", se, tt.want)
			}
			if !strings.Contains(err.Error(), tt.errMsg) {
				t.Errorf("message %q does not contain %q", err, tt.errMsg)
			}
		})
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestRetryable(t *testing.T) {
	status := func(code int) error {
		return fmt.Errorf("fetch anime 1: %w", &StatusError{URL: "https://api.jikan.moe/v4/anime/1", Status: code})
	}
	urlErr := func(err error) error { return &url.Error{Op: "Get", URL: "https://api.jikan.moe/v4/anime/1", Err: err} }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"400", status(400), false},
		{"401", status(401), false},
		{"403", status(403), false},
		{"404", status(404), false},
		{"408", status(408), true},
		{"429", status(429), true},
		{"500", status(500), true},
		{"502", status(502), true},
		{"503", status(503), true},
		{"connection refused", urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), true},
		{"timeout", urlErr(timeoutError{}), true},
		{"request deadline", urlErr(context.DeadlineExceeded), true},
		{"cancelled", urlErr(context.Canceled), false},
		{"server hung up", urlErr(io.EOF), true},
		{"body cut off", fmt.Errorf("decode: %w", io.ErrUnexpectedEOF), true},
		{"bad scheme", urlErr(errors.New(`unsupported protocol scheme "ftp"`)), false},
		{"malformed JSON", errors.New("invalid character '<' looking for beginning of value"), false},
	}
	for _, tt := range tests {
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%s: %v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestRetryAfterOf(t *testing.T) {
	err := fmt.Errorf("search: %w", &StatusError{Status: 429, RetryAfter: 3 * time.Second})
	if got := RetryAfterOf(err); got != 3*time.Second {
		t.Errorf("RetryAfterOf = %v, want 3s", got)
	}
	if got := RetryAfterOf(io.EOF); got != 0 {
		t.Errorf("RetryAfterOf(EOF) = %v, want 0", got)
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://api.jikan.moe/v4/anime?q=frieren&page=2", "https://api.jikan.moe/v4/anime?q=frieren&page=2"},
		{"https://x.test/cb?code=abc&state=xyz", "https://x.test/cb?code=REDACTED&state=REDACTED"},
		{"https://x.test/?access_token=t&API_KEY=k&refresh_token=r", "https://x.test/?API_KEY=REDACTED&access_token=REDACTED&refresh_token=REDACTED"},
		{"https://user:pass@x.test/path", "https://x.test/path"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := RedactURL(u); got != tt.want {
			t.Errorf("RedactURL(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := RedactURL(nil); got != "" {
		t.Errorf("RedactURL(nil) = %q", got)
	}
}

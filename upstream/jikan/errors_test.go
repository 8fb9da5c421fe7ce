package jikan

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dubbot/upstream/httpx"
)

func TestErrors(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("testdata", "anime_1_full.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		wantIn     []string // parts of the message
		notFound   bool
		retryable  bool
		retryAfter time.Duration
	}{
		{name: "404", status: 404, body: `{"status":404,"type":"BadResponseException","message":"Resource does not exist"}`,
			wantIn: []string{"jikan anime 1: not found on Jikan", "/v4/anime/1/full: HTTP 404", "Resource does not exist"}, notFound: true},
		{name: "500", status: 500, body: `{"status":500,"type":"UpstreamException"}`,
			wantIn: []string{"HTTP 500", "UpstreamException"}, retryable: true},
		{name: "429", status: 429, header: http.Header{"Retry-After": {"3"}}, body: `{"status":429}`,
			wantIn: []string{"HTTP 429"}, retryable: true, retryAfter: 3 * time.Second},
		{name: "400", status: 400, body: `{"status":400,"type":"ValidationException"}`, wantIn: []string{"HTTP 400"}},
		{name: "truncated", status: 200, body: string(full[:len(full)/2]),
			wantIn: []string{"decode http://", "/v4/anime/1/full: truncated JSON after"}, retryable: true},
		{name: "malformed", status: 200, body: `{"data": <html>`, wantIn: []string{"malformed JSON at byte 10"}},
		{name: "trailing data", status: 200, body: string(full) + `{"data":{}}`, wantIn: []string{"data after the JSON document"}},
		{name: "wrong type", status: 200, body: `{"data":{"mal_id":1,"episodes":"26"}}`, wantIn: []string{"episodes"}},
		{name: "null data", status: 200, body: `{"data":null}`, wantIn: []string{"no data object"}},
		{name: "no data", status: 200, body: `{}`, wantIn: []string{"no data object"}},
		{name: "no id", status: 200, body: `{"data":{"title":"x"}}`, wantIn: []string{"data has no mal_id"}},
		{name: "empty", status: 200, body: ``, wantIn: []string{"empty body"}, retryable: true},
		{name: "too large", status: 200, body: `{"data":{"mal_id":1,"synopsis":"` + strings.Repeat("x", maxBody) + `"}}`,
			wantIn: []string{"over 4194304 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			_, err := c.Anime(context.Background(), 1)
			if err == nil {
				t.Fatal("Anime succeeded")
			}
			for _, part := range tt.wantIn {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not contain %q", err, part)
				}
			}
			if got := errors.Is(err, ErrNotFound); got != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v", got, tt.notFound)
			}
			if got := httpx.Retryable(err); got != tt.retryable {
				t.Errorf("Retryable = %v, want %v", got, tt.retryable)
			}
			if got := httpx.RetryAfterOf(err); got != tt.retryAfter {
				t.Errorf("RetryAfterOf = %v, want %v", got, tt.retryAfter)
			}
			if tt.status != 200 {
				if se, ok := errors.AsType[*httpx.StatusError](err); !ok || se.Status != tt.status {
					t.Errorf("error %v is not a StatusError %d", err, tt.status)
				}
			}
		})
	}
}

func TestPageErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"data":[]}`, "no pagination object"},
		{`{"data":[{"mal_id":1},{"title":"x"}],"pagination":{}}`, "data[1] has no mal_id"},
		{`{"data":{},"pagination":{}}`, "cannot unmarshal object"},
	}
	for _, tt := range tests {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(tt.body)) }))
		_, err := c.AnimePage(context.Background(), 2)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "jikan anime page 2: decode") {
			t.Errorf("AnimePage on %s: error %v, want one about %q", tt.body, err, tt.want)
		}
	}
}

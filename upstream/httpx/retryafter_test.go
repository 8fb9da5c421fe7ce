package httpx

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"60", time.Minute, true},
		{" 7 ", 7 * time.Second, true},
		{"0", 0, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999999999999", 0, false},
		{"9223372037", 0, false}, // would overflow a Duration
		{"Mon, 23 Nov 2026 12:02:00 GMT", 2 * time.Minute, true},
		{"Monday, 23-Nov-26 12:00:30 GMT", 30 * time.Second, true}, // RFC 850
		{"Mon Nov 23 12:00:05 2026", 5 * time.Second, true},        // ANSI C
		{"Mon, 23 Nov 2026 11:00:00 GMT", 0, true},                 // already past
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.value != "" {
			h.Set("Retry-After", tt.value)
		}
		got, ok := RetryAfter(h, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.wantOK)
		}
	}
}

// FuzzRetryAfter checks that any header value gives a sane answer.
func FuzzRetryAfter(f *testing.F) {
	for _, seed := range []string{"60", "0", "-5", "Mon, 23 Nov 2026 12:02:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", "1e9", "9223372036854775807"} {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := RetryAfter(http.Header{"Retry-After": {v}}, now)
		if d < 0 {
			t.Fatalf("RetryAfter(%q) = %v, negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("RetryAfter(%q) = %v with ok false", v, d)
		}
	})
}

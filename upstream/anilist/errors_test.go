package anilist

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"60", time.Minute},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"", defaultRetryAfter},
		{"soon", defaultRetryAfter},
		{"-3", defaultRetryAfter},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"9999999999999", maxRetryAfter},
		{now.Add(1000 * time.Hour).Format(http.TimeFormat), maxRetryAfter},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.header, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		status int
		body   string
		msg    string
		unauth bool
	}{
		{400, `{"data":null,"errors":[{"message":"Invalid token","status":400}]}`, "Invalid token", true},
		{401, `{"errors":[{"message":"Unauthorized.","status":401}]}`, "Unauthorized.", true},
		{404, `{"data":{"MediaListCollection":null},"errors":[{"message":"Not Found.","status":404}]}`, "Not Found.", false},
		{403, `<html>blocked</html>`, "", false},
		{500, ``, "", false},
	}
	for _, tt := range tests {
		e := parseErrorBody(tt.status, []byte(tt.body))
		if e.Status != tt.status || e.Message != tt.msg || errors.Is(e, ErrUnauthorized) != tt.unauth {
			t.Errorf("parseErrorBody(%d, %s) = %+v (unauthorized %v), want message %q unauthorized %v",
				tt.status, tt.body, e, errors.Is(e, ErrUnauthorized), tt.msg, tt.unauth)
		}
	}
}

func FuzzParseErrorBody(f *testing.F) {
	f.Add(400, []byte(`{"data":null,"errors":[{"message":"Invalid token","status":400}]}`))
	f.Add(429, []byte(`{"errors":[{"message":"Too Many Requests.","status":429}]}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(404, []byte(`{"errors":[]}`))
	f.Add(500, []byte(`{"errors":[{"message":12}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseErrorBody(status, body)
		if e.Status != status {
			t.Fatalf("status %d became %d", status, e.Status)
		}
		if e.Error() == "" {
			t.Fatal("empty error text")
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"60", "0", "", "x", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, header string) {
		if d := retryAfter(header, now); d < 0 || d > maxRetryAfter {
			t.Fatalf("retryAfter(%q) = %v, negative", header, d)
		}
	})
}

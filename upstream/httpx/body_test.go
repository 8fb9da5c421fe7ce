package httpx

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestReadBody(t *testing.T) {
	tests := []struct {
		body    string
		limit   int64
		wantErr error
	}{
		{"", 10, nil},
		{"0123456789", 10, nil},
		{"0123456789a", 10, ErrBodyTooLarge},
		{strings.Repeat("x", 1000), 999, ErrBodyTooLarge},
	}
	for _, tt := range tests {
		resp := &http.Response{
			Body:    io.NopCloser(strings.NewReader(tt.body)),
			Request: &http.Request{URL: &url.URL{Scheme: "https", Host: "api.jikan.moe", Path: "/v4/anime"}},
		}
		got, err := ReadBody(resp, tt.limit)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("ReadBody(%d bytes, %d) error = %v, want %v", len(tt.body), tt.limit, err, tt.wantErr)
			continue
		}
		if err != nil {
			if !strings.Contains(err.Error(), "https://api.jikan.moe/v4/anime") {
				t.Errorf("error %q does not name the URL", err)
			}
			continue
		}
		if string(got) != tt.body {
			t.Errorf("ReadBody = %q, want %q", got, tt.body)
		}
	}
}

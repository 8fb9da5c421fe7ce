package dubinfo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"dubbot/upstream/dubinfo"
	"dubbot/upstream/dubinfo/dubinfotest"
	"dubbot/upstream/httpx"
)

func TestFetchConditional(t *testing.T) {
	srv := dubinfotest.New()
	defer srv.Close()
	srv.SetBody(dubinfotest.RenderIDs([]int{1, 5}, []int{8}))
	f := dubinfo.NewFetcher(srv.Client())
	ctx := context.Background()

	body, v, notModified, err := f.Fetch(ctx, srv.URL(), dubinfo.Validators{})
	if err != nil || notModified {
		t.Fatalf("first fetch: notModified=%v err=%v", notModified, err)
	}
	if v.ETag == "" || v.LastModified == "" {
		t.Errorf("validators not captured: %+v", v)
	}
	l, err := dubinfo.Parse(body)
	if err != nil || !slices.Equal(l.Dubbed(), []int{1, 5}) || !slices.Equal(l.Incomplete(), []int{8}) {
		t.Fatalf("parsed body: %v, %v / %v", err, l.Dubbed(), l.Incomplete())
	}

	body, v2, notModified, err := f.Fetch(ctx, srv.URL(), v)
	if err != nil || !notModified || body != nil || v2 != v {
		t.Fatalf("unchanged fetch: body=%q v=%+v notModified=%v err=%v", body, v2, notModified, err)
	}

	srv.SetBody(dubinfotest.RenderIDs([]int{1, 5, 6}, []int{8}))
	body, v3, notModified, err := f.Fetch(ctx, srv.URL(), v)
	if err != nil || notModified || len(body) == 0 || v3.ETag == v.ETag {
		t.Fatalf("changed fetch: v=%+v notModified=%v err=%v", v3, notModified, err)
	}
	if got, want := srv.Requests(), 3; got != want {
		t.Errorf("requests = %d, want %d", got, want)
	}
	if got := srv.NotModified(); got != 1 {
		t.Errorf("304s = %d, want 1", got)
	}
}

func TestFetchSendsValidators(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	prev := dubinfo.Validators{ETag: `"abc"`, LastModified: "Thu, 20 Aug 2026 17:06:07 GMT"}
	_, v, notModified, err := dubinfo.NewFetcher(srv.Client()).Fetch(context.Background(), srv.URL, prev)
	if err != nil || !notModified || v != prev {
		t.Fatalf("Fetch: v=%+v notModified=%v err=%v", v, notModified, err)
	}
	if got.Get("If-None-Match") != prev.ETag || got.Get("If-Modified-Since") != prev.LastModified {
		t.Errorf("request headers = %v", got)
	}
	if got.Get("User-Agent") == "" || strings.HasPrefix(got.Get("User-Agent"), "Go-http-client") {
		t.Errorf("User-Agent = %q", got.Get("User-Agent"))
	}
}

func TestFetchErrors(t *testing.T) {
	srv := dubinfotest.New()
	defer srv.Close()
	big := dubinfotest.RenderIDs(seq(2000), nil)
	tests := []struct {
		name   string
		setup  func()
		url    string
		want   string
		status int
	}{
		{"server error", func() { srv.SetStatus(http.StatusInternalServerError) }, srv.URL(),
			"fetch dubInfo: " + srv.URL() + ": HTTP 500 Internal Server Error", 500},
		{"rate limited", func() { srv.SetStatus(http.StatusTooManyRequests) }, srv.URL(),
			"HTTP 429", 429},
		{"not found", func() { srv.SetStatus(0) }, srv.URL() + ".missing", "HTTP 404", 404},
		{"too big", func() { srv.SetBody(big) }, srv.URL(), "over 1024 bytes: body too large", 0},
		{"bad url", func() {}, "://nope", "fetch dubInfo from ://nope", 0},
	}
	f := dubinfo.NewFetcher(srv.Client())
	f.MaxBody = 1024
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup()
			prev := dubinfo.Validators{ETag: `"old"`}
			body, v, _, err := f.Fetch(context.Background(), tt.url, prev)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if body != nil || v != prev {
				t.Errorf("on error got body %d bytes, validators %+v; want nil and prev", len(body), v)
			}
			se, ok := errors.AsType[*httpx.StatusError](err)
			if tt.status != 0 && (!ok || se.Status != tt.status) {
				t.Errorf("StatusError = %v, want code %d", se, tt.status)
			}
			if retry := tt.status == 500 || tt.status == 429; httpx.Retryable(err) != retry {
				t.Errorf("Retryable = %v, want %v", !retry, retry)
			}
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	f := dubinfo.NewFetcher(srv.Client())
	f.Timeout = 50 * time.Millisecond
	_, _, _, err := f.Fetch(context.Background(), srv.URL, dubinfo.Validators{})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), srv.URL) {
		t.Fatalf("err = %v, want a deadline error naming the URL", err)
	}
}

func seq(n int) []int {
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i + 1
	}
	return ids
}

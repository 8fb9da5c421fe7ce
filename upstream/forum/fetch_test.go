package forum_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"dubbot/upstream/forum"
	"dubbot/upstream/forum/forumtest"
)

func TestFetch(t *testing.T) {
	page, err := os.ReadFile("testdata/topic.html")
	if err != nil {
		t.Fatal(err)
	}
	srv := forumtest.New()
	defer srv.Close()
	srv.SetPage(string(page))

	s, err := forum.Fetch(context.Background(), srv.Client(), srv.URL())
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if len(s.Shows) != 13 || s.Shows[0].MALID != 60001 {
		t.Errorf("got %d shows, first %+v", len(s.Shows), s.Shows[0])
	}
	if ua := srv.UserAgent(); !strings.HasPrefix(ua, "Mozilla/5.0") {
		t.Errorf("User-Agent = %q, want a browser-like one", ua)
	}
	if srv.Requests() != 1 {
		t.Errorf("requests = %d, want 1", srv.Requests())
	}
}

func TestFetchErrors(t *testing.T) {
	srv := forumtest.New()
	defer srv.Close()
	tests := []struct {
		name   string
		setup  func()
		url    string
		want   string
		noShow bool
	}{
		{"blocked", func() { srv.SetStatus(http.StatusForbidden) }, srv.URL(),
			"fetch forum page: " + srv.URL() + ": HTTP 403 Forbidden", false},
		{"no page yet", func() { srv.SetStatus(0) }, srv.URL(), "HTTP 404", false},
		{"layout changed", func() { srv.SetPage("<html><body>Maintenance</body></html>") }, srv.URL(),
			"read forum page " + srv.URL() + ": forum page lists no airing dubs", true},
		{"too big", func() { srv.SetPage(strings.Repeat("x", 5<<20+1)) }, srv.URL(), "body too large", false},
		{"bad url", func() {}, "::", `fetch forum page: parse "::": missing protocol scheme`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup()
			s, err := forum.Fetch(context.Background(), srv.Client(), tt.url)
			if err == nil || s != nil {
				t.Fatalf("Fetch = %v, %v; want an error", s, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if errors.Is(err, forum.ErrNoShows) != tt.noShow {
				t.Errorf("errors.Is(err, ErrNoShows) = %v", !tt.noShow)
			}
		})
	}
}

func TestFetchHonoursContext(t *testing.T) {
	srv := forumtest.New()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	_, err := forum.Fetch(ctx, srv.Client(), srv.URL())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

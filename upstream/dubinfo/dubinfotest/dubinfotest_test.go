package dubinfotest

import (
	"io"
	"net/http"
	"slices"
	"testing"

	"dubbot/upstream/dubinfo"
)

func TestRenderLayout(t *testing.T) {
	got := string(RenderIDs([]int{5, 1}, []int{8}))
	want := `{
  "_license": "Test fixture written for dubbot; not MAL-Dubs data.",
  "_origin": "https://example.invalid/dubbot-test",
  "dubbed": [
    1,
    5
  ],
  "incomplete": [
    8
  ]
}
`
	if got != want {
		t.Errorf("Render =\n%s\nwant\n%s", got, want)
	}
}

func TestRenderRoundTrip(t *testing.T) {
	for _, ids := range [][2][]int{{{1, 2, 3}, nil}, {{40, 7}, {7, 9}}} {
		l, err := dubinfo.Parse(RenderIDs(ids[0], ids[1]))
		if err != nil {
			t.Fatalf("Parse(Render(%v)): %v", ids, err)
		}
		want := dubinfo.New(ids[0], ids[1])
		if !slices.Equal(l.Dubbed(), want.Dubbed()) || !slices.Equal(l.Incomplete(), want.Incomplete()) {
			t.Errorf("round trip of %v = %v / %v", ids, l.Dubbed(), l.Incomplete())
		}
	}
}

func TestServerConditional(t *testing.T) {
	s := New()
	defer s.Close()
	get := func(header, value string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.URL(), nil)
		if header != "" {
			req.Header.Set(header, value)
		}
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get("", ""); code != http.StatusNotFound {
		t.Errorf("before SetBody: %d, want 404", code)
	}
	s.SetBody([]byte(`{"dubbed":[1]}`))
	resp, err := s.Client().Get(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if code, body := get("If-None-Match", etag); code != http.StatusNotModified || body != "" {
		t.Errorf("If-None-Match current: %d %q, want 304", code, body)
	}
	if code, _ := get("If-Modified-Since", modified); code != http.StatusNotModified {
		t.Errorf("If-Modified-Since current: %d, want 304", code)
	}
	s.SetBody([]byte(`{"dubbed":[1,2]}`))
	if code, body := get("If-None-Match", etag); code != http.StatusOK || body != `{"dubbed":[1,2]}` {
		t.Errorf("If-None-Match stale: %d %q, want 200 and the new body", code, body)
	}
	if code, _ := get("If-Modified-Since", modified); code != http.StatusOK {
		t.Errorf("If-Modified-Since stale: %d, want 200", code)
	}
	s.SetStatus(http.StatusBadGateway)
	if code, _ := get("", ""); code != http.StatusBadGateway {
		t.Errorf("forced status: %d", code)
	}
	if s.Requests() != 7 || s.NotModified() != 2 {
		t.Errorf("requests %d, 304s %d; want 7 and 2", s.Requests(), s.NotModified())
	}
}

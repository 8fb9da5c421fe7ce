package link

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dubbot/upstream/mal/maltest"
)

// FuzzHandler sends whatever query a browser (or an attacker) might to the
// callback and re-link routes: without a state or ticket the service handed
// out, the answer is always an HTML error page, and nothing is linked or
// exchanged.
func FuzzHandler(f *testing.F) {
	seeds := []string{
		"", "state=forged&code=mal-code-1", "code=mal-code-1", "state=" + strings.Repeat("a", 300),
		"error=access_denied&state=x", "%zz&state=%", "state=<script>alert(1)</script>&code=x",
		"ticket=abc", "ticket=&state=&code=", "state=a&state=b&code=c",
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	e := newEnv(f)
	h := e.svc.Handler()
	f.Fuzz(func(t *testing.T, rawQuery string, start bool) {
		path := "/oauth/mal/callback"
		if start {
			path = "/oauth/mal/start"
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.URL.RawQuery = rawQuery
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusBadRequest {
			t.Errorf("HTTP %d for %q, want 400", w.Code, rawQuery)
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type %q", ct)
		}
		if !strings.Contains(w.Body.String(), "Nothing was changed") {
			t.Errorf("page does not say nothing changed:\n%s", w.Body.String())
		}
		if strings.Contains(rawQuery, "<") && strings.Contains(w.Body.String(), "<script>") {
			t.Errorf("page echoes markup from the query")
		}
		if n := e.linkCount(t); n != 0 {
			t.Errorf("%d links stored", n)
		}
		if n := e.mal.Count(maltest.Token); n != 0 {
			t.Errorf("%d token requests", n)
		}
	})
}

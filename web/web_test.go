package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestControlAPIAnswersLoopbackOnly(t *testing.T) {
	h := Handler(Routes{Control: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ran")) })})
	for addr, want := range map[string]int{"127.0.0.1:5000": 200, "[::1]:5000": 200, "10.1.2.3:5000": 403, "203.0.113.9:80": 403, "garbage": 403} {
		req := httptest.NewRequest("POST", "/local/run", nil)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("from %s: %d, want %d", addr, rec.Code, want)
		}
	}
}

func TestHealthzStatusFollowsHealth(t *testing.T) {
	for _, ok := range []bool{true, false} {
		h := Handler(Routes{Health: func(context.Context) Health { return Health{OK: ok, Store: "ok"} }})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		want := http.StatusOK
		if !ok {
			want = http.StatusServiceUnavailable
		}
		if rec.Code != want || !strings.Contains(rec.Body.String(), `"store":"ok"`) {
			t.Errorf("ok=%v: %d %s", ok, rec.Code, rec.Body.String())
		}
	}
}

func TestUnconfiguredRoutesAre404(t *testing.T) {
	h := Handler(Routes{})
	for _, path := range []string{"/interactions", "/oauth/mal/callback", "/metrics"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", path, rec.Code)
		}
	}
}

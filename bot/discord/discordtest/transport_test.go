package discordtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRewriteTransport(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Host+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery)
	}))
	t.Cleanup(echo.Close)
	host := strings.TrimPrefix(echo.URL, "http://")
	tests := []struct {
		name, base, url, want string
	}{
		{"v9 to v10", echo.URL + "/api/v10", "https://discord.com/api/v9/users/@me", host + " /api/v10/users/@me?"},
		{"query kept", echo.URL + "/api/v10/", "https://discord.com/api/v9/webhooks/1/t?wait=true", host + " /api/v10/webhooks/1/t?wait=true"},
		{"escapes kept", echo.URL + "/api/v10", "https://discord.com/api/v9/channels/1/messages/2/reactions/%F0%9F%91%8D/@me", host + " /api/v10/channels/1/messages/2/reactions/%F0%9F%91%8D/@me?"},
		{"bare base", echo.URL, "https://discord.com/api/v10/gateway", host + " /gateway?"},
		{"other hosts untouched", "http://127.0.0.1:1/api/v10", echo.URL + "/api/v9/users/@me", host + " /api/v9/users/@me?"},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest("GET", tc.url, nil)
		before := req.URL.String()
		resp, err := (&http.Client{Transport: RewriteTransport(tc.base)}).Do(req)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != tc.want {
			t.Errorf("%s: server saw %q, want %q", tc.name, body, tc.want)
		}
		if req.URL.String() != before {
			t.Errorf("%s: caller's request was changed to %s", tc.name, req.URL)
		}
	}
}

func TestRewriteTransportBadBase(t *testing.T) {
	for _, base := range []string{"", "not a url", "127.0.0.1:80/api", "http://[::1"} {
		req, _ := http.NewRequest("GET", "https://discord.com/api/v9/users/@me", nil)
		resp, err := RewriteTransport(base).RoundTrip(req)
		if err == nil {
			resp.Body.Close()
			t.Errorf("base %q: want an error", base)
		}
	}
}

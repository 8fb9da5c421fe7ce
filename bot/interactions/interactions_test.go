package interactions

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"dubbot/bot"
)

type signer struct {
	priv ed25519.PrivateKey
	url  string
}

func setup(t *testing.T) (*signer, *Handler) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	router, err := bot.NewRouter(nil, bot.RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{PublicKey: pub, Router: router, Log: slog.New(slog.DiscardHandler)}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &signer{priv: priv, url: srv.URL}, h
}

// post sends body signed at ts; mutate may tamper with the request after
// signing.
func (s *signer) post(t *testing.T, body string, ts time.Time, mutate func(*http.Request)) (int, string) {
	t.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(s.priv, []byte(stamp+body))
	req, _ := http.NewRequest("POST", s.url, strings.NewReader(body))
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", stamp)
	if mutate != nil {
		mutate(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(raw))
}

const ping = `{"id":"1","application_id":"2","type":1,"token":"t","version":1}`

func TestPingIsAnsweredWithPong(t *testing.T) {
	s, _ := setup(t)
	code, body := s.post(t, ping, time.Now(), nil)
	if code != 200 || body != `{"type":1}` {
		t.Fatalf("PING → %d %s", code, body)
	}
}

func TestBadRequestsAre401(t *testing.T) {
	s, _ := setup(t)
	cases := map[string]struct {
		ts     time.Time
		mutate func(*http.Request)
	}{
		"tampered body": {time.Now(), func(r *http.Request) {
			tampered := strings.Replace(ping, `"t"`, `"x"`, 1)
			r.Body = io.NopCloser(strings.NewReader(tampered))
			r.ContentLength = int64(len(tampered))
		}},
		"missing signature": {time.Now(), func(r *http.Request) { r.Header.Del("X-Signature-Ed25519") }},
		"missing timestamp": {time.Now(), func(r *http.Request) { r.Header.Del("X-Signature-Timestamp") }},
		"garbage signature": {time.Now(), func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", "zz") }},
		"stale timestamp":   {time.Now().Add(-6 * time.Minute), nil},
		"future timestamp":  {time.Now().Add(6 * time.Minute), nil},
	}
	for name, c := range cases {
		if code, body := s.post(t, ping, c.ts, c.mutate); code != http.StatusUnauthorized {
			t.Errorf("%s: got %d %s, want 401", name, code, body)
		}
	}
}

func TestCommandIsAnsweredInline(t *testing.T) {
	s, _ := setup(t)
	help := `{"id":"5","application_id":"2","type":2,"token":"tok","guild_id":"9","channel_id":"8",
		"member":{"user":{"id":"7","username":"ann"},"permissions":"0"},
		"data":{"id":"3","name":"help","type":1}}`
	code, body := s.post(t, help, time.Now(), nil)
	if code != 200 {
		t.Fatalf("help → %d %s", code, body)
	}
	var got bot.InteractionResponse
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != bot.ResponseMessage || len(got.Data.Embeds) != 1 || !strings.Contains(got.Data.Embeds[0].Description, "/help") {
		t.Fatalf("help answer = %s", body)
	}
}

func TestWrongMethodAndOversizedBody(t *testing.T) {
	s, _ := setup(t)
	resp, err := http.Get(s.url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET → %d", resp.StatusCode)
	}
	big := bytes.Repeat([]byte("a"), maxBody+10)
	resp, err = http.Post(s.url, "application/json", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("oversized → %d", resp.StatusCode)
	}
}

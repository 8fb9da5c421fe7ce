package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dubbot/bot/discord/discordtest"
)

// testEnv is the environment for an in-process dubbot: a data dir of its
// own, a free port, and no real upstream anywhere.
func testEnv(t *testing.T, extra map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{
		"DUBBOT_DATA_DIR":    t.TempDir(),
		"DUBBOT_HTTP_ADDR":   "127.0.0.1:0",
		"DUBBOT_LOG_LEVEL":   "warn",
		"DUBBOT_DUBINFO_URL": "http://127.0.0.1:1/dubinfo.json",
		"DUBBOT_AIRING_URL":  "http://127.0.0.1:1/forum",
		"JIKAN_API_URL":      "http://127.0.0.1:1/v4",
		"MAL_API_URL":        "http://127.0.0.1:1/v2",
		"ANILIST_API_URL":    "http://127.0.0.1:1/graphql",
		"DISCORD_API_URL":    "http://127.0.0.1:1/api/v10",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// syncBuffer is a bytes.Buffer safe to write from the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startBot runs `dubbot run` in-process until the test ends.
func startBot(t *testing.T, env map[string]string) *syncBuffer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"run"}, func(k string) string { return env[k] }, strings.NewReader(""), logs, logs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("dubbot run exited %d; logs:\n%s", code, logs.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("dubbot run did not shut down")
		}
	})
	return logs
}

func TestHelpThroughTheFakeDiscord(t *testing.T) {
	fake := discordtest.New()
	t.Cleanup(fake.Close) // after the bot stops: cleanups run last-in, first-out
	env := testEnv(t, map[string]string{
		"DISCORD_TOKEN":   fake.BotToken,
		"DISCORD_API_URL": fake.APIURL(),
	})
	logs := startBot(t, env)
	if err := fake.WaitConnected(10 * time.Second); err != nil {
		t.Fatalf("bot did not connect: %v\n%s", err, logs.String())
	}
	payload := fake.SlashCommand(discordtest.Command{Name: "help"})
	id, _ := discordtest.InteractionIDs(payload)
	if err := fake.DispatchInteraction(payload); err != nil {
		t.Fatal(err)
	}
	cb, err := fake.WaitCallback(id, 5*time.Second)
	if err != nil {
		t.Fatalf("no callback: %v\n%s", err, logs.String())
	}
	var data struct {
		Flags  int `json:"flags"`
		Embeds []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"embeds"`
	}
	if err := cb.Data.Decode(&data); err != nil {
		t.Fatal(err)
	}
	if cb.Type != 4 || data.Flags != 64 || len(data.Embeds) != 1 || !strings.Contains(data.Embeds[0].Description, "/dub") {
		t.Fatalf("callback = type %d %s", cb.Type, cb.Data)
	}
}

func TestAskHelpWithNoConfiguration(t *testing.T) {
	t.Chdir(t.TempDir())
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	if code := Main(context.Background(), []string{"ask", "/help"}, getenv, nil, &out, &errOut); code != 0 {
		t.Fatalf("ask /help exited %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "/dub") || !strings.Contains(out.String(), "/help") {
		t.Errorf("ask /help printed:\n%s", out.String())
	}
	out.Reset()
	if code := Main(context.Background(), []string{"ask", "--json", "/help"}, getenv, nil, &out, &errOut); code != 0 {
		t.Fatalf("ask --json /help exited %d: %s", code, errOut.String())
	}
	var payload struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(out.Bytes(), &payload); err != nil || payload.Type != 4 {
		t.Fatalf("ask --json printed %s (%v)", out.String(), err)
	}
}

func TestBadSettingStopsStartup(t *testing.T) {
	var out, errOut bytes.Buffer
	env := map[string]string{"DUBBOT_HTTP_ADDR": "nonsense", "DUBBOT_DATA_DIR": t.TempDir()}
	code := Main(context.Background(), []string{"run"}, func(k string) string { return env[k] }, nil, &out, &errOut)
	if code == 0 || !strings.Contains(errOut.String(), "DUBBOT_HTTP_ADDR") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}

// freeAddr finds a loopback port no one listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// While a bot holds the store, operator commands go through its control
// API and still answer, rather than failing on the file lock.
func TestOperatorCommandsReachTheRunningBot(t *testing.T) {
	addr := freeAddr(t)
	env := testEnv(t, map[string]string{"DUBBOT_HTTP_ADDR": addr})
	logs := startBot(t, env)
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("bot never served /healthz: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	out, errOut, code := run(t, env, "ask", "/help")
	if code != 0 || !strings.Contains(out, "/dub") {
		t.Fatalf("ask through the bot: exit %d\n%s%s", code, out, errOut)
	}
	// Without the token from the data directory, or through a proxy, the
	// control API refuses.
	token, _ := os.ReadFile(filepath.Join(env["DUBBOT_DATA_DIR"], controlTokenFile))
	for name, header := range map[string]http.Header{
		"no token":    {"Content-Type": {"application/json"}},
		"wrong token": {"Content-Type": {"application/json"}, "Authorization": {"Bearer nope"}},
		"form post":   {"Content-Type": {"text/plain"}, "Authorization": {"Bearer " + string(token)}},
		"via a proxy": {"Content-Type": {"application/json"}, "Authorization": {"Bearer " + string(token)}, "X-Forwarded-For": {"203.0.113.7"}},
	} {
		req, _ := http.NewRequest("POST", "http://"+addr+"/local/run", strings.NewReader(`{"command":"queue","args":["clear"]}`))
		req.Header = header
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: control API answered %d, want 403", name, resp.StatusCode)
		}
	}
	out, errOut, code = run(t, env, "queue", "pause")
	if code != 0 || !strings.Contains(out, "queue paused") {
		t.Fatalf("queue pause through the bot: exit %d\n%s%s", code, out, errOut)
	}
	var consoleOut bytes.Buffer
	code = Main(context.Background(), []string{"console"}, func(k string) string { return env[k] }, strings.NewReader("/help\nquit\n"), &consoleOut, &consoleOut)
	if code != 0 || !strings.Contains(consoleOut.String(), "dubbot commands") {
		t.Fatalf("console through the bot: exit %d\n%s", code, consoleOut.String())
	}
	out, _, code = run(t, env, "healthcheck")
	if code != 0 || !strings.Contains(out, `"ok":true`) {
		t.Fatalf("healthcheck: exit %d %s", code, out)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// One /help from ask, one from the console.
	if !strings.Contains(string(body), `dubbot_interactions_total{command="help",outcome="ok"} 2`) {
		t.Errorf("/metrics does not count the two forwarded /help:\n%s", body)
	}
}

func TestNoSubcommandWithoutTokenStartsTheConsole(t *testing.T) {
	env := testEnv(t, nil)
	var out, errOut bytes.Buffer
	code := Main(context.Background(), nil, func(k string) string { return env[k] }, strings.NewReader("/help\n/dub\nquit\n"), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "DISCORD_TOKEN is not set") {
		t.Errorf("no reason given on stderr: %q", errOut.String())
	}
	for _, want := range []string{"dubbot commands", "/dub needs title:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("console output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRegisterOverwritesCommandsAtTheFake(t *testing.T) {
	fake := discordtest.New()
	t.Cleanup(fake.Close) // after the bot stops: cleanups run last-in, first-out
	env := testEnv(t, map[string]string{"DISCORD_TOKEN": fake.BotToken, "DISCORD_API_URL": fake.APIURL()})
	out, errOut, code := run(t, env, "register", "--guild", discordtest.DefaultGuildID)
	if code != 0 {
		t.Fatalf("register: exit %d\n%s%s", code, out, errOut)
	}
	overwrites := fake.CommandOverwrites()
	if len(overwrites) != 1 {
		t.Fatalf("overwrites = %+v", overwrites)
	}
	var names []string
	var cmds []struct {
		Name string `json:"name"`
	}
	if err := overwrites[0].Commands.Decode(&cmds); err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	got := strings.Join(names, " ")
	for _, want := range []string{"dub", "search", "airing", "queue", "help"} {
		if !strings.Contains(got, want) {
			t.Errorf("registered %q, missing %s", got, want)
		}
	}
	if !strings.Contains(out, fmt.Sprintf("registered %d commands in server", len(cmds))) {
		t.Errorf("register printed %q", out)
	}
}

func TestFlagsMayComeBeforeTheSubcommand(t *testing.T) {
	dir := t.TempDir()
	env := func(string) string { return "" }
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"--data-dir", dir, "queue", "pause"}, env, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	out.Reset()
	// The pause is stored: a later process sees it.
	if code := Main(context.Background(), []string{"queue", "status", "--data-dir=" + dir}, env, nil, &out, &errOut); code != 0 || !strings.Contains(out.String(), "queue paused") {
		t.Fatalf("status after pause: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := Main(context.Background(), []string{"--help"}, env, nil, &out, &errOut); code != 0 || !strings.Contains(out.String(), "Usage:") {
		t.Errorf("--help: exit %d, %q", code, out.String())
	}
}

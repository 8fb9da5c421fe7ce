package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dubbot/config"
)

// controlRequest asks a running bot to run an operator subcommand.
type controlRequest struct {
	Command string   `json:"command"`
	Args    []string `json:"args"`
}

// controlResponse is what the subcommand printed and its exit code.
type controlResponse struct {
	Code   int    `json:"code"`
	Stdout string `json:"stdout"`
	Stderr string `json:"stderr"`
}

// operatorCommands run on the store directly, or through a running bot.
var operatorCommands = map[string]bool{"ask": true, "refresh": true, "queue": true, "register": true}

// controlTokenFile holds the secret a CLI on this machine sends to the
// running bot. Loopback alone is not proof enough: behind a reverse proxy
// on the same host, every request comes from 127.0.0.1.
const controlTokenFile = "control.token"

// writeControlToken makes a fresh token for this run, readable only by the
// bot's user.
func writeControlToken(dir string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("make control token: %w", err)
	}
	token := hex.EncodeToString(raw)
	path := filepath.Join(dir, controlTokenFile)
	if err := os.WriteFile(path, []byte(token), 0o600); err != nil {
		return "", fmt.Errorf("write control token %s: %w", path, err)
	}
	return token, nil
}

// controlHandler serves /local/run for the CLI. web mounts it for loopback
// clients only; it also wants the run's token, JSON, and no proxy headers.
func (a *App) controlHandler(token string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /local/run", func(w http.ResponseWriter, r *http.Request) {
		if !controlAllowed(r, token) {
			http.Error(w, "the control API wants the token from the data directory", http.StatusForbidden)
			return
		}
		var req controlRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
			http.Error(w, "bad control request: "+err.Error(), http.StatusBadRequest)
			return
		}
		if !operatorCommands[req.Command] {
			http.Error(w, "unknown command "+req.Command, http.StatusBadRequest)
			return
		}
		var stdout, stderr bytes.Buffer
		code := a.operate(r.Context(), req.Command, req.Args, &stdout, &stderr)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(controlResponse{Code: code, Stdout: stdout.String(), Stderr: stderr.String()})
	})
	return mux
}

func controlAllowed(r *http.Request, token string) bool {
	if r.Header.Get("Forwarded") != "" || r.Header.Get("X-Forwarded-For") != "" {
		return false // came through a proxy
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return false // a browser form cannot send this without CORS
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// forward runs an operator subcommand in the bot that holds the store.
func forward(ctx context.Context, cfg *config.Config, name string, args []string, stdout, stderr io.Writer) int {
	url := "http://" + loopbackAddr(cfg.HTTPAddr) + "/local/run"
	token, err := os.ReadFile(filepath.Join(cfg.DataDir, controlTokenFile))
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "dubbot: another dubbot command (such as `queue drain`) is using %s; try again when it has finished\n", cfg.DataDir)
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(stderr, "dubbot: the store is in use by a running dubbot, but its control token is unreadable (%v); run this as the bot's user\n", err)
		return exitFail
	}
	body, _ := json.Marshal(controlRequest{Command: name, Args: args})
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(stderr, "dubbot:", err)
		return exitFail
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "dubbot: the store is in use by a running dubbot, and its control API at %s did not answer (%v). Is DUBBOT_HTTP_ADDR the same as the bot's?\n", url, err)
		return exitFail
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		fmt.Fprintf(stderr, "dubbot: the running bot refused the command: %s %s\n", resp.Status, bytes.TrimSpace(msg))
		return exitFail
	}
	var out controlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		fmt.Fprintln(stderr, "dubbot: unreadable answer from the running bot:", err)
		return exitFail
	}
	io.WriteString(stdout, out.Stdout)
	io.WriteString(stderr, out.Stderr)
	return out.Code
}

// loopbackAddr turns a listen address (":8080", "0.0.0.0:8080") into one to
// dial on this machine.
func loopbackAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// healthcheck asks the running bot's /healthz, for container health checks
// in images without curl.
func healthcheck(ctx context.Context, env *Env, args []string) int {
	overrides, _, err := splitCommon(args)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot healthcheck:", err)
		return exitUsage
	}
	cfg, _, err := loadConfig(env, overrides)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot:", err)
		return exitFail
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+loopbackAddr(cfg.HTTPAddr)+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot healthcheck:", err)
		return exitFail
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintln(env.Stdout, string(bytes.TrimSpace(body)))
	if resp.StatusCode != http.StatusOK {
		return exitFail
	}
	return exitOK
}

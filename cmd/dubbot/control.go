package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
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

// controlHandler serves /local/run for the CLI. web mounts it for loopback
// clients only.
func (a *App) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /local/run", func(w http.ResponseWriter, r *http.Request) {
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

// forward runs an operator subcommand in the bot that holds the store.
func forward(ctx context.Context, httpAddr, name string, args []string, stdout, stderr io.Writer) int {
	url := "http://" + loopbackAddr(httpAddr) + "/local/run"
	body, _ := json.Marshal(controlRequest{Command: name, Args: args})
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(stderr, "dubbot:", err)
		return exitFail
	}
	req.Header.Set("Content-Type", "application/json")
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

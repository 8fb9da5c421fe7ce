// Package web runs dubbot's one HTTP server: health and metrics for
// operators, the Discord interactions endpoint, OAuth callbacks, and the
// loopback-only control API the CLI uses while the bot runs.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Routes are the handlers the server mounts; nil ones are left out.
type Routes struct {
	Health       func(ctx context.Context) Health
	Metrics      http.Handler
	Interactions http.Handler
	OAuth        http.Handler // serves /oauth/...
	// Control serves /local/...; only loopback clients reach it, since it
	// can run any command as any user.
	Control http.Handler
}

// Health is the /healthz answer.
type Health struct {
	OK    bool               `json:"ok"`
	Store string             `json:"store"`
	Jobs  map[string]JobInfo `json:"jobs,omitempty"`
}

// JobInfo is a job's last run.
type JobInfo struct {
	LastRun  time.Time `json:"last_run"`
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"`
	Duration string    `json:"duration,omitempty"`
}

// Handler builds the server's mux.
func Handler(r Routes) http.Handler {
	mux := http.NewServeMux()
	if r.Health != nil {
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, req *http.Request) {
			h := r.Health(req.Context())
			w.Header().Set("Content-Type", "application/json")
			if !h.OK {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
			json.NewEncoder(w).Encode(h)
		})
	}
	if r.Metrics != nil {
		mux.Handle("GET /metrics", r.Metrics)
	}
	if r.Interactions != nil {
		mux.Handle("/interactions", r.Interactions)
	}
	if r.OAuth != nil {
		mux.Handle("/oauth/", r.OAuth)
	}
	if r.Control != nil {
		mux.Handle("/local/", loopbackOnly(r.Control))
	}
	return mux
}

func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		ip := net.ParseIP(host)
		if err != nil || ip == nil || !ip.IsLoopback() {
			http.Error(w, "the control API answers loopback clients only", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Server is a running HTTP server.
type Server struct {
	srv  *http.Server
	ln   net.Listener
	done chan error
}

// Listen binds addr and serves h in the background.
func Listen(addr string, h http.Handler, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (DUBBOT_HTTP_ADDR): %w", addr, err)
	}
	s := &Server{
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		ln:   ln,
		done: make(chan error, 1),
	}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return s, nil
}

// Addr is the address actually bound (useful with port 0).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Shutdown stops taking requests and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		return err
	}
	return <-s.done
}

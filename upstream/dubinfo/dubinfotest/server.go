// Package dubinfotest fakes the raw GitHub file server that publishes
// dubInfo.json, for tests of code that downloads it.
package dubinfotest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Path is where the fake serves the file, mirroring the upstream layout.
const Path = "/MAL-Dubs/MAL-Dubs/main/data/dubInfo.json"

// Server is a loopback HTTP server serving one swappable dubInfo.json with an
// ETag and Last-Modified, answering conditional requests with 304 as GitHub
// does. It answers 404 until SetBody is called.
type Server struct {
	srv *httptest.Server

	mu          sync.Mutex
	body        []byte
	etag        string
	modified    time.Time
	status      int // forced status; 0 serves the body
	requests    int
	notModified int
}

// New starts a Server; Close it when done.
func New() *Server {
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the address of the file on the fake.
func (s *Server) URL() string { return s.srv.URL + Path }

// Client returns an HTTP client for the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// SetBody replaces the served file. The ETag changes with the content, and
// Last-Modified moves on by a second per change so that If-Modified-Since
// tells copies apart.
func (s *Server) SetBody(body []byte) {
	sum := sha256.Sum256(body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body = bytes.Clone(body)
	s.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
	if s.modified.IsZero() {
		s.modified = time.Date(2026, 8, 20, 17, 6, 7, 0, time.UTC)
	}
	s.modified = s.modified.Add(time.Second)
}

// SetStatus makes every request answer code with no body (such as 500 or
// 429); 0 goes back to serving the file.
func (s *Server) SetStatus(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = code
}

// Requests is how many requests the server has received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// NotModified is how many requests were answered 304 Not Modified.
func (s *Server) NotModified() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notModified
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	body, etag, modified, status := s.body, s.etag, s.modified, s.status
	s.mu.Unlock()

	switch {
	case status != 0:
		http.Error(w, http.StatusText(status), status)
		return
	case r.URL.Path != Path || body == nil:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "max-age=300")
	rec := &statusRecorder{ResponseWriter: w}
	// ServeContent implements If-None-Match and If-Modified-Since by the RFC.
	http.ServeContent(rec, r, "dubInfo.json", modified, bytes.NewReader(body))
	if rec.status == http.StatusNotModified {
		s.mu.Lock()
		s.notModified++
		s.mu.Unlock()
	}
}

// statusRecorder notes the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader notes code and passes it on.
func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

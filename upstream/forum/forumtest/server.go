// Package forumtest fakes the MyAnimeList forum topic page for tests of code
// that reads the airing dub schedule.
package forumtest

import (
	"net/http"
	"net/http/httptest"
	"sync"
)

// Path is the page's path and query on the fake, as on MyAnimeList.
const Path = "/forum/?topicid=1692966"

// Server is a loopback HTTP server serving one swappable forum page. It
// answers 404 until SetPage is called.
type Server struct {
	srv *httptest.Server

	mu        sync.Mutex
	page      string
	hasPage   bool
	status    int
	requests  int
	userAgent string
}

// New starts a Server; Close it when done.
func New() *Server {
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the address of the topic page on the fake.
func (s *Server) URL() string { return s.srv.URL + Path }

// Client returns an HTTP client for the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// SetPage replaces the served HTML.
func (s *Server) SetPage(html string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.page, s.hasPage = html, true
}

// SetStatus makes every request answer code (such as 403 or 503); 0 goes
// back to serving the page.
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

// UserAgent is the User-Agent of the last request.
func (s *Server) UserAgent() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userAgent
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.userAgent = r.UserAgent()
	page, hasPage, status := s.page, s.hasPage, s.status
	s.mu.Unlock()

	switch {
	case status != 0:
		http.Error(w, http.StatusText(status), status)
	case r.URL.RequestURI() != Path || !hasPage:
		http.NotFound(w, r)
	default:
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		_, _ = w.Write([]byte(page))
	}
}

// Package animescheduletest fakes AnimeSchedule.net's API v3 for tests: dub
// timetables per ISO week and the MAL link of each show, behind a bearer
// token.
package animescheduletest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Release is one timetable entry to serve, written out in the API's shape.
type Release struct {
	Route, Title string
	Episode      int
	At           time.Time // zero is sent as the API's "0001-01-01T00:00:00Z"
	AirType      string    // "" means "dub"
}

// Server is a loopback fake of the API. Unknown weeks and routes answer 404,
// as the real API does for weeks without data.
type Server struct {
	srv   *httptest.Server
	token string

	mu       sync.Mutex
	weeks    map[string]string // "2026-W40" -> body
	routes   map[string]string // route -> websites.mal value
	requests map[string]int    // path -> count
}

// New starts a Server accepting token; Close it when done.
func New(token string) *Server {
	s := &Server{token: token, weeks: map[string]string{}, routes: map[string]string{}, requests: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the API root, to pass as the client's base URL.
func (s *Server) URL() string { return s.srv.URL + "/api/v3" }

// Client returns an HTTP client for the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// SetWeek serves releases as the dub timetable of an ISO week.
func (s *Server) SetWeek(year, week int, releases ...Release) {
	s.SetWeekJSON(year, week, Render(releases))
}

// SetWeekJSON serves a raw body as the dub timetable of an ISO week.
func (s *Server) SetWeekJSON(year, week int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.weeks[weekKey(year, week)] = body
}

// SetMAL gives the show at route a websites.mal value: a bare id ("5114")
// or a link without scheme ("myanimelist.net/anime/5114/...").
func (s *Server) SetMAL(route, mal string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[route] = mal
}

// Requests is how many requests reached path ("/api/v3/timetables/dub",
// "/api/v3/anime/<route>"), whatever their query.
func (s *Server) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	s.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		http.Error(w, `{"error":"invalid token"}`, http.StatusUnauthorized)
		return
	}
	body, ok := s.lookup(r)
	if !ok {
		http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(body))
}

func (s *Server) lookup(r *http.Request) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch path := r.URL.Path; {
	case path == "/api/v3/timetables/dub":
		var year, week int
		_, _ = fmt.Sscan(r.URL.Query().Get("year"), &year)
		_, _ = fmt.Sscan(r.URL.Query().Get("week"), &week)
		body, ok := s.weeks[weekKey(year, week)]
		return body, ok
	case strings.HasPrefix(path, "/api/v3/anime/"):
		mal, ok := s.routes[strings.TrimPrefix(path, "/api/v3/anime/")]
		if !ok {
			return "", false
		}
		b, _ := json.Marshal(map[string]any{"route": strings.TrimPrefix(path, "/api/v3/anime/"),
			"websites": map[string]string{"mal": mal}})
		return string(b), true
	}
	return "", false
}

func weekKey(year, week int) string { return fmt.Sprintf("%d-W%02d", year, week) }

// Render writes releases as a timetable response body.
func Render(releases []Release) string {
	type wire struct {
		Title         string `json:"title"`
		Route         string `json:"route"`
		EpisodeDate   string `json:"episodeDate"`
		EpisodeNumber int    `json:"episodeNumber"`
		AirType       string `json:"airType"`
		Status        string `json:"status"`
	}
	out := make([]wire, len(releases))
	for i, r := range releases {
		at := "0001-01-01T00:00:00Z"
		if !r.At.IsZero() {
			at = r.At.UTC().Format(time.RFC3339)
		}
		airType := r.AirType
		if airType == "" {
			airType = "dub"
		}
		out[i] = wire{r.Title, r.Route, at, r.Episode, airType, "Ongoing"}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

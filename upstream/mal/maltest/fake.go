// Package maltest is a fake MyAnimeList for tests: the OAuth endpoints
// (authorize with PKCE plain, code and refresh grants), users/@me, the list
// reads, PATCH and DELETE of list entries against in-memory lists, and anime
// details. It counts requests per endpoint and can be told to fail.
package maltest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"dubbot/upstream/mal"
)

// Endpoints, as ServeMux patterns; Count, FailNext and LastForm take them.
const (
	Authorize   = "GET /v1/oauth2/authorize"
	Token       = "POST /v1/oauth2/token"
	Me          = "GET /v2/users/@me"
	AnimeList   = "GET /v2/users/@me/animelist"
	MangaList   = "GET /v2/users/@me/mangalist"
	PatchAnime  = "PATCH /v2/anime/{id}/my_list_status"
	PatchManga  = "PATCH /v2/manga/{id}/my_list_status"
	DeleteAnime = "DELETE /v2/anime/{id}/my_list_status"
	DeleteManga = "DELETE /v2/manga/{id}/my_list_status"
	AnimeDetail = "GET /v2/anime/{id}"
)

// Title is an anime or manga the fake knows. Unknown ids can still be put on
// lists; they just have no totals and no details.
type Title struct {
	ID           int
	Title        string
	Total        int  // episodes or chapters; 0 when unknown
	TotalVolumes int  // manga
	NSFW         bool // left out of list reads without nsfw=true
	// Details for GET /anime/{id}.
	English, Japanese string
	MediaType         string // MAL's spelling: tv, movie, ova, …
	Status            string // finished_airing, currently_airing, not_yet_aired
	Year              int
	Members           int
	Mean              float64
}

// Server is a fake MAL on loopback. Its methods are safe to call while the
// server answers requests.
type Server struct {
	*httptest.Server
	tb           testing.TB
	ClientID     string // the only client id OAuth and X-MAL-CLIENT-ID accept
	ClientSecret string
	RedirectURL  string // the registered redirect URI
	ExpiresIn    int    // expires_in of issued tokens; MAL really sends 31 days
	MaxPage      int    // largest list page the fake answers, to test paging

	mu           sync.Mutex
	users        map[int]*user
	access       map[string]int // access token → user
	refresh      map[string]int // refresh token → user
	codes        map[string]codeGrant
	titles       map[mal.Media]map[int]Title
	authAs       int
	seq          int
	clock        time.Time
	counts       map[string]int
	failures     map[string][]failure
	lastForm     map[string]url.Values
	invalidGrant bool
}

type user struct {
	id    int
	name  string
	lists map[mal.Media]map[int]mal.ListStatus
}

type codeGrant struct {
	userID      int
	challenge   string
	redirectURI string
}

type failure struct {
	status     int
	retryAfter time.Duration
}

// New starts a fake MAL that is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		tb:           t,
		ClientID:     "mal-test-client",
		ClientSecret: "mal-test-secret",
		RedirectURL:  "http://127.0.0.1/callback/mal",
		ExpiresIn:    2678400,
		MaxPage:      1000,
		users:        make(map[int]*user),
		access:       make(map[string]int),
		refresh:      make(map[string]int),
		codes:        make(map[string]codeGrant),
		titles:       map[mal.Media]map[int]Title{mal.Anime: {}, mal.Manga: {}},
		clock:        time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		counts:       make(map[string]int),
		failures:     make(map[string][]failure),
		lastForm:     make(map[string]url.Values),
	}
	mux := http.NewServeMux()
	s.route(mux, Authorize, s.authorize)
	s.route(mux, Token, s.token)
	s.api(mux, Me, s.me)
	s.api(mux, AnimeList, s.list(mal.Anime))
	s.api(mux, MangaList, s.list(mal.Manga))
	s.api(mux, PatchAnime, s.patch(mal.Anime, PatchAnime))
	s.api(mux, PatchManga, s.patch(mal.Manga, PatchManga))
	s.api(mux, DeleteAnime, s.delete(mal.Anime))
	s.api(mux, DeleteManga, s.delete(mal.Manga))
	s.route(mux, AnimeDetail, s.details)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// APIURL is the base URL to give mal.New.
func (s *Server) APIURL() string { return s.URL + "/v2" }

// AuthURL is the OAuth authorize endpoint.
func (s *Server) AuthURL() string { return s.URL + "/v1/oauth2/authorize" }

// TokenURL is the OAuth token endpoint.
func (s *Server) TokenURL() string { return s.URL + "/v1/oauth2/token" }

// AddUser adds a user with empty lists.
func (s *Server) AddUser(id int, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = &user{id: id, name: name, lists: map[mal.Media]map[int]mal.ListStatus{mal.Anime: {}, mal.Manga: {}}}
	if s.authAs == 0 {
		s.authAs = id
	}
}

// AddTitle makes an anime or manga known: its totals cap progress, and
// anime have details.
func (s *Server) AddTitle(m mal.Media, t Title) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.titles[m][t.ID] = t
}

// AuthorizeAs makes the authorize endpoint grant this user (by default the
// first one added).
func (s *Server) AuthorizeAs(userID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authAs = userID
}

// IssueTokens returns a fresh access and refresh token for a user, as if
// they had authorized.
func (s *Server) IssueTokens(userID int) (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(userID)
	return s.issueLocked(userID)
}

// ExpireAccessTokens makes every access token of a user answer 401, as when
// they expire; refresh tokens keep working.
func (s *Server) ExpireAccessTokens(userID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok, id := range s.access {
		if id == userID {
			delete(s.access, tok)
		}
	}
}

// InvalidGrant makes the token endpoint refuse every grant with
// invalid_grant while on, as MAL does once a refresh token has lapsed.
func (s *Server) InvalidGrant(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidGrant = on
}

// SetEntry puts an entry on a user's list as it is, without the checks a
// PATCH gets.
func (s *Server) SetEntry(userID int, m mal.Media, id int, st mal.ListStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(userID).lists[m][id] = st
}

// Entry returns an entry of a user's list.
func (s *Server) Entry(userID int, m mal.Media, id int) (mal.ListStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.mustUser(userID).lists[m][id]
	return st, ok
}

// Entries returns a copy of a user's list of media m, by id.
func (s *Server) Entries(userID int, m mal.Media) map[int]mal.ListStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int]mal.ListStatus)
	for id, st := range s.mustUser(userID).lists[m] {
		out[id] = st
	}
	return out
}

// FailNext makes the next request to endpoint answer status (with a
// Retry-After header when retryAfter > 0) instead of doing its work. Calls
// queue up.
func (s *Server) FailNext(endpoint string, status int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[endpoint] = append(s.failures[endpoint], failure{status, retryAfter})
}

// Count is how many requests reached endpoint, failed ones included.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}

// LastForm is the form body of the last PATCH to endpoint.
func (s *Server) LastForm(endpoint string) url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastForm[endpoint]
}

func (s *Server) mustUser(id int) *user {
	u, ok := s.users[id]
	if !ok {
		s.tb.Fatalf("maltest: no user %d; call AddUser first", id)
	}
	return u
}

func (s *Server) issueLocked(userID int) (access, refresh string) {
	s.seq++
	access = fmt.Sprintf("mal-access-%d-%d", userID, s.seq)
	refresh = fmt.Sprintf("mal-refresh-%d-%d", userID, s.seq)
	s.access[access] = userID
	s.refresh[refresh] = userID
	return access, refresh
}

// tick advances the fake's clock for updated_at stamps.
func (s *Server) tick() time.Time {
	s.clock = s.clock.Add(time.Second)
	return s.clock
}

// IssuedTokens lists every access and refresh token the fake has handed
// out, so tests can check that none leaks into files or logs.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for t := range s.access {
		out = append(out, t)
	}
	for t := range s.refresh {
		out = append(out, t)
	}
	return out
}

// Package anilisttest is a fake AniList for tests: OAuth (authorize and the
// code grant) and a GraphQL endpoint that answers the operations package
// anilist sends, from per-user lists the test edits.
package anilisttest

import (
	"cmp"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"dubbot/upstream/anilist"
)

// Request names Count knows besides the GraphQL operation names
// ("Viewer", "UserList", "RecentListUpdates").
const (
	Authorize = "authorize"
	Token     = "token"
)

// Server is a fake AniList on loopback. Its methods are safe to call while
// the server answers requests.
type Server struct {
	*httptest.Server
	tb           testing.TB
	ClientID     string // the only client id the OAuth endpoints accept
	ClientSecret string

	mu        sync.Mutex
	users     map[int]*user
	tokens    map[string]int // access token → user id
	codes     map[string]grant
	authAs    int
	clock     int64 // last updatedAt handed out
	seq       int
	counts    map[string]int
	rateLimit []time.Duration // Retry-After of each 429 still to answer
	malIDs    map[int]int     // anime media id → MAL id
}

type user struct {
	id          int
	name        string
	scoreFormat string
	entries     map[int]anilist.Entry // by media id
	custom      map[int][]string      // media id → custom list names
}

type grant struct {
	userID      int
	redirectURI string
}

// New starts a fake AniList that is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		tb:           t,
		ClientID:     "anilist-test-client",
		ClientSecret: "anilist-test-secret",
		users:        make(map[int]*user),
		tokens:       make(map[string]int),
		codes:        make(map[string]grant),
		counts:       make(map[string]int),
		malIDs:       make(map[int]int),
		clock:        1_700_000_000,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{$}", s.graphql)
	mux.HandleFunc("GET /api/v2/oauth/authorize", s.authorize)
	mux.HandleFunc("POST /api/v2/oauth/token", s.token)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// SetMALID records the MyAnimeList id of an AniList anime, for the
// AnimeMALID query.
func (s *Server) SetMALID(mediaID, malID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.malIDs[mediaID] = malID
}

// Endpoint is the GraphQL endpoint to give anilist.New.
func (s *Server) Endpoint() string { return s.URL + "/" }

// AuthURL is the OAuth authorize endpoint.
func (s *Server) AuthURL() string { return s.URL + "/api/v2/oauth/authorize" }

// TokenURL is the OAuth token endpoint.
func (s *Server) TokenURL() string { return s.URL + "/api/v2/oauth/token" }

// AddUser adds a user with an empty list who scores in POINT_10.
func (s *Server) AddUser(id int, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = &user{id: id, name: name, scoreFormat: "POINT_10", entries: make(map[int]anilist.Entry), custom: make(map[int][]string)}
	if s.authAs == 0 {
		s.authAs = id
	}
}

// SetScoreFormat changes how a user scores, as Viewer reports it.
func (s *Server) SetScoreFormat(userID int, format string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(userID).scoreFormat = format
}

// IssueToken returns a new valid access token for a user, as if they had
// gone through OAuth.
func (s *Server) IssueToken(userID int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(userID)
	return s.issueLocked(userID)
}

// RevokeTokens makes every token of a user invalid.
func (s *Server) RevokeTokens(userID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok, id := range s.tokens {
		if id == userID {
			delete(s.tokens, tok)
		}
	}
}

// AuthorizeAs makes the authorize endpoint grant access to this user (by
// default the first user added), as if they were the one logged in.
func (s *Server) AuthorizeAs(userID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authAs = userID
}

// SetEntry adds or replaces an entry of a user's list (e.Type says which
// list) and stamps it with a new UpdatedAt, later than every earlier edit. It
// returns that UpdatedAt.
func (s *Server) SetEntry(userID int, e anilist.Entry) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser(userID)
	if e.MediaID == 0 || (e.Type != anilist.Anime && e.Type != anilist.Manga) {
		s.tb.Fatalf("anilisttest: SetEntry needs a MediaID and a Type, got %+v", e)
	}
	s.clock++
	e.UpdatedAt = s.clock
	u.entries[e.MediaID] = e
	return e.UpdatedAt
}

// AddToCustomList puts an entry in a custom list too, so that it is listed
// twice, as AniList does.
func (s *Server) AddToCustomList(userID, mediaID int, list string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser(userID)
	u.custom[mediaID] = append(u.custom[mediaID], list)
}

// DeleteEntry removes an entry from a user's list.
func (s *Server) DeleteEntry(userID, mediaID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser(userID)
	delete(u.entries, mediaID)
	delete(u.custom, mediaID)
}

// Entries returns a user's entries of one media type, by media id.
func (s *Server) Entries(userID int, t anilist.MediaType) []anilist.Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mustUser(userID).sorted(t)
}

// RateLimit makes the next n GraphQL requests answer 429 with a Retry-After
// of retryAfter.
func (s *Server) RateLimit(n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.rateLimit = append(s.rateLimit, retryAfter)
	}
}

// Count is how many requests were made for a GraphQL operation name or for
// Authorize or Token, including the ones answered with errors.
func (s *Server) Count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[name]
}

func (s *Server) mustUser(id int) *user {
	u, ok := s.users[id]
	if !ok {
		s.tb.Fatalf("anilisttest: no user %d; call AddUser first", id)
	}
	return u
}

func (s *Server) issueLocked(userID int) string {
	s.seq++
	tok := fmt.Sprintf("anilist-token-%d-%d", userID, s.seq)
	s.tokens[tok] = userID
	return tok
}

// sorted returns the user's entries of one type in media id order.
func (u *user) sorted(t anilist.MediaType) []anilist.Entry {
	var out []anilist.Entry
	for _, e := range u.entries {
		if e.Type == t {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b anilist.Entry) int { return cmp.Compare(a.MediaID, b.MediaID) })
	return out
}

// IssuedTokens lists every access token the fake has handed out, so tests
// can check that none leaks into files or logs.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for t := range s.tokens {
		out = append(out, t)
	}
	return out
}

package jikantest

import (
	"net/http"
	"net/http/httptest"
)

// FailKind is a way for the fake to fail a request.
type FailKind int

// Failures FailNext can inject.
const (
	// Fail500 answers 500 with Jikan's UpstreamException body.
	Fail500 FailKind = iota + 1
	// FailTimeout never answers: the request hangs until the client gives
	// up or the server closes.
	FailTimeout
	// FailTruncated answers 200 with the first half of the real body, as a
	// proxy that lost the connection to Jikan would.
	FailTruncated
)

// FailNext makes the next n requests for path (such as "/anime/1/full" or
// "/anime") fail with kind. Requests refused with 429 do not use them up.
func (s *Server) FailNext(path string, n int, kind FailKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.fails[path] = append(s.fails[path], kind)
	}
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, kind FailKind) {
	switch kind {
	case Fail500:
		writeError(w, http.StatusInternalServerError, "UpstreamException",
			"Jikan failed to connect to MyAnimeList.net. MyAnimeList.net may be down/unavailable, refuses to connect or took too long to respond.")
	case FailTimeout:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	case FailTruncated:
		rec := httptest.NewRecorder()
		s.mux.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
	}
}

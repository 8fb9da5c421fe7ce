package anilisttest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
)

// authorize grants the AuthorizeAs user at once and redirects to
// redirect_uri with a one-time code and the caller's state.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[Authorize]++
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if q.Get("client_id") != s.ClientID || q.Get("response_type") != "code" || err != nil || redirect.Scheme == "" {
		http.Error(w, "anilisttest: authorize needs client_id, response_type=code and redirect_uri", http.StatusBadRequest)
		return
	}
	if s.authAs == 0 {
		http.Error(w, "anilisttest: no user to authorize; call AddUser", http.StatusBadRequest)
		return
	}
	s.seq++
	code := fmt.Sprintf("anilist-code-%d", s.seq)
	s.codes[code] = grant{userID: s.authAs, redirectURI: q.Get("redirect_uri")}
	v := redirect.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	redirect.RawQuery = v.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// token exchanges a code for a year-long access token; AniList has no
// refresh tokens. It takes a form body or a JSON one, as AniList does.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	p, err := tokenParams(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[Token]++
	if err != nil {
		tokenError(w, "invalid_request", err.Error())
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = p.Get("client_id"), p.Get("client_secret")
	}
	if id != s.ClientID || secret != s.ClientSecret {
		tokenError(w, "invalid_client", "Client authentication failed")
		return
	}
	g, ok := s.codes[p.Get("code")]
	if p.Get("grant_type") != "authorization_code" || !ok || p.Get("redirect_uri") != g.redirectURI {
		tokenError(w, "invalid_grant", "The authorization grant is invalid, expired or revoked")
		return
	}
	delete(s.codes, p.Get("code"))
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":   "Bearer",
		"expires_in":   31536000,
		"access_token": s.issueLocked(g.userID),
	})
}

// tokenParams reads the token request's parameters from a form or JSON body.
func tokenParams(r *http.Request) (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		return r.PostForm, nil
	}
	var m map[string]string
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		return nil, err
	}
	v := url.Values{}
	for k, val := range m {
		v.Set(k, val)
	}
	return v, nil
}

func tokenError(w http.ResponseWriter, code, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"error": code, "error_description": msg})
}

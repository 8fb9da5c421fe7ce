package maltest

import (
	"fmt"
	"net/http"
	"net/url"
)

// authorize checks the request as MAL does (PKCE plain only, a 43–128
// character challenge, the registered redirect URI), grants the AuthorizeAs
// user at once and redirects back with a one-time code and the state.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	if redirect == "" {
		redirect = s.RedirectURL
	}
	challenge := q.Get("code_challenge")
	switch {
	case q.Get("response_type") != "code" || q.Get("client_id") != s.ClientID:
		http.Error(w, "maltest: response_type=code and the client id are required", http.StatusBadRequest)
		return
	case redirect != s.RedirectURL:
		http.Error(w, "maltest: redirect_uri is not the registered one", http.StatusBadRequest)
		return
	case len(challenge) < 43 || len(challenge) > 128:
		http.Error(w, "maltest: code_challenge must be 43..128 characters", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "" && q.Get("code_challenge_method") != "plain":
		http.Error(w, "maltest: only the plain code_challenge_method is supported", http.StatusBadRequest)
		return
	case s.authAs == 0:
		http.Error(w, "maltest: no user to authorize; call AddUser", http.StatusBadRequest)
		return
	}
	s.seq++
	code := fmt.Sprintf("mal-code-%d", s.seq)
	s.codes[code] = codeGrant{userID: s.authAs, challenge: challenge, redirectURI: redirect}
	to, _ := url.Parse(redirect)
	v := to.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	to.RawQuery = v.Encode()
	http.Redirect(w, r, to.String(), http.StatusFound)
}

// token answers the authorization_code and refresh_token grants. Refreshing
// rotates the refresh token: the old one stops working.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	f := r.PostForm
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = f.Get("client_id"), f.Get("client_secret")
	}
	if id != s.ClientID || secret != s.ClientSecret {
		writeError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	}
	userID, ok := s.grantLocked(f)
	if !ok || s.invalidGrant {
		writeError(w, http.StatusBadRequest, "invalid_grant", "The grant is invalid, expired or revoked")
		return
	}
	access, refresh := s.issueLocked(userID)
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "Bearer", "expires_in": s.ExpiresIn, "access_token": access, "refresh_token": refresh,
	})
}

// grantLocked checks and uses up the code or refresh token of a token request.
func (s *Server) grantLocked(f url.Values) (userID int, ok bool) {
	switch f.Get("grant_type") {
	case "authorization_code":
		g, found := s.codes[f.Get("code")]
		// PKCE plain: the verifier is the challenge itself.
		if !found || f.Get("code_verifier") != g.challenge {
			return 0, false
		}
		if f.Has("redirect_uri") && f.Get("redirect_uri") != g.redirectURI {
			return 0, false
		}
		delete(s.codes, f.Get("code"))
		return g.userID, true
	case "refresh_token":
		userID, found := s.refresh[f.Get("refresh_token")]
		if !found {
			return 0, false
		}
		delete(s.refresh, f.Get("refresh_token"))
		return userID, true
	}
	return 0, false
}

package link

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// Handler serves the browser side of linking, under /oauth/:
//
//	GET /oauth/{provider}/callback  the provider sends the user back here
//	GET /oauth/{provider}/start     a re-link button from a DM; redirects
//	                                to the provider with a new state
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth/{provider}/callback", s.callback)
	mux.HandleFunc("GET /oauth/{provider}/start", s.start)
	return mux
}

// provider is the enabled provider named in the path. GET patterns match
// HEAD too; a link checker's HEAD must not use up a state, so it is refused.
func (s *Service) provider(w http.ResponseWriter, r *http.Request) (Provider, bool) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return "", false
	}
	p := Provider(r.PathValue("provider"))
	if !s.Enabled(p) {
		s.page(w, http.StatusNotFound, pageNotFound)
		return "", false
	}
	return p, true
}

func (s *Service) callback(w http.ResponseWriter, r *http.Request) {
	p, ok := s.provider(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	pd, verifier, err := s.takeState(q.Get("state"), p)
	if err != nil {
		s.refuseState(w, r, p, err)
		return
	}
	if q.Get("error") != "" || q.Get("code") == "" {
		// The user pressed "deny", or the provider had a problem of its own.
		s.log.Info("authorization not granted", slogUser(pd.UserID, p), slog.String("oauth_error", clip(q.Get("error"), 64)))
		s.page(w, http.StatusBadRequest, pageDenied(p))
		return
	}
	acct, err := s.complete(r.Context(), pd.UserID, p, q.Get("code"), verifier)
	if err != nil {
		s.log.Warn("link failed", slogUser(pd.UserID, p), slogErr(err))
		s.page(w, http.StatusBadGateway, pageFailed(p))
		return
	}
	s.log.Info("account linked", slogUser(pd.UserID, p), slog.Int("remote_id", acct.RemoteID))
	s.dm(r.Context(), pd.UserID, p, linkedMessage(acct),
		fmt.Sprintf("Linked your %s account **%s**.", p.Title(), markdown.Replace(acct.Name)))
	s.page(w, http.StatusOK, pageLinked(acct))
}

// refuseState answers a callback whose state did not check out; nothing
// has changed.
func (s *Service) refuseState(w http.ResponseWriter, r *http.Request, p Provider, err error) {
	switch {
	case errors.Is(err, errExpired):
		s.page(w, http.StatusBadRequest, pageExpired(p))
	case errors.Is(err, errUnknown):
		s.page(w, http.StatusBadRequest, pageBadState(p))
	default:
		s.log.Error("OAuth callback", slog.String("provider", string(p)), slogErr(err))
		s.page(w, http.StatusInternalServerError, pageFailed(p))
	}
}

// complete exchanges the code, learns whose account it is, and stores the link.
func (s *Service) complete(ctx context.Context, userID string, p Provider, code, verifier string) (Account, error) {
	t, err := s.exchange(ctx, p, code, verifier)
	if err != nil {
		return Account{}, err
	}
	prof, err := s.fetchProfile(ctx, p, t.Access)
	if err != nil {
		return Account{}, fmt.Errorf("read the new %s account: %w", p.Title(), err)
	}
	return s.saveLink(userID, p, prof, t)
}

// start turns a re-link ticket into a trip to the provider's authorize page.
func (s *Service) start(w http.ResponseWriter, r *http.Request) {
	p, ok := s.provider(w, r)
	if !ok {
		return
	}
	pd, err := s.ticket(r.URL.Query().Get("ticket"), p)
	switch {
	case errors.Is(err, errExpired), errors.Is(err, errUnknown):
		s.page(w, http.StatusBadRequest, pageOldButton(p))
		return
	case err != nil:
		s.log.Error("re-link button", slog.String("provider", string(p)), slogErr(err))
		s.page(w, http.StatusInternalServerError, pageFailed(p))
		return
	}
	to, err := s.AuthorizeURL(r.Context(), pd.UserID, p)
	if err != nil {
		s.log.Error("re-link button", slogUser(pd.UserID, p), slogErr(err))
		s.page(w, http.StatusInternalServerError, pageFailed(p))
		return
	}
	noStore(w)
	http.Redirect(w, r, to, http.StatusFound)
}

// clip shortens text from outside for a log line.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

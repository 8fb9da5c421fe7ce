package link

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"dubbot/store"
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
)

// AuthorizeURL returns the provider's authorize page for userID, with a new
// state that works once within ten minutes.
func (s *Service) AuthorizeURL(ctx context.Context, userID string, p Provider) (string, error) {
	conf := s.oauth[p]
	if conf == nil {
		return "", fmt.Errorf("authorize %s: %w", p.Title(), ErrDisabled)
	}
	var verifier string
	var opts []oauth2.AuthCodeOption
	if p == MAL {
		// MAL accepts only the plain method, where the challenge is the
		// verifier itself; x/oauth2's S256 helper would be refused.
		verifier = oauth2.GenerateVerifier()
		opts = append(opts,
			oauth2.SetAuthURLParam("code_challenge", verifier),
			oauth2.SetAuthURLParam("code_challenge_method", "plain"))
	}
	var state string
	err := s.db.Update(func(tx *store.Tx) error {
		var err error
		state, err = s.addPending(tx, statePrefix, userID, p, verifier, stateTTL)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("authorize %s for user %s: %w", p.Title(), userID, err)
	}
	return conf.AuthCodeURL(state, opts...), nil
}

// oauthContext makes x/oauth2 send through the service's client, with a
// timeout, and finish even if the caller gives up: a refresh that MAL has
// answered but we did not store would cost the user their link.
func (s *Service) oauthContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), requestTimeout)
	return context.WithValue(ctx, oauth2.HTTPClient, s.cfg.HTTP), cancel
}

// exchange trades an authorization code for tokens.
func (s *Service) exchange(ctx context.Context, p Provider, code, verifier string) (tokens, error) {
	ctx, cancel := s.oauthContext(ctx)
	defer cancel()
	var opts []oauth2.AuthCodeOption
	if verifier != "" {
		opts = append(opts, oauth2.VerifierOption(verifier))
	}
	tok, err := s.oauth[p].Exchange(ctx, code, opts...)
	if err != nil {
		return tokens{}, fmt.Errorf("exchange %s code: %w", p.Title(), tokenError(err))
	}
	return s.tokensFrom(p, tok), nil
}

// defaultLifetime is assumed when a token answer has no expires_in: MAL's
// documented hour, AniList's documented year.
var defaultLifetime = map[Provider]time.Duration{MAL: time.Hour, AniList: 365 * 24 * time.Hour}

// tokensFrom trusts the answer's expires_in, measured on the service's clock.
func (s *Service) tokensFrom(p Provider, tok *oauth2.Token) tokens {
	now := s.now().UTC()
	life := time.Duration(tok.ExpiresIn) * time.Second
	if life <= 0 {
		life = defaultLifetime[p]
	}
	return tokens{Access: tok.AccessToken, Refresh: tok.RefreshToken, Expiry: now.Add(life), Issued: now}
}

// fetchProfile asks the provider who the access token belongs to.
func (s *Service) fetchProfile(ctx context.Context, p Provider, access string) (profile, error) {
	// The provider's own client, so the lookup shares its rate limit.
	hc := &http.Client{Transport: bearer{base: s.httpFor(p).Transport, token: access}, Timeout: requestTimeout}
	switch p {
	case MAL:
		u, err := mal.New(s.api[MAL], hc).Me(ctx)
		if err != nil {
			return profile{}, err
		}
		return profile{ID: u.ID, Name: u.Name}, nil
	default:
		u, err := anilist.New(s.api[AniList], hc).Viewer(ctx)
		if err != nil {
			return profile{}, err
		}
		return profile{ID: u.ID, Name: u.Name, ScoreFormat: u.ScoreFormat}, nil
	}
}

// bearer adds a fixed access token to requests.
type bearer struct {
	base  http.RoundTripper
	token string
}

func (b bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return transportOrDefault(b.base).RoundTrip(r)
}

func transportOrDefault(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		return http.DefaultTransport
	}
	return rt
}

// tokenError keeps what is useful of a token endpoint's refusal (status
// and error code) and drops the body it quotes.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	return &refusal{Status: status, Code: re.ErrorCode}
}

// refusal is a token endpoint's error answer.
type refusal struct {
	Status int
	Code   string // RFC 6749 "error", such as invalid_grant
}

func (r *refusal) Error() string {
	return fmt.Sprintf("token endpoint answered HTTP %d %s", r.Status, r.Code)
}

// permanent reports whether a refresh can never succeed: the grant lapsed
// or was revoked (invalid_grant), or MAL's answer for a dead refresh token
// (invalid_request with 400 or 401). invalid_client is the operator's
// problem, not the user's, so it is not one.
func (r *refusal) permanent() bool {
	return r.Code == "invalid_grant" ||
		(r.Code == "invalid_request" && (r.Status == http.StatusBadRequest || r.Status == http.StatusUnauthorized))
}

package link

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/oauth2"
)

// lapse means the provider will not take the link's tokens again: only the
// user can fix it, by authorizing anew.
type lapse struct{ reason string }

func (l *lapse) Error() string { return "authorization lapsed: " + l.reason }

// Reasons a link needs re-authorization, worded for the user.
const (
	reasonRefreshRefused = "MyAnimeList would not renew dubbot's access; it lapsed or was revoked"
	reasonRefused        = "%s refused dubbot's access; it was revoked or has expired"
	reasonExpired        = "the year-long AniList sign-in ran out"
)

// accessToken returns a usable access token of the link, refreshing it
// first when it is due. stale, when set, is a token the provider just
// refused: it is replaced even though it looks fresh, unless another
// request has replaced it already. A lapse marks the link and DMs the user.
func (s *Service) accessToken(ctx context.Context, userID string, p Provider, stale string) (string, error) {
	mu := s.lock(linkKey(userID, p))
	mu.Lock()
	access, err := s.freshLocked(ctx, userID, p, stale)
	mu.Unlock()
	var l *lapse
	if errors.As(err, &l) {
		if err := s.markReauth(ctx, userID, p, l.reason); err != nil {
			s.log.Error("mark link as needing re-authorization", slogUser(userID, p), slogErr(err))
		}
		return "", fmt.Errorf("%s account of user %s: %w", p.Title(), userID, ErrReauthRequired)
	}
	return access, err
}

// freshLocked does accessToken's work with the link's lock held, so that
// of two requests finding the token due only one refreshes and the other
// reads what it stored.
func (s *Service) freshLocked(ctx context.Context, userID string, p Provider, stale string) (string, error) {
	t, err := s.loadTokens(userID, p)
	if err != nil {
		return "", err
	}
	switch {
	case stale != "" && t.Access != stale:
		return t.Access, nil
	case stale == "" && !s.due(p, t):
		return t.Access, nil
	case p == AniList && stale != "":
		return "", &lapse{fmt.Sprintf(reasonRefused, p.Title())}
	case p == AniList: // no refresh tokens: a year, then the user signs in again
		return "", &lapse{reasonExpired}
	case t.Refresh == "":
		return "", &lapse{reasonRefreshRefused}
	}
	nt, err := s.refresh(ctx, p, t.Refresh)
	var r *refusal
	if errors.As(err, &r) && r.permanent() {
		return "", &lapse{reasonRefreshRefused}
	}
	if err != nil {
		return "", fmt.Errorf("refresh %s token of user %s: %w", p.Title(), userID, err)
	}
	// The old refresh token is dead now: store the new one before anything else.
	if err := s.saveTokens(userID, p, nt); err != nil {
		return "", err
	}
	s.log.Debug("refreshed token", slogUser(userID, p),
		slog.Time("access_expires", nt.Expiry))
	return nt.Access, nil
}

// due reports whether the link's tokens should be refreshed: the access
// token is about to run out, or (MAL) the refresh token is a week old.
func (s *Service) due(p Provider, t tokens) bool {
	now := s.now()
	if !now.Before(t.Expiry.Add(-expiryMargin)) {
		return true
	}
	return p == MAL && !now.Before(t.Issued.Add(refreshEvery))
}

// refresh trades a refresh token for new tokens.
func (s *Service) refresh(ctx context.Context, p Provider, refreshToken string) (tokens, error) {
	conf := s.oauth[p]
	if conf == nil {
		return tokens{}, ErrDisabled
	}
	ctx, cancel := s.oauthContext(ctx)
	defer cancel()
	// A token with only a refresh token is invalid, so the source refreshes.
	tok, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return tokens{}, tokenError(err)
	}
	return s.tokensFrom(p, tok), nil
}

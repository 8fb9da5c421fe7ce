package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"dubbot/link"
	"dubbot/listsync"
	"dubbot/upstream/anilist"
)

// syncAccounts gives the sync service the linked accounts it needs, in its
// own terms, so listsync does not depend on link.
type syncAccounts struct{ links *link.Service }

func (a syncAccounts) AniListUser(id string) (int, bool, error) {
	acc, ok, err := a.links.Account(id, link.AniList)
	return acc.RemoteID, ok, err
}

func (a syncAccounts) AniListClient(ctx context.Context, id string) (*http.Client, error) {
	return a.client(ctx, id, link.AniList)
}

func (a syncAccounts) MALClient(ctx context.Context, id string) (*http.Client, error) {
	return a.client(ctx, id, link.MAL)
}

// client is the user's authorized client; a link that lapses in the middle
// of a request fails that request with listsync's error too.
func (a syncAccounts) client(ctx context.Context, id string, p link.Provider) (*http.Client, error) {
	c, err := a.links.Client(ctx, id, p)
	if err != nil {
		return nil, syncErr(err)
	}
	mapped := *c
	mapped.Transport = mapErrors{next: c.Transport, provider: p}
	return &mapped, nil
}

type mapErrors struct {
	next     http.RoundTripper
	provider link.Provider
}

func (m mapErrors) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := m.next.RoundTrip(r)
	if m.provider == link.AniList && errors.Is(err, link.ErrReauthRequired) {
		// A lapsed AniList token: sync reads the public list instead; it
		// must not be taken for a MAL lapse, which pauses the user.
		return resp, fmt.Errorf("%w: %w", anilist.ErrUnauthorized, err)
	}
	return resp, syncErr(err)
}

// MALUnauthorized marks the link as lapsed and DMs the user, once per lapse.
func (a syncAccounts) MALUnauthorized(ctx context.Context, id string) error {
	return a.links.ReportUnauthorized(ctx, id, link.MAL)
}

func (a syncAccounts) Linked(id string) (mal, anilist bool, err error) {
	if _, mal, err = a.links.Account(id, link.MAL); err != nil {
		return false, false, err
	}
	_, anilist, err = a.links.Account(id, link.AniList)
	return mal, anilist, err
}

func syncErr(err error) error {
	switch {
	case errors.Is(err, link.ErrNotLinked):
		return fmt.Errorf("%w: %w", listsync.ErrNotLinked, err)
	case errors.Is(err, link.ErrReauthRequired):
		return fmt.Errorf("%w: %w", listsync.ErrReauthorize, err)
	}
	return err
}

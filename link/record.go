package link

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dubbot/store"
)

// Account is a linked account as the bot shows it; it holds no token.
type Account struct {
	Provider     Provider
	UserID       string // Discord user id
	RemoteID     int    // the user's id on the provider
	Name         string
	ScoreFormat  string // AniList's scoring system, such as POINT_10; "" on MAL
	LinkedAt     time.Time
	NeedsReauth  bool
	ReauthReason string // why, in words fit for the user
}

// record is the stored form of a link.
type record struct {
	RemoteID     int       `json:"remote_id"`
	Name         string    `json:"name"`
	ScoreFormat  string    `json:"score_format,omitempty"`
	LinkedAt     time.Time `json:"linked_at"`
	Tokens       []byte    `json:"tokens"` // sealed JSON of tokens
	NeedsReauth  bool      `json:"needs_reauth,omitempty"`
	ReauthReason string    `json:"reauth_reason,omitempty"`
	ReauthSince  time.Time `json:"reauth_since,omitzero"`
}

// tokens are a link's secrets; they only exist sealed in the store.
type tokens struct {
	Access  string    `json:"access"`
	Refresh string    `json:"refresh,omitempty"`
	Expiry  time.Time `json:"expiry"` // of the access token, from expires_in
	// Issued is when Refresh was issued, for the weekly MAL refresh.
	Issued time.Time `json:"issued"`
}

func linkKey(userID string, p Provider) string { return userID + "/" + string(p) }

// sealContext binds sealed tokens to their key, so a record copied to
// another user's key fails to open.
func sealContext(key string) string { return store.BucketLinks + "/" + key }

func (r record) account(userID string, p Provider) Account {
	return Account{
		Provider: p, UserID: userID, RemoteID: r.RemoteID, Name: r.Name, ScoreFormat: r.ScoreFormat,
		LinkedAt: r.LinkedAt, NeedsReauth: r.NeedsReauth, ReauthReason: r.ReauthReason,
	}
}

// Account returns the user's account on p and whether one is linked.
func (s *Service) Account(userID string, p Provider) (Account, bool, error) {
	var rec record
	var found bool
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		found, err = tx.Get(store.BucketLinks, linkKey(userID, p), &rec)
		return err
	})
	if err != nil || !found {
		return Account{}, false, err
	}
	return rec.account(userID, p), true, nil
}

// Unlink forgets the user's account on p and its tokens. Neither MAL nor
// AniList offers a way to revoke a token, so the user is told where to
// remove the app's access themselves. It returns ErrNotLinked when there
// was nothing to forget.
func (s *Service) Unlink(_ context.Context, userID string, p Provider) error {
	key := linkKey(userID, p)
	mu := s.lock(key)
	mu.Lock()
	defer mu.Unlock()
	return s.db.Update(func(tx *store.Tx) error {
		raw, err := tx.GetRaw(store.BucketLinks, key)
		if err != nil {
			return err
		}
		if raw == nil {
			return ErrNotLinked
		}
		return tx.Delete(store.BucketLinks, key)
	})
}

// sealTokens seals t for the link at key.
func (s *Service) sealTokens(key string, t tokens) ([]byte, error) {
	plain, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	sealed, err := s.box.Seal(plain, sealContext(key))
	if err != nil {
		return nil, fmt.Errorf("seal tokens of %s: %w", key, err)
	}
	return sealed, nil
}

// openTokens opens a record's sealed tokens.
func (s *Service) openTokens(key string, rec record) (tokens, error) {
	plain, err := s.box.Open(rec.Tokens, sealContext(key))
	if err != nil {
		return tokens{}, fmt.Errorf("open tokens of %s: %w", key, err)
	}
	var t tokens
	if err := json.Unmarshal(plain, &t); err != nil {
		return tokens{}, fmt.Errorf("decode tokens of %s: %w", key, err)
	}
	return t, nil
}

// loadTokens reads a usable link's tokens: ErrNotLinked when there is no
// link, ErrReauthRequired when it waits for the user.
func (s *Service) loadTokens(userID string, p Provider) (tokens, error) {
	key := linkKey(userID, p)
	var rec record
	var found bool
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		found, err = tx.Get(store.BucketLinks, key, &rec)
		return err
	})
	switch {
	case err != nil:
		return tokens{}, err
	case !found:
		return tokens{}, fmt.Errorf("%s account of user %s: %w", p.Title(), userID, ErrNotLinked)
	case rec.NeedsReauth:
		return tokens{}, fmt.Errorf("%s account of user %s: %w", p.Title(), userID, ErrReauthRequired)
	}
	return s.openTokens(key, rec)
}

// saveTokens replaces the tokens of an existing, usable link.
func (s *Service) saveTokens(userID string, p Provider, t tokens) error {
	key := linkKey(userID, p)
	return s.db.Update(func(tx *store.Tx) error {
		var rec record
		found, err := tx.Get(store.BucketLinks, key, &rec)
		if err != nil {
			return err
		}
		if !found {
			// Unlinked while refreshing: the new tokens are not wanted.
			return fmt.Errorf("%s account of user %s: %w", p.Title(), userID, ErrNotLinked)
		}
		if rec.Tokens, err = s.sealTokens(key, t); err != nil {
			return err
		}
		return tx.Put(store.BucketLinks, key, rec)
	})
}

// profile is who a new token belongs to.
type profile struct {
	ID          int
	Name        string
	ScoreFormat string
}

// saveLink stores a freshly authorized link, replacing any earlier one. A
// re-link of the same account keeps its original LinkedAt.
func (s *Service) saveLink(userID string, p Provider, prof profile, t tokens) (Account, error) {
	key := linkKey(userID, p)
	mu := s.lock(key) // a refresh in flight must not overwrite the new tokens
	mu.Lock()
	defer mu.Unlock()
	var rec record
	err := s.db.Update(func(tx *store.Tx) error {
		var old record
		found, err := tx.Get(store.BucketLinks, key, &old)
		if err != nil {
			return err
		}
		rec = record{RemoteID: prof.ID, Name: prof.Name, ScoreFormat: prof.ScoreFormat, LinkedAt: s.now().UTC()}
		if found && old.RemoteID == prof.ID {
			rec.LinkedAt = old.LinkedAt
		}
		if rec.Tokens, err = s.sealTokens(key, t); err != nil {
			return err
		}
		return tx.Put(store.BucketLinks, key, rec)
	})
	if err != nil {
		return Account{}, fmt.Errorf("save %s link of user %s: %w", p.Title(), userID, err)
	}
	return rec.account(userID, p), nil
}

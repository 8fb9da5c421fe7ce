package link

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"dubbot/store"
)

// pending is an OAuth state waiting for its callback, or the ticket of a
// re-link button; both are bound to one Discord user and one provider.
type pending struct {
	UserID   string    `json:"user_id"`
	Provider Provider  `json:"provider"`
	Verifier []byte    `json:"verifier,omitempty"` // sealed PKCE verifier (MAL)
	Expires  time.Time `json:"expires"`
}

// Key prefixes in store.BucketOAuthStates.
const (
	statePrefix  = "state/"
	ticketPrefix = "ticket/"
)

// Why a state or ticket was refused; the callback page words them for people.
var (
	errUnknown = errors.New("unknown, forged or already used")
	errExpired = errors.New("expired")
)

// maxSecretLen bounds the states and tickets looked up; ours are 43.
const maxSecretLen = 128

// pendingKey stores a hash, not the secret: a copy of the store file does
// not hand out live states or tickets.
func pendingKey(prefix, secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return prefix + hex.EncodeToString(sum[:])
}

// randomSecret is 32 random bytes, URL-safe.
func randomSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// addPending stores a new state or ticket for user and returns its secret,
// sealing verifier (when not empty) with it. Expired entries are swept first.
func (s *Service) addPending(tx *store.Tx, prefix, userID string, p Provider, verifier string, ttl time.Duration) (string, error) {
	if err := s.sweep(tx); err != nil {
		return "", err
	}
	secret, err := randomSecret()
	if err != nil {
		return "", err
	}
	key := pendingKey(prefix, secret)
	pd := pending{UserID: userID, Provider: p, Expires: s.now().Add(ttl).UTC()}
	if verifier != "" {
		if pd.Verifier, err = s.box.Seal([]byte(verifier), store.BucketOAuthStates+"/"+key); err != nil {
			return "", fmt.Errorf("seal verifier: %w", err)
		}
	}
	if err := tx.Put(store.BucketOAuthStates, key, pd); err != nil {
		return "", err
	}
	return secret, nil
}

// sweep deletes expired states and tickets.
func (s *Service) sweep(tx *store.Tx) error {
	now := s.now()
	var stale []string
	err := tx.ForEach(store.BucketOAuthStates, "", func(key string, raw []byte) error {
		var pd pending
		if err := json.Unmarshal(raw, &pd); err != nil || now.After(pd.Expires) {
			stale = append(stale, key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, key := range stale {
		if err := tx.Delete(store.BucketOAuthStates, key); err != nil {
			return err
		}
	}
	return nil
}

// takeState uses up a state: whatever the outcome, it cannot be used again.
// It returns the pending entry and the PKCE verifier ("" for AniList).
func (s *Service) takeState(state string, p Provider) (pending, string, error) {
	if state == "" || len(state) > maxSecretLen {
		return pending{}, "", errUnknown
	}
	key := pendingKey(statePrefix, state)
	var pd pending
	var found bool
	err := s.db.Update(func(tx *store.Tx) error {
		var err error
		if found, err = tx.Get(store.BucketOAuthStates, key, &pd); err != nil || !found {
			return err
		}
		return tx.Delete(store.BucketOAuthStates, key)
	})
	switch {
	case err != nil:
		return pending{}, "", fmt.Errorf("take OAuth state: %w", err)
	case !found || pd.Provider != p:
		return pending{}, "", errUnknown
	case !s.now().Before(pd.Expires):
		return pending{}, "", errExpired
	case len(pd.Verifier) == 0:
		return pd, "", nil
	}
	verifier, err := s.box.Open(pd.Verifier, store.BucketOAuthStates+"/"+key)
	if err != nil {
		return pending{}, "", fmt.Errorf("open PKCE verifier: %w", err)
	}
	return pd, string(verifier), nil
}

// ticket looks up a re-link ticket; tickets work until they expire, so a
// button pressed twice (or a sign-in abandoned) can be tried again.
func (s *Service) ticket(ticket string, p Provider) (pending, error) {
	if ticket == "" || len(ticket) > maxSecretLen {
		return pending{}, errUnknown
	}
	var pd pending
	var found bool
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		found, err = tx.Get(store.BucketOAuthStates, pendingKey(ticketPrefix, ticket), &pd)
		return err
	})
	switch {
	case err != nil:
		return pending{}, fmt.Errorf("read re-link ticket: %w", err)
	case !found || pd.Provider != p:
		return pending{}, errUnknown
	case !s.now().Before(pd.Expires):
		return pending{}, errExpired
	}
	return pd, nil
}

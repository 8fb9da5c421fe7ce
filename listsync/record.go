package listsync

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"dubbot/store"
	"dubbot/syncer"
)

// record is a user's settings and sync status, at u/<user> in the sync bucket.
type record struct {
	Auto          bool `json:"auto,omitempty"`
	MirrorDeletes bool `json:"mirror_deletes,omitempty"`
	// AniListID is the account the stored state belongs to: linking another
	// AniList account starts over with a first sync.
	AniListID int `json:"anilist_id,omitempty"`
	// Synced is set once a first sync has run (the state of an empty list
	// is empty too).
	Synced bool `json:"synced,omitempty"`
	// Cursor is the AniList updatedAt up to which the user's edits are
	// known to be synced; the change detector looks for newer rows.
	Cursor int64 `json:"cursor,omitempty"`
	// Retry asks for a sync at the next turn whatever the detector says:
	// some writes failed for a while and were put back.
	Retry bool `json:"retry,omitempty"`
	// Wake asks for a sync at the next turn because auto-sync was just
	// turned on: the cursor is as old as the last sync, and the detector
	// would page back to it.
	Wake bool `json:"wake,omitempty"`
	// NeedFull asks for a full comparison at the next sync (after MAL was
	// authorized again, perhaps for another account).
	NeedFull bool `json:"need_full,omitempty"`
	// Paused is set when MAL refused the token: nothing is synced until
	// Accounts hands out a MAL client again.
	Paused    bool      `json:"paused,omitempty"`
	LastFull  time.Time `json:"last_full,omitzero"`
	LastRun   time.Time `json:"last_run,omitzero"`
	LastError string    `json:"last_error,omitempty"`
}

// Key prefixes in store.BucketSync.
const (
	recordPrefix = "u/"
	statePrefix  = "s/"
)

func recordKey(userID string) string { return recordPrefix + userID }

func stateKeyPrefix(userID string) string { return statePrefix + userID + "/" }

func stateKey(userID string, mediaID int) string {
	return stateKeyPrefix(userID) + store.IDKey(uint64(mediaID))
}

// getRecord reads a user's record; a user never seen has the zero record.
func getRecord(tx *store.Tx, userID string) (record, error) {
	var r record
	if _, err := tx.Get(store.BucketSync, recordKey(userID), &r); err != nil {
		return record{}, err
	}
	return r, nil
}

// record reads a user's record.
func (s *Service) record(userID string) (record, error) {
	var r record
	err := s.db.View(func(tx *store.Tx) (err error) {
		r, err = getRecord(tx, userID)
		return err
	})
	if err != nil {
		return record{}, fmt.Errorf("read sync settings of user %s: %w", userID, err)
	}
	return r, nil
}

// update changes a user's record in one transaction, so that settings
// changed by a command and status written by a sync never overwrite each
// other. It returns the record as stored.
func (s *Service) update(userID string, change func(*record)) (record, error) {
	var r record
	err := s.db.Batch(func(tx *store.Tx) (err error) {
		r, err = getRecord(tx, userID)
		if err != nil {
			return err
		}
		change(&r)
		return tx.Put(store.BucketSync, recordKey(userID), r)
	})
	if err != nil {
		return record{}, fmt.Errorf("save sync settings of user %s: %w", userID, err)
	}
	return r, nil
}

// users lists every user with a record, and the record.
func (s *Service) users() (map[string]record, error) {
	out := make(map[string]record)
	err := s.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketSync, recordPrefix, func(key string, raw []byte) error {
			var r record
			if err := json.Unmarshal(raw, &r); err != nil {
				return fmt.Errorf("decode %s: %w", key, err)
			}
			out[strings.TrimPrefix(key, recordPrefix)] = r
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list sync users: %w", err)
	}
	return out, nil
}

// loadState reads what the last syncs of a user saw.
func (s *Service) loadState(userID string) (syncer.State, error) {
	st := make(syncer.State)
	err := s.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketSync, stateKeyPrefix(userID), func(key string, raw []byte) error {
			var e syncer.Synced
			if err := json.Unmarshal(raw, &e); err != nil {
				return fmt.Errorf("decode %q: %w", key, err)
			}
			id := store.KeyID(strings.TrimPrefix(key, stateKeyPrefix(userID)))
			st[int(id)] = e
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read sync state of user %s: %w", userID, err)
	}
	return st, nil
}

// putEntry records one entry as synced, right after its write succeeded, so
// a run cut short does not write it again.
func (s *Service) putEntry(userID string, mediaID int, e syncer.Synced, ok bool) error {
	err := s.db.Update(func(tx *store.Tx) error {
		if !ok {
			return tx.Delete(store.BucketSync, stateKey(userID, mediaID))
		}
		return tx.Put(store.BucketSync, stateKey(userID, mediaID), e)
	})
	if err != nil {
		return fmt.Errorf("save sync state of user %s, media %d: %w", userID, mediaID, err)
	}
	return nil
}

// putState writes the entries of next that differ from last and removes the
// ones next dropped, in tx.
func putState(tx *store.Tx, userID string, last, next syncer.State) error {
	for id, e := range next {
		if old, ok := last[id]; ok && old == e {
			continue
		}
		if err := tx.Put(store.BucketSync, stateKey(userID, id), e); err != nil {
			return err
		}
	}
	for id := range last {
		if _, ok := next[id]; !ok {
			if err := tx.Delete(store.BucketSync, stateKey(userID, id)); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropState removes a user's whole state, when their AniList account changed.
func dropState(tx *store.Tx, userID string) error {
	var keys []string
	err := tx.ForEach(store.BucketSync, stateKeyPrefix(userID), func(key string, _ []byte) error {
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(store.BucketSync, k); err != nil {
			return err
		}
	}
	return nil
}

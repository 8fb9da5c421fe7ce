package listsync

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"dubbot/store"
	"dubbot/syncer"
	"dubbot/upstream/mal"
)

// Trigger says what started a run.
type Trigger string

// Triggers.
const (
	TriggerAuto    Trigger = "auto"    // the scheduled cycle
	TriggerManual  Trigger = "now"     // /sync now
	TriggerPreview Trigger = "preview" // /sync preview: nothing written
)

// maxLogged caps the changes and skips one logged run keeps, so the first
// sync of a 5,000-entry list does not make a megabyte of log; the counts
// stay exact.
const maxLogged = 100

// Run is one sync of one user: what it wrote to MAL (or, for a preview,
// would write), what it skipped and why, and what failed.
type Run struct {
	At      time.Time `json:"at"`
	Trigger Trigger   `json:"trigger"`
	// Full is set when every entry was compared: the first sync, or the
	// periodic reconcile.
	Full    bool     `json:"full,omitempty"`
	Changes []Change `json:"changes,omitempty"`
	Skipped []Skip   `json:"skipped,omitempty"`
	// Errors are what stopped the run or some of its writes, worded for
	// the user.
	Errors []string `json:"errors,omitempty"`
	Counts Counts   `json:"counts"`
}

// Counts are a run's totals, exact even when Changes and Skipped were cut.
type Counts struct {
	Updated int `json:"updated,omitempty"` // entries written (added or changed)
	Deleted int `json:"deleted,omitempty"`
	Skipped int `json:"skipped,omitempty"`
	Failed  int `json:"failed,omitempty"` // writes that failed
	// Omitted is how many changes and skips the log left out.
	Omitted int `json:"omitted,omitempty"`
	// AniList and MAL are the requests the run sent to each.
	AniList int `json:"anilist,omitempty"`
	MAL     int `json:"mal,omitempty"`
}

// Change is one MAL entry a run wrote, deleted, or failed to.
type Change struct {
	Media   mal.Media            `json:"media"`
	MALID   int                  `json:"mal_id"`
	Title   string               `json:"title"`
	Added   bool                 `json:"added,omitempty"`   // new on the MAL list
	Deleted bool                 `json:"deleted,omitempty"` // removed from MAL (mirrored deletion)
	Fields  []syncer.FieldChange `json:"fields,omitempty"`  // old → new, per field
	Error   string               `json:"error,omitempty"`   // the write failed
}

// Skip is an AniList entry that could not be synced, and why.
type Skip struct {
	Media  mal.Media `json:"media"`
	Title  string    `json:"title"`
	Reason string    `json:"reason"`
}

// Empty reports whether the run changed, skipped and failed nothing.
func (r *Run) Empty() bool {
	return r.Counts.Updated+r.Counts.Deleted+r.Counts.Skipped+r.Counts.Failed == 0 && len(r.Errors) == 0
}

// addChange logs a change, unless the log of this run is full.
func (r *Run) addChange(c Change) {
	if len(r.Changes)+len(r.Skipped) >= maxLogged {
		r.Counts.Omitted++
		return
	}
	r.Changes = append(r.Changes, c)
}

// addSkips logs the plan's skipped entries.
func (r *Run) addSkips(skips []syncer.Skip) {
	r.Counts.Skipped += len(skips)
	for _, sk := range skips {
		if len(r.Changes)+len(r.Skipped) >= maxLogged {
			r.Counts.Omitted++
			continue
		}
		r.Skipped = append(r.Skipped, Skip{Media: sk.Media, Title: sk.Title, Reason: sk.Reason})
	}
}

func logPrefix(userID string) string { return userID + "/" }

// appendRun adds a run to the user's log and drops the oldest beyond LogRuns.
func appendRun(tx *store.Tx, userID string, run *Run, keep int) error {
	seq, err := tx.NextSequence(store.BucketSyncLog)
	if err != nil {
		return err
	}
	if err := tx.Put(store.BucketSyncLog, logPrefix(userID)+store.IDKey(seq), run); err != nil {
		return err
	}
	var keys []string
	err = tx.ForEach(store.BucketSyncLog, logPrefix(userID), func(key string, _ []byte) error {
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys[:max(len(keys)-keep, 0)] {
		if err := tx.Delete(store.BucketSyncLog, k); err != nil {
			return err
		}
	}
	return nil
}

// Log returns the user's last n runs, newest first.
func (s *Service) Log(userID string, n int) ([]Run, error) {
	var runs []Run
	err := s.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketSyncLog, logPrefix(userID), func(key string, raw []byte) error {
			var r Run
			if err := json.Unmarshal(raw, &r); err != nil {
				return fmt.Errorf("decode sync log %q: %w", strings.TrimPrefix(key, logPrefix(userID)), err)
			}
			runs = append(runs, r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read sync log of user %s: %w", userID, err)
	}
	slices.Reverse(runs)
	return runs[:min(max(n, 0), len(runs))], nil
}

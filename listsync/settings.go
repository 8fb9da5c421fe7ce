package listsync

import (
	"fmt"
	"time"
)

// Status is a user's sync settings and how their syncs went.
type Status struct {
	Auto          bool // synced every Interval
	MirrorDeletes bool // entries deleted on AniList are deleted on MAL
	MALLinked     bool
	AniListLinked bool
	// Paused: MAL refused the token, and nothing is synced until the user
	// links MAL again.
	Paused    bool
	LastRun   time.Time // zero before the first sync
	LastFull  time.Time // last full comparison of every entry
	LastError string    // what went wrong in the last run, worded for the user
	// Pending: some writes failed and are tried again at the next turn.
	Pending bool
	// NextCheck is roughly when the scheduler next looks at the user's
	// lists (zero when auto-sync is off).
	NextCheck time.Time
}

// SetAuto turns the user's scheduled sync on or off. Turning it on needs
// both accounts linked (ErrNotLinked); the first sync then comes at the
// user's next turn, or at once with Sync.
func (s *Service) SetAuto(userID string, on bool) error {
	if on {
		if err := s.requireLinks(userID); err != nil {
			return err
		}
	}
	_, err := s.update(userID, func(r *record) {
		r.Wake = r.Wake || (on && !r.Auto && r.Synced)
		r.Auto = on
	})
	return err
}

// SetMirrorDeletes sets whether entries the user deletes on AniList are
// deleted on MAL too (off unless the user opts in).
func (s *Service) SetMirrorDeletes(userID string, on bool) error {
	_, err := s.update(userID, func(r *record) { r.MirrorDeletes = on })
	return err
}

// Status reports the user's settings and last sync.
func (s *Service) Status(userID string) (Status, error) {
	r, err := s.record(userID)
	if err != nil {
		return Status{}, err
	}
	malOK, aniOK, err := s.accounts.Linked(userID)
	if err != nil {
		return Status{}, fmt.Errorf("linked accounts of user %s: %w", userID, err)
	}
	st := Status{
		Auto: r.Auto, MirrorDeletes: r.MirrorDeletes, MALLinked: malOK, AniListLinked: aniOK,
		Paused: r.Paused, LastRun: r.LastRun, LastFull: r.LastFull, LastError: r.LastError, Pending: r.Retry,
	}
	if r.Auto {
		st.NextCheck = s.nextTurn(userID, s.now())
	}
	return st, nil
}

// requireLinks fails with ErrNotLinked unless both accounts are linked.
func (s *Service) requireLinks(userID string) error {
	malOK, aniOK, err := s.accounts.Linked(userID)
	if err != nil {
		return fmt.Errorf("linked accounts of user %s: %w", userID, err)
	}
	if !malOK || !aniOK {
		return fmt.Errorf("user %s (MAL linked %t, AniList linked %t): %w", userID, malOK, aniOK, ErrNotLinked)
	}
	return nil
}

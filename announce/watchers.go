package announce

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"dubbot/bot"
	"dubbot/store"
)

// MaxWatches bounds the shows one user can watch.
const MaxWatches = 100

// Watch is a user waiting for a show's dub news by DM.
type Watch struct {
	MALID  int       `json:"mal_id"`
	UserID string    `json:"user_id"`
	Since  time.Time `json:"since"`
}

func watchKey(malID int, userID string) string {
	return strconv.Itoa(malID) + "/" + userID
}

// Watch adds a show to a user's watch list and reports whether it was new.
func (s *Service) Watch(ctx context.Context, userID string, malID int) (bool, error) {
	if malID <= 0 || userID == "" {
		return false, fmt.Errorf("watch: bad user %q or MAL id %d", userID, malID)
	}
	var added bool
	err := s.db.Update(func(tx *store.Tx) error {
		key := watchKey(malID, userID)
		if raw, err := tx.GetRaw(store.BucketWatchers, key); err != nil || raw != nil {
			return err
		}
		ids, err := watchedBy(tx, userID)
		if err != nil {
			return err
		}
		if len(ids) >= MaxWatches {
			return bot.Errorf(fmt.Sprintf("You are watching %d shows, the most I keep. Remove one with /watch remove first.", MaxWatches))
		}
		added = true
		return tx.Put(store.BucketWatchers, key, Watch{MALID: malID, UserID: userID, Since: s.now()})
	})
	if err != nil {
		return false, fmt.Errorf("watch %d for user %s: %w", malID, userID, err)
	}
	return added, nil
}

// Unwatch removes a show from a user's watch list and reports whether it
// was there. Posts already planned for them are dropped when their turn
// comes.
func (s *Service) Unwatch(ctx context.Context, userID string, malID int) (bool, error) {
	var found bool
	err := s.db.Update(func(tx *store.Tx) error {
		key := watchKey(malID, userID)
		raw, err := tx.GetRaw(store.BucketWatchers, key)
		if err != nil || raw == nil {
			return err
		}
		found = true
		return tx.Delete(store.BucketWatchers, key)
	})
	if err != nil {
		return false, fmt.Errorf("unwatch %d for user %s: %w", malID, userID, err)
	}
	return found, nil
}

// Watching lists the MAL ids a user watches, in id order.
func (s *Service) Watching(ctx context.Context, userID string) ([]int, error) {
	var ids []int
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		ids, err = watchedBy(tx, userID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list watches of user %s: %w", userID, err)
	}
	return ids, nil
}

// watchedBy scans the watch list for one user's shows; the bucket is keyed
// by show, which is what delivery needs.
func watchedBy(tx *store.Tx, userID string) ([]int, error) {
	var ids []int
	err := tx.ForEach(store.BucketWatchers, "", func(key string, _ []byte) error {
		show, user, ok := strings.Cut(key, "/")
		if !ok || user != userID {
			return nil
		}
		if id, err := strconv.Atoi(show); err == nil {
			ids = append(ids, id)
		}
		return nil
	})
	sort.Ints(ids)
	return ids, err
}

// watchersByShow maps each watched MAL id to its watchers.
func watchersByShow(tx *store.Tx) (map[int][]string, error) {
	out := map[int][]string{}
	err := tx.ForEach(store.BucketWatchers, "", func(key string, _ []byte) error {
		show, user, ok := strings.Cut(key, "/")
		if id, err := strconv.Atoi(show); ok && err == nil {
			out[id] = append(out[id], user)
		}
		return nil
	})
	return out, err
}

// watching reports whether a user still watches a show.
func watching(tx *store.Tx, userID string, malID int) (bool, error) {
	raw, err := tx.GetRaw(store.BucketWatchers, watchKey(malID, userID))
	return raw != nil, err
}

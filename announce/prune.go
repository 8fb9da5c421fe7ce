package announce

import (
	"errors"
	"fmt"
	"time"

	"dubbot/store"
)

var errStop = errors.New("stop")

// pruneRecords deletes delivery records older than Retention. Their keys
// start with the time, so the scan stops at the first young one.
func (s *Service) pruneRecords(now time.Time) (int, error) {
	cutoff := doneKey(now.Add(-s.cfg.Retention), "", "")
	var n int
	err := s.db.Update(func(tx *store.Tx) error {
		var old []string
		err := tx.ForEach(store.BucketOutbox, donePrefix, func(key string, _ []byte) error {
			if key >= cutoff {
				return errStop
			}
			old = append(old, key)
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return err
		}
		for _, k := range old {
			if err := tx.Delete(store.BucketOutbox, k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune delivery records: %w", err)
	}
	return n, nil
}

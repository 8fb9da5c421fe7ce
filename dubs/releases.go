package dubs

import (
	"context"
	"fmt"
	"strconv"

	"dubbot/store"
)

// RecordReleases records a "dub episode aired" event for every exact
// release time (from the timetable) that has passed. Its event ids are the
// ones a rising forum counter would give, so an episode seen both ways is
// announced once. Without a timetable it does nothing.
func (s *Service) RecordReleases(ctx context.Context) (string, error) {
	snap := s.state.Load()
	if len(snap.next) == 0 {
		return "no exact release times known", nil
	}
	now := s.cfg.Now().UTC()
	batch := "release/" + strconv.FormatInt(now.Unix(), 10)
	added := 0
	err := s.db.Update(func(tx *store.Tx) error {
		added = 0
		for id, n := range snap.next {
			if n.At.After(now) || n.Episode <= 0 {
				continue
			}
			title, total := n.Title, 0
			if show, ok := snap.airing[id]; ok {
				title, total = show.Title, show.Total
			}
			ok, err := recordEvent(tx, Event{
				ID: episodeEventID(id, n.Episode), Kind: EpisodeAired, MALID: id, Title: title,
				Episode: n.Episode, Total: total, Found: now, Batch: batch,
			})
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("record released dub episodes: %w", err)
	}
	return fmt.Sprintf("%d dub episodes released at their exact time", added), nil
}

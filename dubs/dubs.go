// Package dubs answers "is this anime dubbed?" from two upstream lists it
// refreshes: MAL-Dubs' dubInfo.json (dubbed and partial ids) and the MAL
// forum's list of currently streaming simuldubs (weekday, episodes so far).
// Each refresh keeps the last good data when the upstream is broken, and
// records what changed as events for the announcer.
package dubs

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"dubbot/anime"
	"dubbot/catalog"
	"dubbot/store"
	"dubbot/upstream/animeschedule"
	"dubbot/upstream/dubinfo"
	"dubbot/upstream/forum"
)

// Config configures the service.
type Config struct {
	DubInfoURL string
	AiringURL  string
	// HTTP fetches both sources; it carries timeouts and metrics.
	HTTP *http.Client
	// Catalog gets queued details fetches for airing shows it lacks.
	Catalog *catalog.Catalog
	// Notify wakes the download queue after work was queued.
	Notify func()
	// Timetable gives exact next dub release times (AnimeSchedule.net);
	// nil means weekdays only.
	Timetable Timetable
	// Problems counts upstream data problems, by source and kind.
	Problems func(source, kind string, n int)
	Logger   *slog.Logger
	Now      func() time.Time
}

// Timetable knows exact dub release times by MAL id.
type Timetable interface {
	Next(ctx context.Context, now time.Time) (map[int]animeschedule.NextEpisode, error)
}

// Service holds the dub data in memory, backed by the store.
type Service struct {
	db    *store.DB
	cfg   Config
	log   *slog.Logger
	state atomic.Pointer[snapshot]
}

// snapshot is the in-memory copy commands read, replaced whole on refresh.
type snapshot struct {
	list      *dubinfo.List
	listAt    time.Time
	schedule  *forum.Schedule
	airing    map[int]forum.Show
	scheduled time.Time
	next      map[int]animeschedule.NextEpisode
}

// Store keys.
const (
	keyList       = "list"
	keyValidators = "validators"
	keyListMeta   = "meta"
	keySchedule   = "schedule"
)

type listMeta struct {
	Fetched time.Time `json:"fetched"` // last time the body changed
	Checked time.Time `json:"checked"` // last successful check
}

type scheduleRecord struct {
	Schedule *forum.Schedule `json:"schedule"`
	Fetched  time.Time       `json:"fetched"`
	// Next holds exact next release times, when a timetable is configured.
	Next map[int]animeschedule.NextEpisode `json:"next,omitempty"`
}

// New makes the service and loads the last good data from the store.
func New(db *store.DB, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Problems == nil {
		cfg.Problems = func(string, string, int) {}
	}
	s := &Service{db: db, cfg: cfg, log: cfg.Logger}
	snap := &snapshot{list: dubinfo.New(nil, nil), airing: map[int]forum.Show{}}
	err := db.View(func(tx *store.Tx) error {
		var list dubinfo.List
		if ok, err := tx.Get(store.BucketDubs, keyList, &list); err != nil {
			return err
		} else if ok {
			snap.list = &list
		}
		var meta listMeta
		if _, err := tx.Get(store.BucketDubs, keyListMeta, &meta); err != nil {
			return err
		}
		snap.listAt = meta.Checked
		var rec scheduleRecord
		if _, err := tx.Get(store.BucketAiring, keySchedule, &rec); err != nil {
			return err
		}
		snap.setSchedule(rec.Schedule, rec.Fetched)
		snap.next = rec.Next
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load dub data: %w", err)
	}
	s.state.Store(snap)
	return s, nil
}

func (s *snapshot) setSchedule(sched *forum.Schedule, at time.Time) {
	s.schedule, s.scheduled = sched, at
	s.airing = map[int]forum.Show{}
	if sched == nil {
		return
	}
	for _, show := range sched.Shows {
		if prev, dup := s.airing[show.MALID]; !dup || show.Episodes > prev.Episodes {
			s.airing[show.MALID] = show
		}
	}
}

// Info is what /dub shows about one anime's dub.
type Info struct {
	Status anime.DubStatus
	// Airing is set when the show is on the currently streaming list.
	Airing *forum.Show
	// Next is the exact next dub release, when known and still ahead.
	Next *animeschedule.NextEpisode
}

// Info answers for one MAL id, checking in this order: airing now, partial,
// dubbed, none.
func (s *Service) Info(id int) Info {
	snap := s.state.Load()
	if show, ok := snap.airing[id]; ok {
		info := Info{Status: anime.DubAiring, Airing: &show}
		if next, ok := snap.next[id]; ok && next.At.After(s.cfg.Now()) {
			info.Next = &next
		}
		return info
	}
	return Info{Status: snap.list.Status(id)}
}

// Status is the dub status alone, for badges and filters.
func (s *Service) Status(id int) anime.DubStatus { return s.Info(id).Status }

// Dubbed reports whether the anime has any English dub, finished or not.
func (s *Service) Dubbed(id int) bool { return s.Status(id) != anime.DubNone }

// Schedule is the last good airing list and when it was read; nil before
// the first successful read.
func (s *Service) Schedule() (*forum.Schedule, time.Time) {
	snap := s.state.Load()
	return snap.schedule, snap.scheduled
}

// ListAge is how long ago the dub list was last checked; very large when
// it never was.
func (s *Service) ListAge() time.Duration {
	at := s.state.Load().listAt
	if at.IsZero() {
		return 1 << 62
	}
	return s.cfg.Now().Sub(at)
}

// NextEpisodes are the exact next dub releases known, by MAL id.
func (s *Service) NextEpisodes() map[int]animeschedule.NextEpisode {
	return s.state.Load().next
}

// Counts is the size of the dub list.
func (s *Service) Counts() (dubbed, partial, airing int) {
	snap := s.state.Load()
	return snap.list.DubbedCount(), snap.list.IncompleteCount(), len(snap.airing)
}

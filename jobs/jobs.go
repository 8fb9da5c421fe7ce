// Package jobs schedules dubbot's background work with gocron. A job is a
// plain func(ctx) error: the scheduler only decides when it runs, so
// `dubbot refresh` and tests call the same function directly.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"dubbot/store"
)

// Func is one unit of background work; it returns a one-line summary of
// what it did, kept with its last run.
type Func func(ctx context.Context) (summary string, err error)

// Job is a named function and when to run it.
type Job struct {
	Name string
	// Every runs the job at this interval, measured from the end of the
	// previous run. Zero with Daily unset means "only on demand".
	Every time.Duration
	// Daily runs the job once a day at this UTC time of day.
	Daily *time.Duration
	// AtStart runs the job right after start when it returns true (for
	// example when the data is older than a day).
	AtStart func(ctx context.Context) bool
	Run     Func
}

// Observer records job runs (the metrics set implements it).
type Observer interface {
	ObserveJob(name string, err error)
}

// Runner runs jobs on a schedule or on demand, and remembers each job's last
// run in the store for /healthz.
type Runner struct {
	db    *store.DB
	log   *slog.Logger
	obs   Observer
	clock clockwork.Clock
	jobs  map[string]Job
	sched gocron.Scheduler
	mu    sync.Mutex
	// atStart counts runs started by Start outside the scheduler, so Stop
	// can wait for them too.
	atStart sync.WaitGroup
	// running holds one lock per job: a run asked for by `dubbot refresh`
	// waits for a scheduled run of the same job rather than overlapping it.
	running map[string]*sync.Mutex
}

// LastRun is a job's most recent run.
type LastRun struct {
	Name     string        `json:"name"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	Summary  string        `json:"summary,omitempty"`
	Error    string        `json:"error,omitempty"`
}

// New makes a runner for the given jobs. clock may be nil (the real clock).
func New(db *store.DB, log *slog.Logger, obs Observer, clock clockwork.Clock, list ...Job) *Runner {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	r := &Runner{db: db, log: log, obs: obs, clock: clock, jobs: map[string]Job{}, running: map[string]*sync.Mutex{}}
	for _, j := range list {
		r.jobs[j.Name] = j
		r.running[j.Name] = new(sync.Mutex)
	}
	return r
}

// Names lists the jobs, sorted.
func (r *Runner) Names() []string {
	names := make([]string, 0, len(r.jobs))
	for n := range r.jobs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RunNow runs one job at once, records the run and returns its summary
// and error.
func (r *Runner) RunNow(ctx context.Context, name string) (string, error) {
	j, ok := r.jobs[name]
	if !ok {
		return "", fmt.Errorf("no job named %q (jobs: %v)", name, r.Names())
	}
	return r.run(ctx, j)
}

func (r *Runner) run(ctx context.Context, j Job) (summary string, err error) {
	lock := r.running[j.Name]
	lock.Lock()
	defer lock.Unlock()
	start := r.clock.Now()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, p)
		}
		r.record(j.Name, start, summary, err)
	}()
	return j.Run(ctx)
}

func (r *Runner) record(name string, start time.Time, summary string, err error) {
	last := LastRun{Name: name, Started: start.UTC(), Duration: r.clock.Since(start), Summary: summary}
	attrs := []any{slog.String("job", name), slog.Duration("took", last.Duration)}
	if err != nil {
		last.Error = err.Error()
		r.log.Error("job failed", append(attrs, slog.Any("error", err))...)
	} else {
		r.log.Info("job done", append(attrs, slog.String("summary", summary))...)
	}
	if r.obs != nil {
		r.obs.ObserveJob(name, err)
	}
	if r.db == nil {
		return
	}
	if perr := r.db.Update(func(tx *store.Tx) error { return tx.Put(store.BucketJobs, name, last) }); perr != nil {
		r.log.Warn("record job run", slog.String("job", name), slog.Any("error", perr))
	}
}

// LastRuns reads every job's last run from the store.
func LastRuns(db *store.DB) (map[string]LastRun, error) {
	out := map[string]LastRun{}
	err := db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketJobs, "", func(k string, raw []byte) error {
			var lr LastRun
			if err := json.Unmarshal(raw, &lr); err != nil {
				return nil // an unreadable record is not worth failing health for
			}
			out[k] = lr
			return nil
		})
	})
	return out, err
}

// Start schedules every job with a schedule and returns at once. Jobs whose
// AtStart says so run right away, in the background.
func (r *Runner) Start(ctx context.Context) error {
	s, err := gocron.NewScheduler(
		gocron.WithClock(r.clock),
		gocron.WithLocation(time.UTC),
		gocron.WithLogger(r.log.With(slog.String("component", "scheduler"))),
		gocron.WithStopTimeout(30*time.Second),
	)
	if err != nil {
		return fmt.Errorf("create scheduler: %w", err)
	}
	for _, name := range r.Names() {
		j := r.jobs[name]
		def, ok := definition(j)
		if !ok {
			continue
		}
		task := gocron.NewTask(func(jobCtx context.Context) { r.run(jobCtx, j) })
		if _, err := s.NewJob(def, task,
			gocron.WithName(j.Name),
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithIntervalFromCompletion(),
		); err != nil {
			return fmt.Errorf("schedule job %s: %w", j.Name, err)
		}
	}
	r.mu.Lock()
	r.sched = s
	r.mu.Unlock()
	s.Start()
	for _, name := range r.Names() {
		j := r.jobs[name]
		if j.AtStart != nil && j.AtStart(ctx) {
			r.atStart.Add(1)
			go func() {
				defer r.atStart.Done()
				r.run(ctx, j)
			}()
		}
	}
	return nil
}

func definition(j Job) (gocron.JobDefinition, bool) {
	switch {
	case j.Daily != nil:
		at := *j.Daily
		h, m := int(at/time.Hour), int(at%time.Hour/time.Minute)
		return gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(uint(h), uint(m), 0))), true
	case j.Every > 0:
		return gocron.DurationJob(j.Every), true
	}
	return nil, false
}

// Stop cancels running jobs' contexts and waits for them to return.
func (r *Runner) Stop() error {
	r.mu.Lock()
	s := r.sched
	r.mu.Unlock()
	if s == nil {
		return nil
	}
	err := s.Shutdown()
	r.atStart.Wait()
	if err != nil && !errors.Is(err, gocron.ErrStopSchedulerTimedOut) {
		return fmt.Errorf("stop scheduler: %w", err)
	}
	return nil
}

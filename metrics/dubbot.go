package metrics

import (
	"strconv"
	"time"
)

// Set is dubbot's own series, with the observer methods the router, the
// HTTP clients and the jobs call.
type Set struct {
	Registry     *Registry
	Interactions *CounterVec
	Latency      *HistogramVec
	JobRuns      *CounterVec
	Upstream     *CounterVec
	Refresh      *CounterVec
}

// NewSet registers dubbot's series on a new registry.
func NewSet() *Set {
	r := New()
	return &Set{
		Registry:     r,
		Interactions: r.Counter("dubbot_interactions_total", "Interactions handled, by command and outcome.", "command", "outcome"),
		Latency: r.Histogram("dubbot_handler_seconds", "Time from interaction to answer inside the handler.",
			[]float64{0.0005, 0.001, 0.005, 0.025, 0.1, 0.5, 1, 2, 5}, "command"),
		JobRuns:  r.Counter("dubbot_job_runs_total", "Scheduled job runs, by job and result.", "job", "result"),
		Upstream: r.Counter("dubbot_upstream_requests_total", "Requests to upstream services, by host and status.", "host", "status"),
		Refresh:  r.Counter("dubbot_refresh_problems_total", "Problems found in upstream data, by source and kind.", "source", "kind"),
	}
}

// ObserveInteraction implements bot.Observer.
func (s *Set) ObserveInteraction(command, outcome string, d time.Duration) {
	s.Interactions.Inc(command, outcome)
	s.Latency.Observe(d.Seconds(), command)
}

// ObserveUpstream implements httpx.Observer; status 0 is a transport error.
func (s *Set) ObserveUpstream(host string, status int, _ time.Duration) {
	label := strconv.Itoa(status)
	if status == 0 {
		label = "error"
	}
	s.Upstream.Inc(host, label)
}

// ObserveJob records one job run.
func (s *Set) ObserveJob(job string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	s.JobRuns.Inc(job, result)
}

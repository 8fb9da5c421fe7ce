package metrics

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestTextFormat(t *testing.T) {
	s := NewSet()
	s.ObserveInteraction("dub", "ok", 300*time.Microsecond)
	s.ObserveInteraction("dub", "ok", 2*time.Millisecond)
	s.ObserveUpstream("api.jikan.moe", 429, 0)
	s.ObserveUpstream("api.jikan.moe", 0, 0)
	s.ObserveJob("dub refresh", nil)
	s.Registry.GaugeFunc("dubbot_queue_pending", "Pending items.", func() float64 { return 7 })
	var buf bytes.Buffer
	s.Registry.Write(&buf)
	out := buf.String()
	for _, want := range []string{
		"# TYPE dubbot_interactions_total counter",
		`dubbot_interactions_total{command="dub",outcome="ok"} 2`,
		`dubbot_handler_seconds_bucket{command="dub",le="0.0005"} 1`,
		`dubbot_handler_seconds_bucket{command="dub",le="0.005"} 2`,
		`dubbot_handler_seconds_bucket{command="dub",le="+Inf"} 2`,
		`dubbot_handler_seconds_count{command="dub"} 2`,
		`dubbot_upstream_requests_total{host="api.jikan.moe",status="429"} 1`,
		`dubbot_upstream_requests_total{host="api.jikan.moe",status="error"} 1`,
		`dubbot_job_runs_total{job="dub refresh",result="ok"} 1`,
		"dubbot_queue_pending 7",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

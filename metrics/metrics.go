// Package metrics keeps counters and histograms and writes them in the
// Prometheus text format. It is small on purpose: dubbot needs a handful of
// series, not a client library.
package metrics

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Registry holds every series; it is safe for concurrent use.
type Registry struct {
	mu     sync.Mutex
	order  []string
	series map[string]family
}

type family interface {
	write(w io.Writer, name string)
}

// New makes an empty registry.
func New() *Registry { return &Registry{series: map[string]family{}} }

func (r *Registry) register(name string, f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.series[name]; dup {
		panic("metrics: " + name + " registered twice") // a programming error at start-up
	}
	r.order = append(r.order, name)
	r.series[name] = f
}

// ServeHTTP writes every series.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	r.Write(w)
}

// Write writes every series in registration order.
func (r *Registry) Write(w io.Writer) {
	r.mu.Lock()
	names := append([]string(nil), r.order...)
	r.mu.Unlock()
	for _, name := range names {
		r.mu.Lock()
		f := r.series[name]
		r.mu.Unlock()
		f.write(w, name)
	}
}

// CounterVec is a counter with labels.
type CounterVec struct {
	help   string
	labels []string
	mu     sync.Mutex
	values map[string]float64
}

// Counter registers a counter.
func (r *Registry) Counter(name, help string, labels ...string) *CounterVec {
	c := &CounterVec{help: help, labels: labels, values: map[string]float64{}}
	r.register(name, c)
	return c
}

// Inc adds one to the series with these label values.
func (c *CounterVec) Inc(values ...string) { c.Add(1, values...) }

// Add adds n to the series with these label values.
func (c *CounterVec) Add(n float64, values ...string) {
	key := labelKey(c.labels, values)
	c.mu.Lock()
	c.values[key] += n
	c.mu.Unlock()
}

// Value reads one series, for tests and /healthz.
func (c *CounterVec) Value(values ...string) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.values[labelKey(c.labels, values)]
}

func (c *CounterVec) write(w io.Writer, name string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, c.help, name)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, key := range sortedKeys(c.values) {
		fmt.Fprintf(w, "%s%s %s\n", name, key, num(c.values[key]))
	}
}

// HistogramVec is a histogram with labels.
type HistogramVec struct {
	help    string
	labels  []string
	buckets []float64
	mu      sync.Mutex
	values  map[string]*histogram
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

// Histogram registers a histogram with the given upper bounds.
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *HistogramVec {
	h := &HistogramVec{help: help, labels: labels, buckets: buckets, values: map[string]*histogram{}}
	r.register(name, h)
	return h
}

// Observe records one value.
func (h *HistogramVec) Observe(v float64, values ...string) {
	key := labelKey(h.labels, values)
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.values[key]
	if s == nil {
		s = &histogram{counts: make([]uint64, len(h.buckets))}
		h.values[key] = s
	}
	if i := sort.SearchFloat64s(h.buckets, v); i < len(h.buckets) {
		s.counts[i]++
	}
	s.sum += v
	s.count++
}

func (h *HistogramVec) write(w io.Writer, name string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", name, h.help, name)
	h.mu.Lock()
	defer h.mu.Unlock()
	keys := make([]string, 0, len(h.values))
	for k := range h.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		s := h.values[key]
		var cum uint64
		for i, le := range h.buckets {
			cum += s.counts[i]
			fmt.Fprintf(w, "%s_bucket%s %d\n", name, withLabel(key, "le", num(le)), cum)
		}
		fmt.Fprintf(w, "%s_bucket%s %d\n", name, withLabel(key, "le", "+Inf"), s.count)
		fmt.Fprintf(w, "%s_sum%s %s\n%s_count%s %d\n", name, key, num(s.sum), name, key, s.count)
	}
}

// GaugeFunc registers a gauge read when scraped.
func (r *Registry) GaugeFunc(name, help string, fn func() float64) {
	r.register(name, gaugeFunc{help: help, fn: fn})
}

type gaugeFunc struct {
	help string
	fn   func() float64
}

func (g gaugeFunc) write(w io.Writer, name string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", name, g.help, name, name, num(g.fn()))
}

func labelKey(names, values []string) string {
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range names {
		v := ""
		if i < len(values) {
			v = values[i]
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n + "=" + strconv.Quote(v))
	}
	b.WriteByte('}')
	return b.String()
}

func withLabel(key, name, value string) string {
	pair := name + "=" + strconv.Quote(value)
	if key == "" {
		return "{" + pair + "}"
	}
	return key[:len(key)-1] + "," + pair + "}"
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func num(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

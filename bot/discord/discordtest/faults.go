package discordtest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// fault is a scripted failure for the next matching requests.
type fault struct {
	pattern    pattern
	remaining  int // negative: every matching request
	status     int
	code       int
	message    string
	retryAfter time.Duration // set for 429s
}

// latency delays matching requests before they are answered.
type latency struct {
	pattern pattern
	delay   time.Duration
}

// faults holds the scripting rules; guarded by Server.st.
type faults struct {
	failures []*fault
	delays   []latency
}

// FailRoute makes the next n requests matching method ("" for any) and
// pathPattern (such as "/channels/{id}/messages") fail with status and
// Discord's error body {"message": message, "code": code}. A negative n
// fails every matching request until ClearScript.
func (s *Server) FailRoute(method, pathPattern string, n, status, code int, message string) {
	s.addFault(&fault{
		pattern:   newPattern(method, pathPattern),
		remaining: n,
		status:    status,
		code:      code,
		message:   message,
	})
}

// RateLimit makes the next n matching requests answer 429 with a
// Retry-After header and the JSON body discordgo needs:
// {"message": "You are being rate limited.", "retry_after": seconds, "global": false}.
func (s *Server) RateLimit(method, pathPattern string, n int, retryAfter time.Duration) {
	s.addFault(&fault{
		pattern:    newPattern(method, pathPattern),
		remaining:  n,
		status:     http.StatusTooManyRequests,
		message:    rateLimitMessage,
		retryAfter: retryAfter,
	})
}

func (s *Server) addFault(f *fault) {
	if f.remaining == 0 {
		return
	}
	s.st.update(func() { s.faults.failures = append(s.faults.failures, f) })
}

// SetLatency delays every request matching pattern ("[METHOD ]/path", e.g.
// "PATCH /webhooks/{app}/{token}/messages/@original") by d before it is
// answered. Setting the same pattern again replaces it; d = 0 removes it.
func (s *Server) SetLatency(pattern string, d time.Duration) {
	p := parsePattern(pattern)
	s.st.update(func() {
		kept := s.faults.delays[:0]
		for _, l := range s.faults.delays {
			if l.pattern.String() != p.String() {
				kept = append(kept, l)
			}
		}
		if d > 0 {
			kept = append(kept, latency{pattern: p, delay: d})
		}
		s.faults.delays = kept
	})
}

// ClearScript removes every scripted failure and latency.
func (s *Server) ClearScript() {
	s.st.update(func() { s.faults = faults{} })
}

// latencyFor sums the delays of every rule matching the request.
func (f *faults) latencyFor(method, path string) time.Duration {
	var total time.Duration
	for _, l := range f.delays {
		if l.pattern.match(method, path) {
			total += l.delay
		}
	}
	return total
}

// take returns the first failure matching the request and uses one of
// its repetitions, or nil.
func (f *faults) take(method, path string) *fault {
	for i, fl := range f.failures {
		if !fl.pattern.match(method, path) {
			continue
		}
		if fl.remaining > 0 {
			fl.remaining--
		}
		if fl.remaining == 0 {
			f.failures = append(f.failures[:i], f.failures[i+1:]...)
		}
		return fl
	}
	return nil
}

// write answers with the scripted failure.
func (f *fault) write(w http.ResponseWriter) {
	if f.status != http.StatusTooManyRequests {
		writeError(w, f.status, f.code, f.message)
		return
	}
	secs := f.retryAfter.Seconds()
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Limit", "1")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", "discordtest")
	h.Set("X-RateLimit-Scope", "user")
	writeJSON(w, f.status, map[string]any{
		"message":     f.message,
		"retry_after": secs,
		"global":      false,
	})
}

package ratelimit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Bounds on one window: a window shorter than a millisecond or a count above a
// million is a typo, not a budget any upstream grants.
const (
	minPer = time.Millisecond
	maxN   = 1_000_000
)

// Rate is one window of a request budget: at most N requests per Per.
type Rate struct {
	N   int
	Per time.Duration
}

// String writes the rate the way Parse reads it: "60/m", or "10/200ms" for a
// window that is not a second, minute or hour.
func (r Rate) String() string {
	n := strconv.Itoa(r.N)
	switch r.Per {
	case time.Second:
		return n + "/s"
	case time.Minute:
		return n + "/m"
	case time.Hour:
		return n + "/h"
	}
	return n + "/" + r.Per.String()
}

func (r Rate) validate() error {
	switch {
	case r.N < 1:
		return fmt.Errorf("count %d: want at least 1", r.N)
	case r.N > maxN:
		return fmt.Errorf("count %d: want at most %d", r.N, maxN)
	case r.Per < minPer:
		return fmt.Errorf("window %v: want at least %v", r.Per, minPer)
	}
	return nil
}

// Parse reads a comma-separated budget such as "1/s,60/m". Each part is a
// count, a slash and a window: s, m, h, or a Go duration such as 200ms or 2s
// (which lets tests scale windows down). Every part is enforced, so a window
// may appear only once.
func Parse(spec string) ([]Rate, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, errors.New("empty rate limit: want N/s, N/m or N/h, comma-separated")
	}
	parts := strings.Split(spec, ",")
	rates := make([]Rate, 0, len(parts))
	seen := make(map[time.Duration]string, len(parts))
	for i, part := range parts {
		part = strings.TrimSpace(part)
		r, err := parseRate(part)
		if err != nil {
			return nil, fmt.Errorf("rate limit part %d %q: %w", i+1, part, err)
		}
		if prev, ok := seen[r.Per]; ok {
			return nil, fmt.Errorf("rate limit part %d %q: window %v already given by %q", i+1, part, r.Per, prev)
		}
		seen[r.Per] = part
		rates = append(rates, r)
	}
	return rates, nil
}

func parseRate(s string) (Rate, error) {
	count, window, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, errors.New("want N/s, N/m or N/h")
	}
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil {
		return Rate{}, fmt.Errorf("count %q is not a whole number", count)
	}
	per, err := parseWindow(strings.TrimSpace(window))
	if err != nil {
		return Rate{}, err
	}
	r := Rate{N: n, Per: per}
	return r, r.validate()
}

func parseWindow(s string) (time.Duration, error) {
	switch s {
	case "s":
		return time.Second, nil
	case "m":
		return time.Minute, nil
	case "h":
		return time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("window %q: want s, m, h or a duration such as 2s", s)
	}
	return d, nil
}

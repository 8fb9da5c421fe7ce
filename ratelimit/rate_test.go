package ratelimit

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		spec string
		want []Rate
	}{
		{"1/s,60/m", []Rate{{1, time.Second}, {60, time.Minute}}},
		{" 3/s , 60/m ", []Rate{{3, time.Second}, {60, time.Minute}}},
		{"30/m", []Rate{{30, time.Minute}}},
		{"1000/h", []Rate{{1000, time.Hour}}},
		{"6/200ms,40/2s", []Rate{{6, 200 * time.Millisecond}, {40, 2 * time.Second}}},
		{"1/90s", []Rate{{1, 90 * time.Second}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.spec, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.spec, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		spec string
		want string // part of the error
	}{
		{"", "empty rate limit"},
		{"  ", "empty rate limit"},
		{"fast", `part 1 "fast": want N/s`},
		{"30/d", `part 1 "30/d": window "d"`},
		{"1/s,", `part 2 "": want N/s`},
		{"1/s,x/m", `part 2 "x/m": count "x" is not a whole number`},
		{"1.5/s", `count "1.5" is not a whole number`},
		{"0/s", "count 0: want at least 1"},
		{"-1/s", "count -1: want at least 1"},
		{"2000000/s", "want at most 1000000"},
		{"1/0s", "window 0s: want at least 1ms"},
		{"1/-1s", "window -1s: want at least 1ms"},
		{"1/10us", "window 10µs: want at least 1ms"},
		{"1/s/s", `window "s/s"`},
		{"1/s,2/1s", `part 2 "2/1s": window 1s already given by "1/s"`},
		{"60/m,1/m", `already given by "60/m"`},
	}
	for _, tt := range tests {
		got, err := Parse(tt.spec)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error", tt.spec, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error %q does not mention %q", tt.spec, err, tt.want)
		}
	}
}

func TestRateString(t *testing.T) {
	tests := []struct {
		rate Rate
		want string
	}{
		{Rate{1, time.Second}, "1/s"},
		{Rate{60, time.Minute}, "60/m"},
		{Rate{100, time.Hour}, "100/h"},
		{Rate{6, 200 * time.Millisecond}, "6/200ms"},
		{Rate{1, 90 * time.Second}, "1/1m30s"},
	}
	for _, tt := range tests {
		if got := tt.rate.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.rate, got, tt.want)
		}
		back, err := Parse(tt.want)
		if err != nil || len(back) != 1 || back[0] != tt.rate {
			t.Errorf("Parse(%q) = %v, %v; want [%v]", tt.want, back, err, tt.rate)
		}
	}
}

// FuzzParse checks that Parse never panics and that what it accepts is a
// valid budget which survives a trip through String.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"1/s,60/m", "30/m", "3/s, 60/m", "10/200ms", "1/1m30s", "0/s", "1/s,1/s", "", ",", "1//s", "9999999999999999999/s"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		rates, err := Parse(spec)
		if err != nil {
			return
		}
		if len(rates) == 0 {
			t.Fatalf("Parse(%q) accepted an empty budget", spec)
		}
		parts := make([]string, len(rates))
		for i, r := range rates {
			if r.N < 1 || r.Per < minPer {
				t.Fatalf("Parse(%q) returned invalid rate %#v", spec, r)
			}
			parts[i] = r.String()
		}
		back, err := Parse(strings.Join(parts, ","))
		if err != nil || !reflect.DeepEqual(back, rates) {
			t.Fatalf("round trip of %q: %v, %v; want %v", spec, back, err, rates)
		}
	})
}

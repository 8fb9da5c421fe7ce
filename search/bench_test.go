package search

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"dubbot/anime"
)

// benchTitles is the catalog size the bot is specified for.
const benchTitles = 30000

var benchCatalog = sync1(func() []anime.Anime { return newSynth(1).catalog(benchTitles) })

// sync1 memoizes a fixture across benchmarks.
func sync1[T any](f func() T) func() T {
	var v T
	done := false
	return func() T {
		if !done {
			v, done = f(), true
		}
		return v
	}
}

// BenchmarkBuild measures a full rebuild of 30,000 anime and reports the
// heap the index holds (beyond the anime themselves).
func BenchmarkBuild(b *testing.B) {
	items := benchCatalog()
	x := New()
	for b.Loop() {
		x.Replace(items)
	}
	b.ReportMetric(float64(indexHeap(items))/(1<<20), "heap-MB")
}

// indexHeap is the live heap an index of items adds.
func indexHeap(items []anime.Anime) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := New()
	x.Replace(items)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(x)
	return after.HeapAlloc - before.HeapAlloc
}

// benchQueries mixes exact titles (romaji and English), titles with two
// typos, and a word and a half typed.
func benchQueries(items []anime.Anime, n int) []string {
	g := newSynth(2)
	qs := make([]string, 0, n)
	for i := range n {
		a := items[g.r.IntN(len(items))]
		title := a.Title
		if g.r.IntN(2) == 0 {
			title = a.English
		}
		switch i % 3 {
		case 0:
			qs = append(qs, title)
		case 1:
			qs = append(qs, g.typo(title, 2))
		default:
			qs = append(qs, partial(title, 1+g.r.IntN(3)))
		}
	}
	return qs
}

// partial is the first words of a title and part of the next.
func partial(title string, words int) string {
	ws := strings.Fields(title)
	if len(ws) <= words {
		return title
	}
	next := ws[words]
	return strings.Join(ws[:words], " ") + " " + next[:min(len(next), 3)]
}

func BenchmarkSearch(b *testing.B) {
	items := benchCatalog()
	x := New()
	x.Replace(items)
	qs := benchQueries(items, 3000)
	benchLatency(b, qs, func(q string) { x.Search(q, Filter{}, 10) })
}

func BenchmarkSearchDubbed(b *testing.B) {
	items := benchCatalog()
	x := New()
	x.Replace(items)
	qs := benchQueries(items, 3000)
	dubbed := func(id int) bool { return id%5 == 0 }
	benchLatency(b, qs, func(q string) { x.Search(q, Filter{Dubbed: dubbed}, 10) })
}

func BenchmarkAutocomplete(b *testing.B) {
	items := benchCatalog()
	x := New()
	x.Replace(items)
	g := newSynth(3)
	qs := make([]string, 3000)
	for i := range qs {
		t := items[g.r.IntN(len(items))].English
		qs[i] = t[:min(len(t), 1+g.r.IntN(16))]
	}
	benchLatency(b, qs, func(q string) { x.Autocomplete(q, Filter{}, MaxAutocomplete) })
}

// BenchmarkUpsert measures one incremental update at 30,000 anime,
// including the amortized rebuild when the delta layer is full.
func BenchmarkUpsert(b *testing.B) {
	items := benchCatalog()
	x := New()
	x.Replace(items)
	i := 0
	for b.Loop() {
		a := items[i%len(items)]
		a.Members++
		x.Upsert(a)
		i++
	}
}

// benchLatency runs one query per iteration and reports per-query p50 and
// p99 latency.
func benchLatency(b *testing.B, qs []string, run func(string)) {
	lat := make([]time.Duration, 0, 1<<16)
	i := 0
	for b.Loop() {
		start := time.Now()
		run(qs[i%len(qs)])
		lat = append(lat, time.Since(start))
		i++
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

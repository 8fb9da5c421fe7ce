package search

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"dubbot/anime"
)

// Result is one anime found by a search.
type Result struct {
	Anime   anime.Anime
	Score   float64 // match quality (0..1) plus a small popularity bonus
	Matched string  // the title that matched, to show beside the main one
}

// Filter narrows a search. Zero fields do not filter.
type Filter struct {
	// Dubbed reports whether an anime has an English dub; nil means any.
	// It is asked only about likely results.
	Dubbed func(id int) bool
	Type   string // TV, Movie, OVA, ONA, Special (any case)
	Year   int    // first broadcast year
}

func (f *Filter) allows(a *anime.Anime) bool {
	return (f.Type == "" || strings.EqualFold(a.Type, f.Type)) &&
		(f.Year == 0 || a.Year == f.Year) &&
		(f.Dubbed == nil || f.Dubbed(a.ID))
}

// Limits and thresholds of searches.
const (
	MaxSearch       = 100 // most results a search returns
	MaxAutocomplete = 25  // Discord's limit on autocomplete choices
	// GoodScore is the score from which the best result is a real match;
	// below it the caller should ask the upstream search instead.
	GoodScore = 0.72
	minScore  = 0.3 // weaker results are noise and are dropped
	// shortlistExtra is how many more docs than asked for are scored
	// precisely, so the cheap first pass cannot drop the right one.
	shortlistExtra = 24
)

// Good reports whether results hold a real match rather than noise.
func Good(results []Result) bool {
	return len(results) > 0 && results[0].Score >= GoodScore
}

// Search returns up to limit anime whose titles match query, best first.
func (x *Index) Search(query string, f Filter, limit int) []Result {
	q := parseQuery(query, false)
	return x.run(&q, &f, min(limit, MaxSearch))
}

// Autocomplete returns up to limit (at most 25) anime for partially typed
// input, whose last word may be unfinished. Empty input lists the most
// popular anime.
func (x *Index) Autocomplete(prefix string, f Filter, limit int) []Result {
	q := parseQuery(prefix, true)
	limit = min(limit, MaxAutocomplete)
	if len(q.terms) == 0 {
		return x.popular(&f, limit)
	}
	return x.run(&q, &f, limit)
}

// run searches both layers, and again with spelled-out initials when the
// query has some, and merges the results.
func (x *Index) run(q *query, f *Filter, limit int) []Result {
	if limit <= 0 || len(q.terms) == 0 {
		return nil
	}
	st := x.state.Load()
	out := st.search(q, f, limit+shortlistExtra, 1, nil)
	for _, s := range []*snapshot{st.base, st.delta} {
		if alt, ok := s.expansion(q); ok {
			out = st.search(&alt, f, limit+shortlistExtra, expandDiscount, out)
			break
		}
	}
	slices.SortFunc(out, byScore)
	seen := make(map[int]bool, len(out))
	kept := out[:0]
	for _, r := range out {
		if r.Score < minScore || len(kept) == limit {
			break
		}
		if !seen[r.Anime.ID] {
			seen[r.Anime.ID] = true
			kept = append(kept, r)
		}
	}
	return kept
}

// search runs q over both layers, scaling quality by factor.
func (st *state) search(q *query, f *Filter, k int, factor float32, out []Result) []Result {
	out = st.base.search(q, f, k, factor, st.isHidden, out)
	return st.delta.search(q, f, k, factor, func(int32) bool { return false }, out)
}

// search runs one query over one snapshot and appends its results.
func (s *snapshot) search(q *query, f *Filter, k int, factor float32, hidden func(int32) bool, out []Result) []Result {
	if len(s.docs) == 0 {
		return out
	}
	sc := s.scratchs.Get().(*scratch)
	defer s.release(sc)
	m := s.match(q, sc)
	s.accumulate(q, m, sc)
	for _, c := range s.shortlist(q, m, sc, f, k, hidden) {
		if c.name < 0 {
			continue
		}
		a := &s.docs[c.doc]
		nm := &s.names[c.name]
		out = append(out, Result{
			Anime:   *a,
			Score:   float64(c.q*factor + q.bonus(s.docPop[c.doc])),
			Matched: nm.kind.text(a, int(nm.syn)),
		})
	}
	return out
}

// popular lists the most popular anime that pass f.
func (x *Index) popular(f *Filter, limit int) []Result {
	st := x.state.Load()
	var out []Result
	for _, layer := range []struct {
		s      *snapshot
		hidden func(int32) bool
	}{{st.base, st.isHidden}, {st.delta, func(int32) bool { return false }}} {
		n := 0
		for _, d := range layer.s.byPop {
			if n == limit {
				break
			}
			a := &layer.s.docs[d]
			if !layer.hidden(d) && f.allows(a) {
				out = append(out, Result{Anime: *a, Matched: a.DisplayTitle()})
				n++
			}
		}
	}
	slices.SortFunc(out, byScore)
	return out[:min(limit, len(out))]
}

// maxChoiceName is Discord's limit on the name of a command option choice.
const maxChoiceName = 100

// ChoiceName renders an anime as an autocomplete choice, "Title (2019, TV)",
// so that namesakes are told apart; it fits Discord's 100-character limit.
func ChoiceName(a anime.Anime) string {
	var meta []string
	if a.Year > 0 {
		meta = append(meta, strconv.Itoa(a.Year))
	}
	if a.Type != "" {
		meta = append(meta, a.Type)
	}
	suffix := ""
	if len(meta) > 0 {
		suffix = " (" + strings.Join(meta, ", ") + ")"
	}
	title := strings.Join(strings.Fields(a.DisplayTitle()), " ")
	if title == "" {
		title = "#" + strconv.Itoa(a.ID)
	}
	return truncate(title, maxChoiceName-utf16Len(suffix)) + suffix
}

// truncate shortens s to at most n UTF-16 units (Discord counts those),
// marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf16Len(s) <= n {
		return s
	}
	width := 0
	for i, r := range s {
		width += utf16.RuneLen(r)
		if width > n-1 {
			return strings.TrimSpace(s[:i]) + "…"
		}
	}
	return s
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

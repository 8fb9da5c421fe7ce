package search

import (
	"cmp"
	"slices"

	"dubbot/anime"
)

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

// hit is a scored match, turned into a Result only if it is kept.
type hit struct {
	s     *snapshot
	doc   int32
	name  int32
	score float32
}

func (h *hit) anime() *anime.Anime { return &h.s.docs[h.doc] }

// byHitScore orders hits best first; ties go to the more popular, then the
// lower id, so output is deterministic.
func byHitScore(a, b hit) int {
	x, y := a.anime(), b.anime()
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(y.Members, x.Members), cmp.Compare(x.ID, y.ID))
}

// run searches both layers, and again with spelled-out initials when the
// query has some, and merges the results.
func (x *Index) run(q *query, f *Filter, limit int) []Result {
	if limit <= 0 || len(q.terms) == 0 {
		return nil
	}
	st := x.state.Load()
	k := limit + shortlistExtra
	hits := st.search(q, f, k, 1, nil)
	for _, s := range []*snapshot{st.base, st.delta} {
		if alt, ok := s.expansion(q); ok {
			hits = st.search(&alt, f, k, expandDiscount, hits)
			break
		}
	}
	slices.SortFunc(hits, byHitScore)
	var out []Result
	for _, h := range hits {
		if h.score < minScore || len(out) == limit {
			break
		}
		a := h.anime()
		if !slices.ContainsFunc(out, func(r Result) bool { return r.Anime.ID == a.ID }) {
			nm := &h.s.names[h.name]
			out = append(out, Result{Anime: *a, Score: float64(h.score), Matched: nm.kind.text(a, int(nm.syn))})
		}
	}
	return out
}

// search runs q over both layers, scaling match quality by factor.
func (st *state) search(q *query, f *Filter, k int, factor float32, out []hit) []hit {
	out = st.base.search(q, f, k, factor, st.isHidden, out)
	return st.delta.search(q, f, k, factor, noneHidden, out)
}

func noneHidden(int32) bool { return false }

// search runs one query over one snapshot and appends its hits.
func (s *snapshot) search(q *query, f *Filter, k int, factor float32, hidden func(int32) bool, out []hit) []hit {
	if len(s.docs) == 0 {
		return out
	}
	sc := s.getScratch()
	defer s.release(sc)
	m := s.match(q, sc)
	s.accumulate(q, m, sc)
	for _, c := range s.shortlist(q, m, sc, f, k, hidden) {
		if c.name >= 0 {
			out = append(out, hit{s, c.doc, c.name, c.q*factor + q.bonus(s.docPop[c.doc])})
		}
	}
	return out
}

// popular lists the most popular anime that pass f.
func (x *Index) popular(f *Filter, limit int) []Result {
	st := x.state.Load()
	var hits []hit
	for _, l := range []struct {
		s      *snapshot
		hidden func(int32) bool
	}{{st.base, st.isHidden}, {st.delta, noneHidden}} {
		n := 0
		for _, d := range l.s.byPop {
			if n == limit {
				break
			}
			if !l.hidden(d) && f.allows(&l.s.docs[d]) {
				hits = append(hits, hit{s: l.s, doc: d})
				n++
			}
		}
	}
	slices.SortFunc(hits, byHitScore)
	out := make([]Result, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		a := h.anime()
		out = append(out, Result{Anime: *a, Matched: a.DisplayTitle()})
	}
	return out
}

package search

import (
	"cmp"
	"slices"
)

// scratch is the per-search working memory of one snapshot, pooled because
// it is sized to the snapshot. It is reset before it is pooled.
type scratch struct {
	acc         []float32 // per name: weighted quality of the terms it matched
	mask        []uint16  // per name: which terms matched it
	touched     []uint32  // names with a non-zero mask
	docBest     []float32 // per doc: best estimate among its names
	docs        []int32   // docs with a non-zero docBest
	gramCount   []uint8   // per token: trigrams shared with a typed term
	gramTouched []uint32
	grams       []uint32
	near        []tokDist
	prefix      []uint32
	heap        []cand
	matches     matches
}

func newScratch(s *snapshot) *scratch {
	return &scratch{
		acc:       make([]float32, len(s.names)),
		mask:      make([]uint16, len(s.names)),
		docBest:   make([]float32, len(s.docs)),
		gramCount: make([]uint8, len(s.vocab)),
		matches:   matches{rowOf: make([]int32, len(s.vocab))},
	}
}

// cand is a doc that made it through the cheap first pass.
type cand struct {
	doc  int32
	key  float32
	name int32   // best name, after the precise pass
	q    float32 // precise quality of that name
}

// Candidate pruning. A term whose postings exceed commonAbove ("no",
// "the", a sequel number) only scores names that rarer terms already found.
// So do all remaining terms once the terms processed cover half the query
// and found pruneAfter names: a name matching only the rest explains less
// than half the query.
const (
	commonAbove = 2048
	pruneAfter  = 256
)

// accumulate credits every name with the weighted quality of each query
// term it matches (the best match per term), rarest terms first.
func (s *snapshot) accumulate(q *query, m *matches, sc *scratch) {
	order := make([]int, len(q.terms))
	volume := make([]int, len(q.terms))
	for i := range q.terms {
		order[i] = i
		for _, tq := range m.perTerm[i] {
			volume[i] += len(s.postings(tq.tok))
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(volume[a], volume[b]) })
	var covered float32
	for _, i := range order {
		onlyTouched := len(sc.touched) > 0 && (volume[i] > commonAbove ||
			(2*covered >= q.wsum && len(sc.touched) >= pruneAfter))
		s.credit(m, sc, i, q.weight[i], onlyTouched)
		if volume[i] > 0 {
			covered += q.weight[i]
		}
	}
}

// credit adds term i's weighted quality to the names it matches.
func (s *snapshot) credit(m *matches, sc *scratch, i int, w float32, onlyTouched bool) {
	bit := uint16(1) << i
	for _, tq := range m.perTerm[i] {
		for _, n := range s.postings(tq.tok) {
			mask := sc.mask[n]
			if mask&bit != 0 || (onlyTouched && mask == 0) {
				continue
			}
			if mask == 0 {
				sc.touched = append(sc.touched, n)
			}
			sc.mask[n] = mask | bit
			sc.acc[n] += w * tq.q
		}
	}
}

// estimate is the cheap score of a name from its accumulated quality; it
// assumes matched query terms line up with equally weighted title terms.
func (q *query) estimate(acc, nameWeight float32) float32 {
	return (queryCoverW+orderW)*q.coverage(acc) + nameCoverW*min(acc/nameWeight, 1)
}

// shortlist keeps the k best docs by estimate that pass the filter, each
// scored precisely by its best name. hidden reports docs shadowed by a
// newer layer.
func (s *snapshot) shortlist(q *query, m *matches, sc *scratch, f *Filter, k int, hidden func(int32) bool) []cand {
	for _, n := range sc.touched {
		nm := &s.names[n]
		est := q.estimate(sc.acc[n], nm.weight) * nm.factor()
		if sc.docBest[nm.doc] == 0 {
			sc.docs = append(sc.docs, nm.doc)
		}
		sc.docBest[nm.doc] = max(sc.docBest[nm.doc], est)
	}
	h := sc.heap[:0]
	for _, d := range sc.docs {
		c := cand{doc: d, key: sc.docBest[d] + q.bonus(s.docPop[d])}
		if len(h) == k && c.key <= h[0].key {
			continue
		}
		if hidden(d) || !f.allows(&s.docs[d]) {
			continue
		}
		h = pushBounded(h, c, k)
	}
	for i := range h {
		h[i].name, h[i].q = s.bestName(q, m, sc, h[i].doc)
	}
	sc.heap = h
	return h
}

// pushBounded adds c to the min-heap h (by key), which holds at most k.
func pushBounded(h []cand, c cand, k int) []cand {
	less := func(a, b cand) bool { return a.key < b.key }
	if len(h) < k {
		h = append(h, c)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !less(h[i], h[p]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
		return h
	}
	h[0] = c
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < len(h) && less(h[l], h[small]) {
			small = l
		}
		if l+1 < len(h) && less(h[l+1], h[small]) {
			small = l + 1
		}
		if small == i {
			return h
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
}

// bestName scores every matched name of doc d precisely and returns the
// best with its quality.
func (s *snapshot) bestName(q *query, m *matches, sc *scratch, d int32) (int32, float32) {
	best, bestQ := int32(-1), float32(-1)
	for n := s.nameLo[d]; n < s.nameLo[d+1]; n++ {
		if sc.mask[n] == 0 {
			continue
		}
		nm := &s.names[n]
		if qual := s.align(q, m, nm) * nm.factor(); qual > bestQ {
			best, bestQ = int32(n), qual
		}
	}
	return best, bestQ
}

// getScratch takes pooled working memory, or makes it. The pool is a
// channel rather than a sync.Pool, which drops its contents at every GC and
// would make searches reallocate megabytes.
func (s *snapshot) getScratch() *scratch {
	select {
	case sc := <-s.free:
		return sc
	default:
		return newScratch(s)
	}
}

// release resets sc for reuse and pools it.
func (s *snapshot) release(sc *scratch) {
	for _, n := range sc.touched {
		sc.acc[n], sc.mask[n] = 0, 0
	}
	for _, d := range sc.docs {
		sc.docBest[d] = 0
	}
	sc.touched, sc.docs, sc.heap = sc.touched[:0], sc.docs[:0], sc.heap[:0]
	select {
	case s.free <- sc:
	default:
	}
}

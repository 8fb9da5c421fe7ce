package search

import (
	"cmp"
	"slices"
)

// scratch is the per-search working memory of one snapshot, pooled because
// it is sized to the snapshot. Every field is reset before it is pooled.
type scratch struct {
	acc         []float32 // per name: weighted quality of the terms it matched
	mask        []uint16  // per name: which terms matched it
	touched     []uint32  // names with a non-zero mask
	docBest     []float32 // per doc: best estimate among its names
	docs        []int32   // docs with a non-zero docBest
	gramCount   []uint8   // per token: trigrams shared with the typed term
	gramTouched []uint32
	grams       []uint32
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
		matches:   matches{rowOf: make(map[uint32]int32)},
	}
}

// cand is a doc that made it through the cheap first pass.
type cand struct {
	doc  int32
	key  float32
	name int32   // best name, after the precise pass
	q    float32 // precise quality of that name
}

// probeAbove is the posting volume above which a common term ("no", "the")
// only scores names that other terms already found, instead of walking its
// whole posting list.
const probeAbove = 4096

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
	for _, i := range order {
		if volume[i] > probeAbove && len(sc.touched) > 0 {
			s.probe(q, m, sc, i)
			continue
		}
		bit, w := uint16(1)<<i, q.weight[i]
		for _, tq := range m.perTerm[i] {
			for _, n := range s.postings(tq.tok) {
				if sc.mask[n]&bit != 0 {
					continue
				}
				if sc.mask[n] == 0 {
					sc.touched = append(sc.touched, n)
				}
				sc.mask[n] |= bit
				sc.acc[n] += w * tq.q
			}
		}
	}
}

// probe credits term i to the names already touched, by looking at their
// own terms.
func (s *snapshot) probe(q *query, m *matches, sc *scratch, i int) {
	bit := uint16(1) << i
	for _, n := range sc.touched {
		var best float32
		for _, t := range s.toks(&s.names[n]) {
			if r := m.row(t); r != nil {
				best = max(best, r[i])
			}
		}
		if best > 0 {
			sc.mask[n] |= bit
			sc.acc[n] += q.weight[i] * best
		}
	}
}

// estimate is the cheap score of a name from its accumulated quality; it
// assumes matched query terms line up with equally weighted title terms.
func estimate(acc, nameWeight, wsum float32) float32 {
	return (queryCoverW+orderW)*min(acc/wsum, 1) + nameCoverW*min(acc/nameWeight, 1)
}

// shortlist keeps the k best docs by estimate that pass the filter, each
// scored precisely by its best name. hidden reports docs shadowed by a
// newer layer.
func (s *snapshot) shortlist(q *query, m *matches, sc *scratch, f *Filter, k int, hidden func(int32) bool) []cand {
	for _, n := range sc.touched {
		nm := &s.names[n]
		est := estimate(sc.acc[n], nm.weight, q.wsum) * nm.kind.factor()
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
	year := s.docs[d].Year
	for n := s.nameLo[d]; n < s.nameLo[d+1]; n++ {
		if sc.mask[n] == 0 {
			continue
		}
		nm := &s.names[n]
		if qual := s.align(q, m, nm, year) * nm.kind.factor(); qual > bestQ {
			best, bestQ = int32(n), qual
		}
	}
	return best, bestQ
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
	s.scratchs.Put(sc)
}

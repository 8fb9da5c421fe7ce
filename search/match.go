package search

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// maxTerms bounds the query terms that are matched; longer queries are cut.
// It fits the 16-bit term masks and all but a handful of titles.
const maxTerms = 16

// query is a parsed search.
type query struct {
	terms     []string
	weight    []float32
	wsum      float32
	minPrefix int  // shortest last term that is expanded as a prefix
	complete  bool // autocomplete: rank with more weight on popularity
	japanese  bool // written in Japanese script (numbers aside)
}

// parseQuery normalizes s into a query. The last term may be a prefix of a
// title word: always in autocomplete, from two letters in a search.
func parseQuery(s string, complete bool) query {
	return newQuery(terms(s), complete)
}

func newQuery(terms []string, complete bool) query {
	q := query{terms: terms, minPrefix: 2, complete: complete}
	if complete {
		q.minPrefix = 1
	}
	if len(q.terms) > maxTerms {
		q.terms = q.terms[:maxTerms]
	}
	for _, t := range q.terms {
		w := termWeight(t)
		q.weight = append(q.weight, w)
		q.wsum += w
	}
	q.japanese = isJapaneseQuery(q.terms)
	return q
}

// isJapaneseQuery reports terms written in Japanese script, numbers aside.
func isJapaneseQuery(terms []string) bool {
	kana := false
	for _, t := range terms {
		switch {
		case isNumber(t):
		case isASCII(t):
			return false
		default:
			kana = true
		}
	}
	return kana
}

// Match qualities: how well one query term fits one title term.
const (
	exactQ    = 1.0
	joinQ     = 0.95 // "fullmetal" typed as "full metal", or the reverse
	typoQ     = 0.82 // one edit; each further edit costs as much again
	typoStepQ = 0.18
)

// prefixQ scores a query term that is the start of a longer title term.
func prefixQ(typed, full int) float32 {
	return prefixBaseQ + 0.4*float32(typed)/float32(full)
}

// prefixBaseQ is the least a prefix match is worth. When the last term
// starts title words, its typos are scaled by it, so they rank below every
// word the typed letters really start: "frie" is Frieren being typed before
// it is a typo of "fire", however popular Fire Force is. A term that starts
// no word keeps full typo quality: "frieran" is a typo of "frieren".
const prefixBaseQ = 0.55

// tokQ is a vocabulary term matched by a query term, with its quality.
type tokQ struct {
	tok uint32
	q   float32
}

// matches is how the terms of a query matched one snapshot's vocabulary.
type matches struct {
	perTerm [maxTerms][]tokQ // best first
	split   [maxTerms]bool   // the term is two title words run together
	joined  [maxTerms]uint32 // 1 + the token the term forms with the previous one, or 0
	rowOf   []int32          // per token: 1 + its index into rows, 0 when unmatched
	rowTok  []uint32
	rows    [][maxTerms]float32
}

func (m *matches) reset() {
	for i := range m.perTerm {
		m.perTerm[i] = m.perTerm[i][:0]
	}
	m.split, m.joined = [maxTerms]bool{}, [maxTerms]uint32{}
	for _, t := range m.rowTok {
		m.rowOf[t] = 0
	}
	m.rowTok, m.rows = m.rowTok[:0], m.rows[:0]
}

// add records that term i matches token tok with quality q.
func (m *matches) add(i int, tok uint32, q float32) {
	r := m.rowOf[tok] - 1
	if r < 0 {
		r = int32(len(m.rows))
		m.rowOf[tok] = r + 1
		m.rowTok = append(m.rowTok, tok)
		m.rows = append(m.rows, [maxTerms]float32{})
	}
	if m.rows[r][i] >= q {
		return
	}
	m.rows[r][i] = q
	m.perTerm[i] = append(m.perTerm[i], tokQ{tok, q})
}

// row returns the qualities of every term for token tok, or nil.
func (m *matches) row(tok uint32) *[maxTerms]float32 {
	if r := m.rowOf[tok]; r > 0 {
		return &m.rows[r-1]
	}
	return nil
}

// match finds, for every query term, the vocabulary terms it can stand for:
// itself, longer words it starts (last term only), words within a few typos,
// and words it splits into or joins with its neighbour.
func (s *snapshot) match(q *query, sc *scratch) *matches {
	m := &sc.matches
	m.reset()
	last := len(q.terms) - 1
	for i, term := range q.terms {
		started := i == last && len(term) >= q.minPrefix && s.matchPrefix(m, i, term, sc)
		if tok, exact := s.lookup(term); exact {
			m.add(i, tok, exactQ)
		} else {
			typo := float32(1)
			if started {
				typo = prefixBaseQ
			}
			s.matchTypos(m, i, term, typo, sc)
			m.split[i] = s.matchSplit(m, i, term)
		}
		s.matchPlural(m, i, term)
		if i < last {
			if t, ok := s.lookup(term + q.terms[i+1]); ok { // "full metal"
				m.add(i, t, joinQ)
				m.add(i+1, t, joinQ)
				m.joined[i+1] = t + 1
			}
		}
	}
	for i := range q.terms {
		slices.SortFunc(m.perTerm[i], func(a, b tokQ) int { return cmp.Compare(b.q, a.q) })
	}
	return m
}

// matchPlural matches a word with and without a final "s", which plurals
// and possessives ("JoJo's" is "jojos") add; it is one typo away but found
// even when both forms are words.
func (s *snapshot) matchPlural(m *matches, i int, term string) {
	if len(term) < 4 || !fuzzyEligible(term) {
		return
	}
	other := term + "s"
	if strings.HasSuffix(term, "s") && len(term) > 4 {
		other = term[:len(term)-1]
	}
	if t, ok := s.lookup(other); ok {
		m.add(i, t, typoQ)
	}
}

// typoCap bounds how many words a typed word may be a typo of; the closest
// words of the most popular anime are kept.
const typoCap = 32

// matchTypos adds the vocabulary terms within a few typos of term, their
// quality scaled by scale.
func (s *snapshot) matchTypos(m *matches, i int, term string, scale float32, sc *scratch) {
	near := s.similar(term, sc, sc.near[:0])
	if len(near) > typoCap {
		slices.SortFunc(near, func(a, b tokDist) int {
			return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(s.tokPop[b.tok], s.tokPop[a.tok]))
		})
		near = near[:typoCap]
	}
	for _, n := range near {
		m.add(i, n.tok, scale*(typoQ-typoStepQ*float32(n.dist-1)))
	}
	sc.near = near
}

// prefixCap and prefixBudget bound how many words, and how many names, a
// short prefix expands to; the words of the most popular anime are kept.
const (
	prefixCap    = 96
	prefixBudget = 4000
)

// matchPrefix adds the vocabulary terms that start with term, and reports
// whether there were any besides term itself.
func (s *snapshot) matchPrefix(m *matches, i int, term string, sc *scratch) bool {
	lo, _ := s.lookup(term)
	hi := int(lo) + sort.Search(len(s.vocab)-int(lo), func(i int) bool {
		return !strings.HasPrefix(s.vocab[int(lo)+i], term)
	})
	toks := sc.prefix[:0]
	for t := uint32(lo); t < uint32(hi); t++ {
		toks = append(toks, t)
	}
	if len(toks) > prefixCap {
		toks = topByPop(toks, s.tokPop, prefixCap)
	}
	slices.SortFunc(toks, func(a, b uint32) int { return cmp.Compare(s.tokPop[b], s.tokPop[a]) })
	volume, started := 0, false
	for _, t := range toks {
		if volume > prefixBudget {
			break
		}
		if s.vocab[t] != term {
			m.add(i, t, prefixQ(len(term), len(s.vocab[t])))
			started = true
		}
		volume += len(s.postings(t))
	}
	sc.prefix = toks
	return started
}

// topByPop moves the n tokens with the highest pop to the front of toks and
// returns them.
func topByPop(toks []uint32, pop []int32, n int) []uint32 {
	// Partial selection: keep toks[:n] as a min-heap of the best so far.
	less := func(a, b uint32) bool { return pop[a] < pop[b] }
	h := toks[:n]
	for i := n/2 - 1; i >= 0; i-- {
		siftDown(h, i, less)
	}
	for _, t := range toks[n:] {
		if less(h[0], t) {
			h[0] = t
			siftDown(h, 0, less)
		}
	}
	return h
}

func siftDown(h []uint32, i int, less func(a, b uint32) bool) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && less(h[c+1], h[c]) {
			c++
		}
		if !less(h[c], h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// matchSplit matches a term that is two title words run together
// ("steinsgate", "kaguyasama") and reports whether it found them.
func (s *snapshot) matchSplit(m *matches, i int, term string) bool {
	if len(term) < 4 || !isASCII(term) {
		return false
	}
	for p := 2; p <= len(term)-2; p++ {
		a, okA := s.lookup(term[:p])
		b, okB := s.lookup(term[p:])
		if okA && okB {
			m.add(i, a, joinQ)
			m.add(i, b, joinQ)
			return true
		}
	}
	return false
}

package search

import (
	"slices"
	"sort"
)

// trigrams indexes the all-letter terms of a vocabulary by their letter
// trigrams, padded with two boundary marks each side ("^^ab", ..., "yz$$"),
// so that terms within a few edits of a typo share most of them. Each list
// is ordered by term length, so a search reads only the terms whose length
// is within reach.
type trigrams struct {
	lo     []uint32 // terms with gram g are tok[lo[g]:lo[g+1]]
	tok    []uint32
	tokLen []uint8 // per vocabulary term
}

// gramSpace is the number of distinct trigrams over a-z plus the pad.
const gramSpace = 27 * 27 * 27

// maxFuzzyLen bounds the terms indexed for typos; editDistance's rows fit.
const maxFuzzyLen = 62

// fuzzyEligible reports whether term is indexed by letter trigrams.
func fuzzyEligible(term string) bool {
	if len(term) < 3 || len(term) > maxFuzzyLen {
		return false
	}
	for i := 0; i < len(term); i++ {
		if term[i] < 'a' || term[i] > 'z' {
			return false
		}
	}
	return true
}

// maxEdits is the typo budget for a query term of n letters.
func maxEdits(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 9:
		return 1
	}
	return 2
}

// appendGrams appends the distinct padded trigrams of an all-letter term.
func appendGrams(buf []uint32, term string) []uint32 {
	start := len(buf)
	at := func(i int) uint32 {
		if i < 0 || i >= len(term) {
			return 0
		}
		return uint32(term[i]-'a') + 1
	}
	for i := -2; i < len(term); i++ {
		g := (at(i)*27+at(i+1))*27 + at(i+2)
		if !slices.Contains(buf[start:], g) {
			buf = append(buf, g)
		}
	}
	return buf
}

// buildTrigrams indexes vocab by letter trigrams. Terms are added shortest
// first, which leaves every list ordered by length.
func buildTrigrams(vocab []string) trigrams {
	tg := trigrams{tokLen: make([]uint8, len(vocab))}
	var byLen [maxFuzzyLen + 1][]uint32
	for id, t := range vocab {
		if fuzzyEligible(t) {
			tg.tokLen[id] = uint8(len(t))
			byLen[len(t)] = append(byLen[len(t)], uint32(id))
		}
	}
	count := make([]uint32, gramSpace+1)
	var buf []uint32
	for _, ids := range byLen {
		for _, id := range ids {
			for _, g := range appendGrams(buf[:0], vocab[id]) {
				count[g+1]++
			}
		}
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	tg.lo, tg.tok = slices.Clone(count), make([]uint32, count[gramSpace])
	for _, ids := range byLen {
		for _, id := range ids {
			for _, g := range appendGrams(buf[:0], vocab[id]) {
				tg.tok[count[g]] = id
				count[g]++
			}
		}
	}
	return tg
}

// window returns the terms with gram g whose length is within [lo, hi].
func (tg *trigrams) window(g uint32, lo, hi int) []uint32 {
	list := tg.tok[tg.lo[g]:tg.lo[g+1]]
	i := sort.Search(len(list), func(i int) bool { return int(tg.tokLen[list[i]]) >= lo })
	j := i + sort.Search(len(list)-i, func(j int) bool { return int(tg.tokLen[list[i+j]]) > hi })
	return list[i:j]
}

// similar appends to out each vocabulary term within maxEdits of term
// (other than term itself), with its edit distance. An edit breaks at most
// three of the padded trigrams, a transposition four, so a term within k
// edits shares at least len(grams)-4k of them; only terms that do, and whose
// length is within k, have their edit distance computed.
func (s *snapshot) similar(term string, sc *scratch, out []tokDist) []tokDist {
	k := maxEdits(len(term))
	if k == 0 || !fuzzyEligible(term) {
		return out
	}
	grams := appendGrams(sc.grams[:0], term)
	sc.grams = grams
	need := max(1, len(grams)-4*k)
	touched := sc.gramTouched[:0]
	for _, g := range grams {
		for _, t := range s.grams.window(g, len(term)-k, len(term)+k) {
			if sc.gramCount[t] == 0 {
				touched = append(touched, t)
			}
			sc.gramCount[t]++
		}
	}
	for _, t := range touched {
		if cand := s.vocab[t]; int(sc.gramCount[t]) >= need && cand != term {
			if d := editDistance(term, cand, k); d <= k {
				out = append(out, tokDist{t, d})
			}
		}
		sc.gramCount[t] = 0
	}
	sc.gramTouched = touched
	return out
}

// tokDist is a vocabulary term near a typed one.
type tokDist struct {
	tok  uint32
	dist int
}

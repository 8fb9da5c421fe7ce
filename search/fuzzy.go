package search

import "slices"

// trigrams indexes the all-letter terms of a vocabulary by their letter
// trigrams, padded with two boundary marks each side ("^^ab", ..., "yz$$"),
// so that terms within a few edits of a typo share most of them.
type trigrams struct {
	lo  []uint32 // terms with gram g are tok[lo[g]:lo[g+1]]
	tok []uint32
}

// gramSpace is the number of distinct trigrams over a-z plus the pad.
const gramSpace = 27 * 27 * 27

// fuzzyEligible reports whether term is indexed by letter trigrams.
func fuzzyEligible(term string) bool {
	if len(term) < 3 {
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
	case n < 7:
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

// buildTrigrams indexes vocab, which is sorted, by letter trigrams.
func buildTrigrams(vocab []string) trigrams {
	count := make([]uint32, gramSpace+1)
	var buf []uint32
	for _, t := range vocab {
		if fuzzyEligible(t) {
			for _, g := range appendGrams(buf[:0], t) {
				count[g+1]++
			}
		}
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	tg := trigrams{lo: slices.Clone(count), tok: make([]uint32, count[gramSpace])}
	for id, t := range vocab {
		if fuzzyEligible(t) {
			for _, g := range appendGrams(buf[:0], t) {
				tg.tok[count[g]] = uint32(id)
				count[g]++
			}
		}
	}
	return tg
}

// similar calls fn for each vocabulary term within maxEdits of term (other
// than term itself), with its edit distance. Candidates must share enough
// trigrams to be within reach; the edit distance then decides.
func (s *snapshot) similar(term string, sc *scratch, fn func(tok uint32, dist int)) {
	k := maxEdits(len(term))
	if k == 0 || !fuzzyEligible(term) {
		return
	}
	grams := appendGrams(sc.grams[:0], term)
	sc.grams = grams
	// A substitution breaks at most three trigrams, a transposition four.
	need := max(1, len(grams)-4*k)
	touched := sc.gramTouched[:0]
	for _, g := range grams {
		for _, t := range s.grams.tok[s.grams.lo[g]:s.grams.lo[g+1]] {
			if sc.gramCount[t] == 0 {
				touched = append(touched, t)
			}
			sc.gramCount[t]++
		}
	}
	for _, t := range touched {
		cand := s.vocab[t]
		if int(sc.gramCount[t]) >= need && abs(len(cand)-len(term)) <= k && cand != term {
			if d := editDistance(term, cand, k); d <= k {
				fn(t, d)
			}
		}
		sc.gramCount[t] = 0
	}
	sc.gramTouched = touched
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions), or
// k+1 once it is known to exceed k.
func editDistance(a, b string, k int) int {
	if len(b) > 62 {
		return k + 1
	}
	var rows [3][64]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > k {
			return k + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], k+1)
}

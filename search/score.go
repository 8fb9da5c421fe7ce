package search

import (
	"math"
	"strconv"

	"dubbot/anime"
)

// Weights of the match quality of a name (they sum to 1).
const (
	queryCoverW = 0.62 // how much of the query the name explains
	nameCoverW  = 0.28 // how much of the name the query explains
	orderW      = 0.10 // words in the same order, starting at the front
)

// docRank is what a doc brings to ranking besides the match itself.
type docRank struct {
	pop    float32 // members on a log scale, 0..1
	recent float32 // first year, 1960..2030 as 0..1; 0 when unknown
}

func popularity(a *anime.Anime) docRank {
	var r docRank
	r.pop = float32(min(math.Log10(float64(max(a.Members, 0))+1)/7, 1))
	if a.Year > 0 {
		r.recent = float32(min(max(float64(a.Year-1960)/70, 0), 1))
	}
	return r
}

// bonus is added to match quality. It is small next to quality differences,
// so it orders matches of about the same quality: for a search by
// popularity and recency; while typing, popular shows come first sooner.
func (q *query) bonus(r docRank) float32 {
	if q.complete {
		return 0.10*r.pop + 0.02*r.recent
	}
	return 0.05*r.pop + 0.005*r.recent
}

// coverage is the share of the query that matched words of this weight
// explain. A query of only light words ("the", "2") can never be covered
// well: it says too little.
func (q *query) coverage(matched float32) float32 {
	return min(matched/max(q.wsum, 1), 1)
}

// yearQ is the quality of a query number that is not in the title but is
// the show's year ("fruits basket 2019").
const yearQ = 0.9

// align scores one name against the query: each query term takes the best
// unused name term in turn (preferring one after the previous match), and
// the score combines query coverage, name coverage and word order.
func (s *snapshot) align(q *query, m *matches, nm *name, year int) float32 {
	toks := s.toks(nm)
	var rows [maxNameTerms]*[maxTerms]float32
	for j, t := range toks {
		rows[j] = m.row(t)
	}
	var used uint64
	var qsum, nsum float32
	prev, first, pairs, inOrder := -1, -1, 0, 0
	for i := range q.terms {
		j, qual := bestTerm(rows[:len(toks)], used, i, prev)
		if j < 0 {
			qsum += q.weight[i] * s.unplaced(q, rows[:len(toks)], i, prev, year)
			continue
		}
		used |= 1 << j
		qsum += q.weight[i] * qual
		nsum += s.tokW[toks[j]] * qual
		if m.split[i] { // the second word of a run-together term
			if j2, q2 := bestTerm(rows[:len(toks)], used, i, j); j2 >= 0 {
				used |= 1 << j2
				nsum += s.tokW[toks[j2]] * q2
			}
		}
		if prev >= 0 {
			pairs++
			if j > prev {
				inOrder++
			}
		} else {
			first = j
		}
		prev = j
	}
	if qsum == 0 {
		return 0
	}
	order := float32(1)
	if pairs > 0 {
		order = float32(inOrder) / float32(pairs)
	}
	if first == 0 {
		order += 1
	}
	// Order only counts for the words that matched.
	qc := q.coverage(qsum)
	return qc*(queryCoverW+orderW*order/2) + nameCoverW*min(nsum/nm.weight, 1)
}

// bestTerm returns the unused name term that fits query term i best, and
// its quality; on a tie the first one after prev wins. -1 when none fits.
func bestTerm(rows []*[maxTerms]float32, used uint64, i, prev int) (int, float32) {
	best, bestQ := -1, float32(0)
	for j, r := range rows {
		if r == nil || used&(1<<j) != 0 || r[i] == 0 {
			continue
		}
		if r[i] > bestQ || (r[i] == bestQ && best < prev && j > prev) {
			best, bestQ = j, r[i]
		}
	}
	return best, bestQ
}

// unplaced is the quality of a query term no unused name term fits: it may
// be the second half of a joined word the previous term already took, or
// the show's year.
func (s *snapshot) unplaced(q *query, rows []*[maxTerms]float32, i, prev, year int) float32 {
	if prev >= 0 && rows[prev] != nil && rows[prev][i] > 0 {
		return rows[prev][i]
	}
	if year > 0 && isNumber(q.terms[i]) && q.terms[i] == strconv.Itoa(year) {
		return yearQ
	}
	return 0
}

package search

import (
	"math"
	"strings"

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
	main   float32 // how likely it is the entry a franchise is known by, 0..1
}

func popularity(a *anime.Anime, derived bool) docRank {
	r := docRank{main: typeMainW * typeMain(a.Type)}
	r.pop = float32(min(math.Log10(float64(max(a.Members, 0))+1)/7, 1))
	if a.Year > 0 {
		r.recent = float32(min(max(float64(a.Year-1960)/70, 0), 1))
	}
	if !derived {
		r.main += 1 - typeMainW
	}
	return r
}

// typeMainW is the share of docRank.main that the type decides; the rest
// goes to entries whose title does not extend a more popular one's. The
// title says more: a franchise's root is sometimes an OVA or a movie.
const typeMainW = 0.3

// typeMain scores a type by how often it is the entry a franchise is known
// by: the TV series first, its movies, OVAs, specials and recaps after.
func typeMain(typ string) float32 {
	switch strings.ToLower(typ) {
	case "tv":
		return 1
	case "movie", "ona":
		return 0.6
	case "ova", "":
		return 0.3
	}
	return 0
}

// bonus is added to match quality. It is small next to quality differences,
// so it orders matches of about the same quality: for a search by
// popularity, main entries and recency; while typing, popular shows come
// first sooner.
func (q *query) bonus(r docRank) float32 {
	if q.complete {
		return 0.10*r.pop + mainW*r.main + 0.02*r.recent
	}
	return 0.05*r.pop + mainW*r.main + 0.005*r.recent
}

// mainW is what being a franchise's main entry is worth: about a third of
// an unmatched word in a five-word title, so "kaguya sama" finds the TV
// series before "Kaguya-sama OVA" but never a worse match.
const mainW = 0.03

// coverage is the share of the query that matched words of this weight
// explain. A query of only light words ("the", "2") can never be covered
// well: it says too little.
func (q *query) coverage(matched float32) float32 {
	return min(matched/max(q.wsum, 1), 1)
}

// yearQ and typeQ are the quality of a query word that is not in the title
// but is the show's year ("fruits basket 2019") or type ("konosuba
// movie"). A type is the weaker hint: a title that has the word wins.
const (
	yearQ = 0.9
	typeQ = 0.8
)

// align scores one name against the query: each query term takes the best
// unused name term in turn (preferring one after the previous match), and
// the score combines query coverage, name coverage and word order.
func (s *snapshot) align(q *query, m *matches, nm *name) float32 {
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
			joined := prev >= 0 && m.joined[i] == toks[prev]+1
			qsum += q.weight[i] * s.unplaced(q, rows[:len(toks)], i, prev, joined, &s.docs[nm.doc])
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
	weight := nm.weight
	if q.japanese {
		weight = s.japaneseWeight(nm)
	}
	return qc*(queryCoverW+orderW*order/2) + nameCoverW*min(nsum/weight, 1)
}

// japaneseWeight is the weight of a name for a Japanese query, whose
// Latin words count as little as stop words: Japanese titles often carry a
// Latin gloss ("進撃の巨人 attack on titan") that such a query cannot be
// expected to repeat, though it may still tell two entries apart ("鋼の錬金術師
// FULLMETAL ALCHEMIST" is the 2009 series).
func (s *snapshot) japaneseWeight(nm *name) float32 {
	a := &s.docs[nm.doc]
	var w float32
	for _, t := range s.toks(nm) {
		term := s.vocab[t]
		switch {
		case isDisambiguator(term, a):
		case isASCII(term) && !isNumber(term):
			w += min(s.tokW[t], stopWeight)
		default:
			w += s.tokW[t]
		}
	}
	if w == 0 {
		return nm.weight
	}
	return w
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
// be the second half of a joined word the previous term already took
// ("full metal"), or the show's year or type ("fruits basket 2019",
// "konosuba movie"). A repeated word ("hunter hunter") is neither.
func (s *snapshot) unplaced(q *query, rows []*[maxTerms]float32, i, prev int, joined bool, a *anime.Anime) float32 {
	if joined && rows[prev] != nil && rows[prev][i] > 0 {
		return rows[prev][i]
	}
	term := q.terms[i]
	if isYear(term, a.Year) {
		return yearQ
	}
	if typ, ok := typeWords[term]; ok && strings.EqualFold(typ, a.Type) {
		return typeQ
	}
	return 0
}

// typeWords are the query words that name a type of entry.
var typeWords = map[string]string{
	"tv": "TV", "movie": "Movie", "film": "Movie", "ova": "OVA", "oad": "OVA",
	"ona": "ONA", "special": "Special", "specials": "Special",
}

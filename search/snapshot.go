package search

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"dubbot/anime"
)

// snapshot is an immutable index over a set of anime. Searches read it
// without locks; changes build a new one.
type snapshot struct {
	docs   []anime.Anime
	byID   map[int]int32
	docPop []docRank // popularity and recency per doc
	byPop  []int32   // docs, most members first
	nameLo []uint32  // names of doc d are names[nameLo[d]:nameLo[d+1]]

	names    []name
	nameToks []uint32 // token ids of every name, back to back

	vocab  []string          // distinct terms, sorted
	tokW   []float32         // titleWeight per token
	tokPop []int32           // most members among the anime using a token
	postLo []uint32          // names using token t are post[postLo[t]:postLo[t+1]]
	post   []uint32          // name ids
	grams  trigrams          // letter trigrams of vocab, for typo candidates
	expand map[uint32]uint32 // initials term -> the name it abbreviates
	free   chan *scratch     // pooled working memory sized for this snapshot
}

// name is one title of an anime as stored in a snapshot.
type name struct {
	doc    int32
	tokLo  uint32
	tokN   uint8
	kind   nameKind
	syn    uint8
	disamb bool    // has a disambiguator: the "2011" of "Hunter x Hunter (2011)"
	weight float32 // sum of the weights of its tokens, disambiguators left out
}

// disambFactor ranks a name with a disambiguator a little below a namesake
// without one, which is usually the original: "Hagane no Renkinjutsushi"
// before "Hagane no Renkinjutsushi (2009)".
const disambFactor = 0.99

// factor discounts names that are less authoritative.
func (n *name) factor() float32 {
	if n.disamb {
		return n.kind.factor() * disambFactor
	}
	return n.kind.factor()
}

// toks returns the token ids of name n.
func (s *snapshot) toks(n *name) []uint32 {
	return s.nameToks[n.tokLo : n.tokLo+uint32(n.tokN)]
}

// postings returns the names that use token t.
func (s *snapshot) postings(t uint32) []uint32 { return s.post[s.postLo[t]:s.postLo[t+1]] }

// lookup returns the id of an exact term, or where it would sort if absent.
func (s *snapshot) lookup(term string) (uint32, bool) {
	i := sort.SearchStrings(s.vocab, term)
	return uint32(i), i < len(s.vocab) && s.vocab[i] == term
}

// build indexes docs, which must have distinct ids.
func build(docs []anime.Anime) *snapshot {
	drafts := draftAll(docs)
	s := &snapshot{docs: docs, byID: make(map[int]int32, len(docs))}
	for i := range docs {
		s.byID[docs[i].ID] = int32(i)
	}
	ids := s.buildVocab(drafts)
	s.buildNames(drafts, ids)
	s.buildPostings()
	s.grams = buildTrigrams(s.vocab)
	s.buildPopularity(drafts)
	s.buildExpansions()
	s.free = make(chan *scratch, 2*runtime.GOMAXPROCS(0))
	return s
}

// draftAll drafts the names of every doc, spread over the CPUs because
// normalizing is most of the build time.
func draftAll(docs []anime.Anime) [][]draft {
	out := make([][]draft, len(docs))
	workers := min(runtime.GOMAXPROCS(0), 1+len(docs)/512)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(docs); i += workers {
				out[i] = draftNames(&docs[i])
			}
		})
	}
	wg.Wait()
	return out
}

// buildVocab collects and sorts the distinct terms and returns their ids.
func (s *snapshot) buildVocab(drafts [][]draft) map[string]uint32 {
	ids := make(map[string]uint32, len(drafts)*4)
	for _, ds := range drafts {
		for _, d := range ds {
			for _, t := range d.terms {
				ids[t] = 0
			}
		}
	}
	s.vocab = make([]string, 0, len(ids))
	for t := range ids {
		s.vocab = append(s.vocab, t)
	}
	slices.Sort(s.vocab)
	s.tokW = make([]float32, len(s.vocab))
	for i, t := range s.vocab {
		ids[t] = uint32(i)
		s.tokW[i] = titleWeight(t)
	}
	return ids
}

// buildNames numbers the names in doc order and stores their token ids. A
// name's weight leaves out its disambiguators, so that "hunter x hunter"
// covers all of "Hunter x Hunter (2011)".
func (s *snapshot) buildNames(drafts [][]draft, ids map[string]uint32) {
	s.nameLo = make([]uint32, len(drafts)+1)
	for d, ds := range drafts {
		a := &s.docs[d]
		for _, dr := range ds {
			n := name{doc: int32(d), tokLo: uint32(len(s.nameToks)), kind: dr.kind, syn: dr.syn}
			var all float32
			for _, t := range dr.terms[:min(len(dr.terms), maxNameTerms)] {
				id := ids[t]
				s.nameToks = append(s.nameToks, id)
				all += s.tokW[id]
				if isDisambiguator(t, a) {
					n.disamb = true
				} else {
					n.weight += s.tokW[id]
				}
				n.tokN++
			}
			if n.weight == 0 { // nothing but a year
				n.weight, n.disamb = all, false
			}
			s.names = append(s.names, n)
		}
		s.nameLo[d+1] = uint32(len(s.names))
	}
}

// buildPostings inverts names into per-token posting lists, listing a name
// once even when it repeats a term ("hunter x hunter").
func (s *snapshot) buildPostings() {
	count := make([]uint32, len(s.vocab)+1)
	s.tokPop = make([]int32, len(s.vocab))
	s.eachDistinct(func(n uint32, t uint32) {
		count[t+1]++
		s.tokPop[t] = max(s.tokPop[t], int32(min(s.docs[s.names[n].doc].Members, math.MaxInt32)))
	})
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	s.postLo = slices.Clone(count)
	s.post = make([]uint32, count[len(count)-1])
	s.eachDistinct(func(n uint32, t uint32) {
		s.post[count[t]] = n
		count[t]++
	})
}

// eachDistinct calls fn for every name and each distinct token in it.
func (s *snapshot) eachDistinct(fn func(n, t uint32)) {
	for n := range s.names {
		toks := s.toks(&s.names[n])
		for i, t := range toks {
			if !slices.Contains(toks[:i], t) {
				fn(uint32(n), t)
			}
		}
	}
}

// buildPopularity ranks docs by members and precomputes their bonus.
func (s *snapshot) buildPopularity(drafts [][]draft) {
	s.docPop = make([]docRank, len(s.docs))
	s.byPop = make([]int32, len(s.docs))
	derived := derivedDocs(s.docs, drafts)
	for i := range s.docs {
		s.docPop[i] = popularity(&s.docs[i], derived[i])
		s.byPop[i] = int32(i)
	}
	slices.SortFunc(s.byPop, func(a, b int32) int {
		da, db := &s.docs[a], &s.docs[b]
		return cmp.Or(cmp.Compare(db.Members, da.Members), cmp.Compare(da.ID, db.ID))
	})
}

// maxNameTerms bounds the terms stored per name; titles are far shorter.
const maxNameTerms = 48

// derivedDocs reports, per doc, whether its main title extends the main
// title of a more popular anime ("Shokugeki no Souma OVA", "Naruto:
// Shippuuden"): such an entry is a sequel or side story of that one. An
// entry more popular than its namesake ("Ginga" is not the root of "Ginga
// Eiyuu Densetsu") or that only adds disambiguators ("Mirai Nikki (TV)")
// is not derived.
func derivedDocs(docs []anime.Anime, drafts [][]draft) []bool {
	keys := make([]string, len(docs)) // main titles, "" when none
	members := make(map[string]int, len(docs))
	for d, ds := range drafts {
		if len(ds) > 0 && ds[0].kind == kindTitle {
			keys[d] = joinTerms(ds[0].terms)
			members[keys[d]] = max(members[keys[d]], docs[d].Members)
		}
	}
	out := make([]bool, len(docs))
	for d, key := range keys {
		if key == "" {
			continue
		}
		// The key of the first n terms is a prefix of the whole key.
		ts, adds, end := drafts[d][0].terms, false, len(key)
		for n := len(ts) - 1; n > 0 && !out[d]; n-- {
			end -= len(ts[n]) + 1
			adds = adds || !isDisambiguator(ts[n], &docs[d])
			root, ok := members[key[:end]]
			out[d] = adds && ok && root >= docs[d].Members
		}
	}
	return out
}

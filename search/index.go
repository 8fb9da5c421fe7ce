// Package search is the local title index behind /search and every
// autocomplete: an in-memory, typo-tolerant index over the titles, English
// titles, Japanese titles and synonyms of the known anime.
//
// An Index is a pair of immutable snapshots: a large base, rebuilt by
// Replace, and a small delta holding the anime upserted since, which shadow
// their old base entries. Readers load both with one atomic read and never
// wait; writers build a new delta (or, once it grows, a new base) and swap it
// in.
package search

import (
	"slices"
	"sync"
	"sync/atomic"

	"dubbot/anime"
)

// Index is a searchable set of anime. Its methods are safe for concurrent
// use; searches never wait for updates. The index keeps the anime it is
// given and returns copies that share their slices (Synonyms, Streaming):
// treat those as read-only.
type Index struct {
	mu    sync.Mutex // serializes writers
	state atomic.Pointer[state]
}

// state is one consistent view of the index.
type state struct {
	base   *snapshot
	delta  *snapshot // upserted since the base was built; shadows it
	hidden []uint64  // bitset of base docs shadowed by delta or removed
	nHid   int       // bits set in hidden
}

// deltaMax is how many changes the delta layer takes before the base is
// rebuilt. Each upsert rebuilds the delta, so it must stay small.
const deltaMax = 256

// New returns an empty index.
func New() *Index {
	x := &Index{}
	x.state.Store(&state{base: build(nil), delta: build(nil)})
	return x
}

// Replace rebuilds the index from items (the last of equal ids wins) and
// swaps it in whole.
func (x *Index) Replace(items []anime.Anime) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.state.Store(&state{base: build(dedupe(items)), delta: build(nil)})
}

// Upsert adds a or replaces the anime with its id.
func (x *Index) Upsert(a anime.Anime) {
	x.mu.Lock()
	defer x.mu.Unlock()
	st := x.state.Load()
	docs := without(st.delta.docs, a.ID)
	x.commit(st, append(docs, a), a.ID)
}

// Remove drops the anime with id, if present.
func (x *Index) Remove(id int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	st := x.state.Load()
	x.commit(st, without(st.delta.docs, id), id)
}

// commit swaps in a state whose delta holds docs and whose base hides id;
// once the changes outgrow the delta, it rebuilds the base instead.
func (x *Index) commit(st *state, delta []anime.Anime, id int) {
	next := &state{base: st.base, hidden: st.hidden, nHid: st.nHid}
	if d, ok := st.base.byID[id]; ok && !st.isHidden(d) {
		next.hidden = slices.Clone(st.hidden)
		if len(next.hidden) == 0 {
			next.hidden = make([]uint64, (len(st.base.docs)+63)/64)
		}
		next.hidden[d/64] |= 1 << (d % 64)
		next.nHid++
	}
	if len(delta) > deltaMax || next.nHid > 2*deltaMax {
		docs := make([]anime.Anime, 0, len(st.base.docs)-next.nHid+len(delta))
		for i, a := range st.base.docs {
			if !next.isHidden(int32(i)) {
				docs = append(docs, a)
			}
		}
		next = &state{base: build(append(docs, delta...))}
		delta = nil
	}
	next.delta = build(delta)
	x.state.Store(next)
}

func (st *state) isHidden(d int32) bool {
	return st.nHid > 0 && st.hidden[d/64]&(1<<(d%64)) != 0
}

// Len is the number of anime in the index.
func (x *Index) Len() int {
	st := x.state.Load()
	return len(st.base.docs) - st.nHid + len(st.delta.docs)
}

// Get returns the anime with id.
func (x *Index) Get(id int) (anime.Anime, bool) {
	st := x.state.Load()
	if d, ok := st.delta.byID[id]; ok {
		return st.delta.docs[d], true
	}
	if d, ok := st.base.byID[id]; ok && !st.isHidden(d) {
		return st.base.docs[d], true
	}
	return anime.Anime{}, false
}

// dedupe keeps the last of the items with equal ids, in first-seen order.
func dedupe(items []anime.Anime) []anime.Anime {
	at := make(map[int]int, len(items))
	docs := make([]anime.Anime, 0, len(items))
	for _, a := range items {
		if i, ok := at[a.ID]; ok {
			docs[i] = a
			continue
		}
		at[a.ID] = len(docs)
		docs = append(docs, a)
	}
	return docs
}

// without returns a copy of docs minus the anime with id.
func without(docs []anime.Anime, id int) []anime.Anime {
	out := make([]anime.Anime, 0, len(docs)+1)
	for _, a := range docs {
		if a.ID != id {
			out = append(out, a)
		}
	}
	return out
}

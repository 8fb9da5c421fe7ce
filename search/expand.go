package search

import "slices"

// Initials such as "aot" are indexed as names of their own, which finds
// "aot" and "aot 2". A query that mixes initials with other words, such as
// "ngnl zero" or "sao ordinal scale", needs more: the initials are spelled
// out ("no game no life zero") and the query runs again.

// minExpand is the shortest initials that are spelled out; two letters are
// too ambiguous.
const minExpand = 3

// expandDiscount ranks a spelled-out match a little below a literal one.
const expandDiscount = 0.97

// buildExpansions maps each initials term of three letters or more to the
// name it abbreviates, taking the most popular anime when several share it:
// the initials of main and English titles, and the abbreviations the
// catalog lists ("JJK" spells out as the anime's main title).
func (s *snapshot) buildExpansions() {
	s.expand = make(map[uint32]uint32)
	for n := range s.names {
		acr, target := s.abbreviates(uint32(n))
		if len(acr) < minExpand {
			continue
		}
		t, ok := s.lookup(acr)
		if !ok || !s.onlyInitials(t) {
			continue
		}
		doc := s.names[target].doc
		if old, ok := s.expand[t]; ok && s.docs[s.names[old].doc].Members >= s.docs[doc].Members {
			continue
		}
		s.expand[t] = target
	}
}

// abbreviates returns the initials name n stands for, and the name they
// spell out; "" when n is not a title, an English title or a listed
// abbreviation.
func (s *snapshot) abbreviates(n uint32) (string, uint32) {
	nm := &s.names[n]
	switch nm.kind {
	case kindTitle, kindEnglish:
		return s.initialsOf(nm), n
	case kindSynonymInitials:
		first := s.nameLo[nm.doc]
		if k := s.names[first].kind; k != kindTitle && k != kindEnglish {
			return "", 0
		}
		return s.vocab[s.toks(nm)[0]], first
	}
	return "", 0
}

// onlyInitials reports whether every name using token t uses it as
// initials: names made of initials, or t alone (with numbers). Then
// spelling t out cannot hide a real word such as "the" or "war".
func (s *snapshot) onlyInitials(t uint32) bool {
	for _, n := range s.postings(t) {
		if s.names[n].kind.initials() {
			continue
		}
		for _, tok := range s.toks(&s.names[n]) {
			if tok != t && !isNumber(s.vocab[tok]) {
				return false
			}
		}
	}
	return true
}

// initialsOf returns the initials of a Latin name's words, numbers left
// out, or "" when the name is not all Latin.
func (s *snapshot) initialsOf(nm *name) string {
	b := make([]byte, 0, nm.tokN)
	for _, t := range s.toks(nm) {
		w := s.vocab[t]
		switch {
		case isNumber(w):
		case !isASCII(w):
			return ""
		default:
			b = append(b, w[0])
		}
	}
	return string(b)
}

// expansion returns q with its first spelled-out initials replaced by the
// words they stand for, when q has other words too.
func (s *snapshot) expansion(q *query) (query, bool) {
	if len(q.terms) < 2 {
		return query{}, false
	}
	for i, term := range q.terms {
		t, ok := s.lookup(term)
		if !ok {
			continue
		}
		n, ok := s.expand[t]
		if !ok {
			continue
		}
		var words []string
		for _, tok := range s.toks(&s.names[n]) {
			if w := s.vocab[tok]; !isNumber(w) {
				words = append(words, w)
			}
		}
		terms := slices.Concat(q.terms[:i], words, q.terms[i+1:])
		return newQuery(terms, q.complete), true
	}
	return query{}, false
}

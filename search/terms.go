package search

import (
	"slices"
	"unicode/utf8"

	"dubbot/anime"
)

// terms is what the index stores for a title and looks up for a query: the
// normalized words, with runs of Japanese script cut into overlapping
// character bigrams so that part of a title can be found without spaces.
func terms(s string) []string {
	words := normalizeWords(s)
	out := make([]string, 0, len(words))
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !isJapanese(r) {
			out = append(out, w)
			continue
		}
		out = appendBigrams(out, w)
	}
	return out
}

// appendBigrams appends the overlapping two-rune pieces of w, or w itself
// when it is one rune long.
func appendBigrams(out []string, w string) []string {
	if utf8.RuneCountInString(w) < 2 {
		return append(out, w)
	}
	start := 0
	_, first := utf8.DecodeRuneInString(w)
	mid := first
	for mid < len(w) {
		_, size := utf8.DecodeRuneInString(w[mid:])
		out = append(out, w[start:mid+size])
		start, mid = mid, mid+size
	}
	return out
}

// stopWords carry little meaning on their own, in English and in romaji
// (after folding: "wo" is "o").
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "de": true, "e": true, "ga": true,
	"in": true, "is": true, "ka": true, "mo": true, "na": true, "ni": true,
	"no": true, "o": true, "of": true, "on": true, "the": true, "to": true,
	"wa": true, "x": true, "vs": true,
}

// termWeight is how much a query term counts toward covering the query.
// Numbers count less than words: "frieren 2" is about Frieren first.
func termWeight(t string) float32 {
	if isNumber(t) {
		return 0.6
	}
	return titleWeight(t)
}

// titleWeight is how much a title term counts toward covering the title. A
// sequel number the query lacks costs as much as a word: "code geass" is
// the first season, not "Code Geass R2".
func titleWeight(t string) float32 {
	if stopWords[t] {
		return 0.3
	}
	return 1
}

// initials returns a Latin title's initials followed by its numbers, so
// "attack on titan 2" is also found as "aot 2"; nil when the title has fewer
// than two words or is not Latin script.
func initials(words []string) []string {
	var b []byte
	var nums []string
	for _, w := range words {
		switch {
		case isNumber(w):
			nums = append(nums, w)
		case !isASCII(w):
			return nil
		default:
			b = append(b, w[0])
		}
	}
	if len(b) < 2 {
		return nil
	}
	return append([]string{string(b)}, nums...)
}

// nameKind says which field of an anime a stored name came from.
type nameKind uint8

const (
	kindTitle nameKind = iota
	kindEnglish
	kindJapanese
	kindSynonym
	kindTitleInitials
	kindEnglishInitials
)

// factor discounts names that are less authoritative, so that among equal
// matches the official title wins over a synonym and a synonym over
// generated initials.
func (k nameKind) factor() float32 {
	switch k {
	case kindSynonym:
		return 0.98
	case kindTitleInitials, kindEnglishInitials:
		return 0.92
	}
	return 1
}

// text is the title a name was made from, as users should see it.
func (k nameKind) text(a *anime.Anime, syn int) string {
	switch k {
	case kindEnglish, kindEnglishInitials:
		return a.English
	case kindJapanese:
		return a.Japanese
	case kindSynonym:
		if syn < len(a.Synonyms) {
			return a.Synonyms[syn]
		}
	}
	return a.Title
}

// draft is a name before it is numbered into a snapshot.
type draft struct {
	kind  nameKind
	syn   uint8
	terms []string
}

// draftNames lists the distinct names of an anime: every title field, and
// the initials of the main and English titles.
func draftNames(a *anime.Anime) []draft {
	ds := make([]draft, 0, 4+len(a.Synonyms))
	seen := make([]string, 0, 4+len(a.Synonyms))
	add := func(kind nameKind, syn int, ts []string) {
		key := joinTerms(ts)
		if len(ts) == 0 || slices.Contains(seen, key) {
			return
		}
		seen = append(seen, key)
		ds = append(ds, draft{kind: kind, syn: uint8(syn), terms: ts})
	}
	title, english := terms(a.Title), terms(a.English)
	add(kindTitle, 0, title)
	add(kindEnglish, 0, english)
	add(kindJapanese, 0, terms(a.Japanese))
	for i, s := range a.Synonyms {
		if i > 255 {
			break
		}
		add(kindSynonym, i, terms(s))
	}
	add(kindTitleInitials, 0, initials(title))
	add(kindEnglishInitials, 0, initials(english))
	return ds
}

func joinTerms(ts []string) string {
	n := 0
	for _, t := range ts {
		n += len(t) + 1
	}
	b := make([]byte, 0, n)
	for _, t := range ts {
		b = append(b, t...)
		b = append(b, ' ')
	}
	return string(b)
}

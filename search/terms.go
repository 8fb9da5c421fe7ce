package search

import (
	"slices"
	"strconv"
	"strings"
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

// stopWeight is what a stop word weighs.
const stopWeight = 0.3

// titleWeight is how much a title term counts toward covering the title. A
// sequel number the query lacks costs as much as a word: "code geass" is
// the first season, not "Code Geass R2".
func titleWeight(t string) float32 {
	if stopWords[t] {
		return stopWeight
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
	kindSynonymInitials // a listed abbreviation: "HxH", "AoT TV"
)

// factor discounts names that are less authoritative, so that among equal
// matches the official title wins over a synonym and a synonym over
// initials. Initials are weak whoever wrote them: "KnY" is listed for an
// obscure show and generated for Kimetsu no Yaiba, and popularity should
// decide between the two, not who listed it.
func (k nameKind) factor() float32 {
	switch {
	case k == kindSynonym:
		return 0.98
	case k.initials():
		return 0.92
	}
	return 1
}

// initials reports whether names of this kind are made of initials.
func (k nameKind) initials() bool {
	return k == kindTitleInitials || k == kindEnglishInitials || k == kindSynonymInitials
}

// text is the title a name was made from, as users should see it.
func (k nameKind) text(a *anime.Anime, syn int) string {
	switch k {
	case kindEnglish, kindEnglishInitials:
		return a.English
	case kindJapanese:
		return a.Japanese
	case kindSynonym, kindSynonymInitials:
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

// draftNames lists the distinct names of an anime: every title field, the
// English title's own part, and the initials of the main and English
// titles and of their subtitles. The main title, when there is one, comes
// first.
func draftNames(a *anime.Anime) []draft {
	ds := make([]draft, 0, 6+len(a.Synonyms))
	seen := make([]string, 0, 6+len(a.Synonyms))
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
	add(kindEnglish, 0, englishOwnPart(english, title))
	add(kindJapanese, 0, terms(a.Japanese))
	for i, s := range a.Synonyms {
		if i > 255 {
			break
		}
		ts := terms(s)
		kind := kindSynonym
		if isAbbreviation(ts, title, english, a) {
			kind = kindSynonymInitials
		}
		add(kind, i, ts)
	}
	add(kindTitleInitials, 0, initials(title))
	add(kindEnglishInitials, 0, initials(english))
	add(kindTitleInitials, 0, subtitleInitials(a.Title, title))
	add(kindEnglishInitials, 0, subtitleInitials(a.English, english))
	return ds
}

// englishOwnPart returns the words of an English title that precede the
// romaji title it restates ("Food Wars!" of "Food Wars! Shokugeki no
// Soma"): they are the English name on their own, and judging a query
// against the whole would favour a spin-off called "Food Wars! OVAs".
func englishOwnPart(english, title []string) []string {
	n := len(english) - len(title)
	if len(title) == 0 || n <= 0 || !slices.Equal(english[n:], title) {
		return nil
	}
	for _, w := range english[:n] {
		if !stopWords[w] && !isNumber(w) {
			return english[:n]
		}
	}
	return nil
}

// subtitleInitials abbreviates the subtitle of a Latin title, the part after
// its first ": " or " - ", keeping the rest: "Bleach: Thousand-Year Blood
// War" is also "bleach tybw". words are the title's terms. Nil when the
// title has no subtitle of two words or more.
func subtitleInitials(title string, words []string) []string {
	i := strings.Index(title, ": ")
	if j := strings.Index(title, " - "); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i <= 0 {
		return nil
	}
	sub := strings.TrimLeft(title[i:], ":- ")
	if j := strings.Index(sub, " - "); j >= 0 {
		sub = sub[:j]
	}
	if !strings.Contains(strings.TrimSpace(sub), " ") {
		return nil // one word
	}
	head, subWords := terms(title[:i]), terms(sub)
	n, m := len(head), len(subWords)
	acr := initials(subWords)
	if acr == nil || n+m > len(words) || !slices.Equal(words[:n], head) || !slices.Equal(words[n:n+m], subWords) {
		return nil
	}
	return slices.Concat(words[:n], acr, words[n+m:])
}

// maxAbbrev is the longest word taken for an abbreviation.
const maxAbbrev = 5

// isAbbreviation reports whether a synonym is an abbreviation: one short
// Latin word that is not a word of the title or English title, perhaps
// with numbers or disambiguators ("HxH", "AoT TV", "[UBW] 2014").
func isAbbreviation(ts, title, english []string, a *anime.Anime) bool {
	if len(ts) == 0 || !isAbbrevWord(ts[0]) || slices.Contains(title, ts[0]) || slices.Contains(english, ts[0]) {
		return false
	}
	for _, t := range ts[1:] {
		if !isNumber(t) && !isDisambiguator(t, a) {
			return false
		}
	}
	return true
}

// isAbbrevWord reports whether w could be an abbreviation: 2 to maxAbbrev
// Latin letters.
func isAbbrevWord(w string) bool {
	if len(w) < 2 || len(w) > maxAbbrev {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// isDisambiguator reports a title word that only tells an anime from its
// namesakes by restating its own year or TV type, as in "Hunter x Hunter
// (2011)" or "Mirai Nikki (TV)". A query need not repeat it.
func isDisambiguator(t string, a *anime.Anime) bool {
	if t == "tv" {
		return strings.EqualFold(a.Type, "TV")
	}
	return isYear(t, a.Year)
}

// isYear reports whether term is year, which is not 0. It allocates
// nothing: it runs for every term of every title.
func isYear(term string, year int) bool {
	if year <= 0 || len(term) != 4 || !isNumber(term) {
		return false
	}
	n, _ := strconv.Atoi(term)
	return n == year
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

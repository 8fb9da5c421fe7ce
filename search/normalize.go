package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the canonical form that titles and queries are compared
// in: lower case, no diacritics, full-width letters narrowed, punctuation
// gone, "&" spelled "and", sequel markers ("Season 2", "2nd Season", "II",
// "S2") reduced to the bare number, and romanisation variants
// (ou, ō, oh, oo; "wo"; doubled vowels; "mp"/"np") folded together. Words are
// separated by single spaces. Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	return strings.Join(normalizeWords(s), " ")
}

// normalizeWords is Normalize as a word list.
func normalizeWords(s string) []string {
	words := canonWords(splitWords(foldText(s)))
	// A rewrite can expose another ("iiv" folds to "iv", a numeral), so
	// repeat until stable; two or three rounds always suffice in practice.
	for range 4 {
		next := canonWords(words)
		if equalWords(next, words) {
			break
		}
		words = next
	}
	return words
}

// foldText lower-cases s and strips Latin diacritics. Compatibility
// decomposition also narrows full-width forms and widens half-width kana.
func foldText(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	// Lower-casing after decomposition can expose new decomposable letters,
	// so fold until stable.
	for range 3 {
		next := foldOnce(s)
		if next == s {
			break
		}
		s = next
	}
	return s
}

func foldOnce(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		if isLatinMark(r) {
			continue
		}
		r = unicode.ToLower(r)
		if rep, ok := letterFolds[r]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// letterFolds spells letters that have no decomposition the way an English
// keyboard types them.
var letterFolds = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d",
	'ł': "l", 'þ': "th", 'ı': "i", '×': " x ", '⁄': " ",
}

// isLatinMark reports combining marks used as Latin diacritics; kana voicing
// marks and marks of other scripts are kept.
func isLatinMark(r rune) bool {
	return (r >= 0x300 && r <= 0x36f) || (r >= 0x1ab0 && r <= 0x1aff) ||
		(r >= 0x1dc0 && r <= 0x1dff) || (r >= 0x20d0 && r <= 0x20ff) ||
		(r >= 0xfe20 && r <= 0xfe2f)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// splitWords cuts folded text into words. Apostrophes join ("JoJo's" is
// "jojos"), "&" is the word "and", and a word also ends where a Latin letter
// meets a digit ("S2", "aot2") or Japanese script meets any other.
func splitWords(s string) []string {
	words := make([]string, 0, 8)
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	var prev rune
	for _, r := range s {
		switch {
		case isApostrophe(r):
			continue
		case r == '&':
			flush()
			words = append(words, "and")
		case isWordRune(r):
			if prev != 0 && wordBreak(prev, r) {
				flush()
			}
			cur.WriteRune(r)
		default:
			flush()
			r = 0
		}
		prev = r
	}
	flush()
	return words
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '‘'
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// wordBreak reports a word boundary between two adjacent word runes.
func wordBreak(prev, r rune) bool {
	if prev < utf8.RuneSelf && r < utf8.RuneSelf {
		return isLetterASCII(prev) && isDigitASCII(r)
	}
	return isJapanese(prev) != isJapanese(r) && !unicode.IsMark(r)
}

// isJapanese reports runes of scripts written without spaces, which are
// indexed as character bigrams.
func isJapanese(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || r == 'ー'
}

func isLetterASCII(c rune) bool { return c >= 'a' && c <= 'z' }
func isDigitASCII(c rune) bool  { return c >= '0' && c <= '9' }

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

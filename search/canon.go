package search

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// canonWords rewrites folded words so that spellings of the same title meet:
// numerals and ordinals become digits, romaji is folded, and sequel markers
// ("season 2", "2nd season", "s2", "II") become the bare number.
func canonWords(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		out = append(out, canonWord(w))
	}
	return sequelNumbers(out)
}

// canonWord rewrites a single word.
func canonWord(w string) string {
	if n, ok := romanNumerals[w]; ok {
		return n
	}
	if n, ok := ordinalDigits(w); ok {
		return n
	}
	if isNumber(w) {
		return trimZeros(w)
	}
	if !isASCII(w) {
		// Cutting text into words (and dropping apostrophes) can leave
		// combining marks out of canonical order.
		return norm.NFC.String(w)
	}
	w = foldRomaji(w)
	if w == "wo" {
		return "o"
	}
	return w
}

// romanNumerals are the numerals that mark sequels. "i" and "x" are left
// alone: they are ordinary words ("Hunter x Hunter").
var romanNumerals = map[string]string{
	"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
	"viii": "8", "ix": "9",
}

// ordinalWords name the seasons people spell out ("Second Season").
var ordinalWords = map[string]string{
	"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
	"sixth": "6", "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10",
}

// ordinalDigits turns "2nd", "3rd", "4th" into "2", "3", "4".
func ordinalDigits(w string) (string, bool) {
	if len(w) < 3 {
		return "", false
	}
	num, suffix := w[:len(w)-2], w[len(w)-2:]
	if !isNumber(num) {
		return "", false
	}
	switch suffix {
	case "st", "nd", "rd", "th":
		return trimZeros(num), true
	}
	return "", false
}

func trimZeros(n string) string {
	t := strings.TrimLeft(n, "0")
	if t == "" {
		return "0"
	}
	return t
}

// sequelMarkers are words that, before a number, only say "this is season
// N". "part" is kept: "Spy x Family Part 2" and "Spy x Family Season 2" are
// different shows, and both still share the number.
var sequelMarkers = map[string]bool{"season": true, "s": true}

// sequelNumbers drops sequel markers next to their number: "season 2",
// "s 2" and "2 season" all become "2"; "second season" becomes "2".
func sequelNumbers(words []string) []string {
	out := words[:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case sequelMarkers[w] && isNumber(next):
			continue // the number follows
		case next == "season" && isNumber(w):
			i++ // drop "season"
		case next == "season" && ordinalWords[w] != "":
			w = ordinalWords[w]
			i++
		}
		out = append(out, w)
	}
	return out
}

// foldRomaji folds the ways one Japanese sound is written in Latin letters:
// long vowels (ou, oo, oh; ō is already o), doubled vowels, and m before
// b or p. It is applied to every ASCII word, English included, which is
// harmless because queries are folded the same way.
func foldRomaji(w string) string {
	if !needsRomajiFold(w) {
		return w
	}
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		last := byte(0)
		if len(b) > 0 {
			last = b[len(b)-1]
		}
		var next byte
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case isVowel(c) && c == last:
			continue // aa, ii, uu, ee, oo
		case last == 'o' && c == 'u':
			continue // ou
		case last == 'o' && c == 'h' && !isVowel(next):
			continue // oh before a consonant or at the end
		case c == 'm' && (next == 'b' || next == 'p'):
			c = 'n'
		}
		b = append(b, c)
	}
	return string(b)
}

// needsRomajiFold is a quick check that lets most words skip the rebuild.
func needsRomajiFold(w string) bool {
	for i := 0; i+1 < len(w); i++ {
		c, n := w[i], w[i+1]
		if (isVowel(c) && c == n) || (c == 'o' && (n == 'u' || n == 'h')) ||
			(c == 'm' && (n == 'b' || n == 'p')) {
			return true
		}
	}
	return false
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

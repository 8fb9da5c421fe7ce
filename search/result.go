package search

import (
	"strconv"
	"strings"
	"unicode/utf16"

	"dubbot/anime"
)

// Result is one anime found by a search.
type Result struct {
	Anime   anime.Anime
	Score   float64 // match quality (0..1) plus a small popularity bonus
	Matched string  // the title that matched, to show beside the main one
}

// Filter narrows a search. Zero fields do not filter.
type Filter struct {
	// Dubbed reports whether an anime has an English dub; nil means any.
	// It is asked only about likely results.
	Dubbed func(id int) bool
	Type   string // TV, Movie, OVA, ONA, Special (any case)
	Year   int    // first broadcast year
}

func (f *Filter) allows(a *anime.Anime) bool {
	return (f.Type == "" || strings.EqualFold(a.Type, f.Type)) &&
		(f.Year == 0 || a.Year == f.Year) &&
		(f.Dubbed == nil || f.Dubbed(a.ID))
}

// Limits and thresholds of searches.
const (
	MaxSearch       = 100 // most results a search returns
	MaxAutocomplete = 25  // Discord's limit on autocomplete choices
	// GoodScore is the score from which the best result is a real match;
	// below it the caller should ask the upstream search instead.
	GoodScore = 0.7
	minScore  = 0.3 // weaker results are noise and are dropped
	// shortlistExtra is how many more docs than asked for are scored
	// precisely, so the cheap first pass cannot drop the right one.
	shortlistExtra = 24
)

// Good reports whether results hold a real match rather than noise.
func Good(results []Result) bool {
	return len(results) > 0 && results[0].Score >= GoodScore
}

// maxChoiceName is Discord's limit on the name of a command option choice.
const maxChoiceName = 100

// ChoiceName renders an anime as an autocomplete choice, "Title (2019, TV)",
// so that namesakes are told apart; it fits Discord's 100-character limit.
func ChoiceName(a anime.Anime) string {
	var meta []string
	if a.Year > 0 {
		meta = append(meta, strconv.Itoa(a.Year))
	}
	if a.Type != "" {
		meta = append(meta, a.Type)
	}
	suffix := ""
	if len(meta) > 0 {
		suffix = " (" + strings.Join(meta, ", ") + ")"
	}
	title := strings.Join(strings.Fields(a.DisplayTitle()), " ")
	if title == "" {
		title = "#" + strconv.Itoa(a.ID)
	}
	return truncate(title, maxChoiceName-utf16Len(suffix)) + suffix
}

// truncate shortens s to at most n UTF-16 units (Discord counts those),
// marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf16Len(s) <= n {
		return s
	}
	width := 0
	for i, r := range s {
		width += utf16.RuneLen(r)
		if width > n-1 {
			return strings.TrimSpace(s[:i]) + "…"
		}
	}
	return s
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

package forum

import (
	"regexp"
	"strings"
)

// dashes separate an item's title from its date: "Title - October 5, 2026".
var dashes = regexp.MustCompile(`\s+[-–—]\s+`)

// whenWords mark the text after a dash as a date rather than part of a title
// ("Re:Zero - Starting Life in Another World" has a dash too).
var whenWords = regexp.MustCompile(`(?i)\b(\d{4}|tba|tbd|tbc|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|fall|autumn|winter)`)

// parseItem reads "Title - October 5, 2026 *", linked or not; ok is false
// for a line with no title.
func parseItem(l line, section string) (it Item, ok bool) {
	it = Item{Section: section}
	text := l.text
	if strings.HasSuffix(text, "*") && !strings.HasSuffix(text, "**") {
		it.Starred = true
		text = strings.TrimSpace(strings.TrimSuffix(text, "*"))
	}
	if id, title, ok := malLink(l.links); ok && title != "" {
		it.MALID, it.Title = id, title
		if _, after, found := strings.Cut(text, title); found {
			it.When = strings.Trim(after, " -–—:")
		}
	} else {
		it.Title, it.When = splitWhen(text)
		it.MALID = id
	}
	if date, ok := findDate(it.When); ok {
		it.Date = date
	}
	return it, it.Title != ""
}

// splitWhen splits an unlinked item at its last dash when what follows looks
// like a date.
func splitWhen(text string) (title, when string) {
	locs := dashes.FindAllStringIndex(text, -1)
	if len(locs) == 0 {
		return text, ""
	}
	last := locs[len(locs)-1]
	if when = text[last[1]:]; whenWords.MatchString(when) {
		return strings.TrimSpace(text[:last[0]]), when
	}
	return text, ""
}

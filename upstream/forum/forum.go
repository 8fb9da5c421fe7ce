// Package forum reads the MyAnimeList forum topic "Currently Streaming
// SimulDubbed Anime" (topic 1692966), the hand-edited list of English dubs
// airing each weekday, with the episodes dubbed so far.
//
// The page is edited by hand, so the parser is tolerant: it finds sections by
// their header text, and a line it cannot read is recorded in
// Schedule.Skipped instead of failing the whole page.
package forum

import (
	"errors"
	"time"
)

// DefaultURL is the forum topic.
const DefaultURL = "https://myanimelist.net/forum/?topicid=1692966"

// ErrNoShows means the page yielded no airing show at all: the layout has
// probably changed, so callers keep their last good schedule.
var ErrNoShows = errors.New("forum page lists no airing dubs")

// Schedule is what one read of the topic found.
type Schedule struct {
	// LastUpdated is the date of the post's "Last Updated:" line, UTC
	// midnight; zero when the line is missing or unreadable.
	LastUpdated time.Time `json:"last_updated,omitzero"`
	// Shows are the currently streaming dubs in page order. A show listed on
	// two weekdays appears twice.
	Shows []Show `json:"shows"`
	// Lists holds the items of the page's other lists (upcoming seasons,
	// upcoming, awaiting streaming, announced, ...) in page order.
	Lists []Item `json:"lists,omitempty"`
	// Legend is what the page says its markers mean.
	Legend Legend `json:"legend,omitzero"`
	// Skipped are the lines that could not be read, for the operator.
	Skipped []SkippedLine `json:"skipped,omitempty"`
}

// Show is one currently streaming dub.
type Show struct {
	MALID   int          `json:"mal_id"`
	Title   string       `json:"title"` // the link text, usually the English title
	Weekday time.Weekday `json:"weekday"`
	// Episodes is how many episodes are dubbed so far.
	Episodes int `json:"episodes"`
	// Total is the episode count, or 0 when the page says "?" or a word.
	Total int `json:"total,omitempty"`
	// Suspended is the "**" marker: dub production is paused.
	Suspended bool `json:"suspended,omitempty"`
	// PlusPlus is the "++" marker, whose meaning is in Legend.PlusPlus.
	PlusPlus bool `json:"plus_plus,omitempty"`
	// Resumes is the date the "++" legend gives, for shows marked "++".
	Resumes time.Time `json:"resumes,omitzero"`
}

// TotalKnown reports whether the page gives an episode total.
func (s Show) TotalKnown() bool { return s.Total > 0 }

// Item is one entry of a list other than the airing schedule.
type Item struct {
	Section string    `json:"section"` // the list's header, such as "Upcoming Dubbed Anime"
	Title   string    `json:"title"`
	MALID   int       `json:"mal_id,omitempty"`  // 0 when the entry has no MyAnimeList link
	Date    time.Time `json:"date,omitzero"`     // UTC midnight; zero when no full date is given
	When    string    `json:"when,omitempty"`    // the text after " - " as written ("October 5, 2026", "TBA")
	Starred bool      `json:"starred,omitempty"` // trailing "*", whose meaning is in Legend.Star
}

// Legend holds the page's marker explanations as written; they change over
// time, so they are read from the page rather than assumed.
type Legend struct {
	Suspended string    `json:"suspended,omitempty"` // meaning of "**"
	PlusPlus  string    `json:"plus_plus,omitempty"` // meaning of "++"
	Resumes   time.Time `json:"resumes,omitzero"`    // date in the "++" text, such as "Resumes October 20, 2026"
	Star      string    `json:"star,omitempty"`      // meaning of a trailing "*" on list items
}

// SkippedLine is a line the parser could not read.
type SkippedLine struct {
	Section string `json:"section,omitempty"` // header of the list it was in
	Text    string `json:"text"`              // the line's text, shortened
	Reason  string `json:"reason"`
}

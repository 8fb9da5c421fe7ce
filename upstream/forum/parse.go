package forum

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// Parse reads a saved or downloaded topic page. It returns ErrNoShows (with
// the reason) when no airing show could be read; any other unreadable line
// is recorded in Schedule.Skipped.
func Parse(r io.Reader) (*Schedule, error) {
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil, fmt.Errorf("parse forum page: %w", err)
	}
	p := &parser{s: &Schedule{}, day: noDay}
	for _, body := range postBodies(doc) {
		for _, pc := range split(body) {
			p.piece(pc)
		}
	}
	if len(p.s.Shows) == 0 {
		return nil, p.noShows()
	}
	p.applyLegend()
	return p.s, nil
}

// postBodies finds the schedule's text: the topic's first post and the posts
// its author made straight after it, which continue a list too long for one
// post. A page without MAL's forum markup is read whole.
func postBodies(doc *goquery.Document) []*goquery.Selection {
	posts := doc.Find("div.forum-topic-message")
	if posts.Length() == 0 {
		return []*goquery.Selection{doc.Find("body")}
	}
	author := posts.First().AttrOr("data-user", "")
	var bodies []*goquery.Selection
	posts.EachWithBreak(func(i int, post *goquery.Selection) bool {
		if i > 0 && (author == "" || post.AttrOr("data-user", "") != author) {
			return false
		}
		bodies = append(bodies, postBody(post))
		return true
	})
	return bodies
}

// postBody narrows a post to its message, leaving out the author box and the
// edit footer when the usual markup is there.
func postBody(post *goquery.Selection) *goquery.Selection {
	for _, sel := range []string{"div.content table.body td", "table.body td", "div.content"} {
		if body := post.Find(sel).First(); body.Length() > 0 {
			return body
		}
	}
	return post
}

// parser walks the posts' lines and lists, remembering which section it is in.
type parser struct {
	s         *Schedule
	section   string       // the last header seen
	streaming bool         // the section is the airing schedule
	sawHeader bool         // an airing schedule header was found at all
	day       time.Weekday // a day named on a line of its own, outside lists
}

// piece reads one line or list of a post's text.
func (p *parser) piece(pc piece) {
	if pc.list != nil {
		p.list(pc.list)
		return
	}
	text := pc.line.text
	switch {
	case p.lastUpdated(text), p.legend(text):
		// Page metadata, recorded by the checks themselves.
	case isHeader(text):
		p.section, p.streaming, p.day = text, isStreamingHeader(text), noDay
		p.sawHeader = p.sawHeader || p.streaming
	case p.streaming:
		if d, ok := weekday(text); ok {
			p.day = d
		}
	}
}

func (p *parser) list(ul *goquery.Selection) {
	switch {
	case p.section == "":
		// Lists above the first header are notes or links, not data.
	case p.streaming:
		p.dayList(ul, p.day)
	default:
		p.itemList(ul)
	}
}

// isHeader recognises section headers by their words; every known header
// says "... Dubbed Anime ...".
func isHeader(text string) bool {
	lower := strings.ToLower(text)
	return len(text) <= 100 && (strings.Contains(lower, "dubbed anime") || isStreamingHeader(text))
}

func isStreamingHeader(text string) bool {
	lower := strings.ToLower(text)
	return strings.Contains(lower, "currently streaming") || strings.Contains(lower, "currently airing")
}

var lastUpdated = regexp.MustCompile(`(?i)^last\s+updated\b\s*:?\s*(.*)$`)

// lastUpdated reads the "Last Updated: Month D, YYYY" line, once.
func (p *parser) lastUpdated(text string) bool {
	m := lastUpdated.FindStringSubmatch(text)
	if m == nil {
		return false
	}
	if date, ok := findDate(m[1]); ok && p.s.LastUpdated.IsZero() {
		p.s.LastUpdated = date
	} else if !ok {
		p.skip(text, "unreadable Last Updated date")
	}
	return true
}

var legendLine = regexp.MustCompile(`^(\*\*|\+\+|\*)\s*[=:\-–—]\s*(.+)$`)

// legend reads a marker explanation such as "** = Dub production suspended".
func (p *parser) legend(text string) bool {
	m := legendLine.FindStringSubmatch(text)
	if m == nil {
		return false
	}
	lg := &p.s.Legend
	switch meaning := m[2]; {
	case m[1] == "**" && lg.Suspended == "":
		lg.Suspended = meaning
	case m[1] == "++" && lg.PlusPlus == "":
		lg.PlusPlus = meaning
		lg.Resumes, _ = findDate(meaning)
	case m[1] == "*" && lg.Star == "":
		lg.Star = meaning
	}
	return true
}

// applyLegend gives "++" shows the legend's resume date unless their own line
// named one.
func (p *parser) applyLegend() {
	for i := range p.s.Shows {
		if s := &p.s.Shows[i]; s.PlusPlus && s.Resumes.IsZero() {
			s.Resumes = p.s.Legend.Resumes
		}
	}
}

func (p *parser) skip(text, reason string) {
	p.s.Skipped = append(p.s.Skipped, SkippedLine{Section: p.section, Text: shorten(text), Reason: reason})
}

// noShows explains an empty result.
func (p *parser) noShows() error {
	if !p.sawHeader {
		return fmt.Errorf("%w: no %q header found", ErrNoShows, "Currently Streaming SimulDubbed Anime")
	}
	if len(p.s.Skipped) > 0 {
		first := p.s.Skipped[0]
		return fmt.Errorf("%w: %d lines skipped, the first %q: %s", ErrNoShows, len(p.s.Skipped), first.Text, first.Reason)
	}
	return fmt.Errorf("%w: the schedule section is empty", ErrNoShows)
}

// isNone recognises the placeholder of an empty day or list.
func isNone(text string) bool {
	switch strings.ToLower(strings.Trim(text, " .-–—")) {
	case "none", "n/a", "nothing", "":
		return true
	}
	return false
}

package forum

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// line is one visual line of a post: text up to a <br> or block boundary,
// with the links it holds.
type line struct {
	text  string
	links []link
}

type link struct {
	href, text string
}

// piece is a line of text or a nested list, in document order.
type piece struct {
	line line
	list *goquery.Selection // a <ul> or <ol>; nil for a line
}

// blocks are the elements that start a new line, as a browser shows them.
var blocks = map[string]bool{
	"p": true, "div": true, "li": true, "table": true, "tr": true, "td": true, "th": true,
	"blockquote": true, "center": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "pre": true, "dl": true, "dt": true, "dd": true,
}

// split cuts the content of sel into lines and lists. Lists are not entered:
// the caller decides what they mean from the lines around them.
func split(sel *goquery.Selection) []piece {
	var s splitter
	s.walk(sel)
	s.flush()
	return s.pieces
}

type splitter struct {
	pieces []piece
	text   strings.Builder
	links  []link
}

func (s *splitter) walk(sel *goquery.Selection) {
	sel.Contents().Each(func(_ int, c *goquery.Selection) {
		switch name := goquery.NodeName(c); {
		case name == "#text":
			s.text.WriteString(c.Text())
		case name == "ul" || name == "ol":
			s.flush()
			s.pieces = append(s.pieces, piece{list: c})
		case name == "br" || name == "hr":
			s.flush()
		case name == "a":
			s.links = append(s.links, link{href: c.AttrOr("href", ""), text: clean(c.Text())})
			s.walk(c)
		case blocks[name]:
			s.flush()
			s.walk(c)
			s.flush()
		case name == "script" || name == "style" || strings.HasPrefix(name, "#"):
			// not visible text
		default: // inline: b, i, u, span, font, strong, ...
			s.walk(c)
		}
	})
}

// flush ends the current line; empty lines are dropped.
func (s *splitter) flush() {
	text := clean(s.text.String())
	s.text.Reset()
	if text == "" && len(s.links) == 0 {
		return
	}
	s.pieces = append(s.pieces, piece{line: line{text: text, links: s.links}})
	s.links = nil
}

// clean collapses runs of white space (NBSP included) into single spaces and
// drops zero-width characters that hand editing leaves behind.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u200b', '\u200c', '\u200d', '\ufeff':
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// shorten cuts text for a SkippedLine so one runaway line cannot flood logs.
func shorten(text string) string {
	const limit = 200
	if r := []rune(text); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return text
}

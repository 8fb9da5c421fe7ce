package forum

import (
	"fmt"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// dayList reads the airing schedule: one item per weekday holding a nested
// list of shows, or day-name items followed by show items. day is the weekday
// already known from around the list.
func (p *parser) dayList(ul *goquery.Selection, day time.Weekday) {
	ul.ChildrenFiltered("li").Each(func(_ int, li *goquery.Selection) {
		day = p.dayItem(li, day)
	})
}

// dayItem reads one item of the schedule and returns the weekday in force for
// the items after it.
func (p *parser) dayItem(li *goquery.Selection, day time.Weekday) time.Weekday {
	label, rest := cutLabel(split(li))
	if label == nil {
		// No nested list: the item is a show or a day name.
		for _, pc := range rest {
			day = p.showLine(pc.line, day)
		}
		return day
	}
	// A label with a link is a show carrying a nested note, not a day.
	shows, text := linked(label), joinText(label)
	inner, ok := labelWeekday(text)
	switch {
	case ok && len(shows) == 0:
	case day != noDay:
		inner, rest = day, append(shows, rest...)
	case len(shows) > 0:
		p.unreadDay(append(shows, rest...), "")
		return day
	default:
		p.unreadDay(rest, text)
		return day
	}
	for _, pc := range rest {
		if pc.list != nil {
			p.dayList(pc.list, inner)
		} else {
			p.showLine(pc.line, inner)
		}
	}
	// A day's label holds only for its own nested list, so a following item
	// that lost its label is not filed under this day.
	return day
}

// linked returns the label lines that hold a link, as pieces.
func linked(label []line) []piece {
	var out []piece
	for _, l := range label {
		if len(l.links) > 0 {
			out = append(out, piece{line: l})
		}
	}
	return out
}

// unreadDay skips every show under a list whose day cannot be read.
func (p *parser) unreadDay(rest []piece, label string) {
	reason := "no weekday header above this show"
	if label != "" {
		reason = fmt.Sprintf("unrecognised weekday %q", shorten(label))
	}
	for _, pc := range rest {
		if pc.list == nil {
			p.skipEntry(pc.line, reason)
			continue
		}
		for _, l := range lines(pc.list) {
			p.skipEntry(l, reason)
		}
	}
}

func (p *parser) skipEntry(l line, reason string) {
	if !isNone(l.text) && !p.legend(l.text) {
		p.skip(l.text, reason)
	}
}

// showLine reads one line of the schedule and returns the weekday in force
// after it.
func (p *parser) showLine(l line, day time.Weekday) time.Weekday {
	switch {
	case isNone(l.text), p.legend(l.text):
		return day
	}
	if d, ok := weekday(l.text); ok && len(l.links) == 0 {
		return d
	}
	if day == noDay {
		p.skip(l.text, "no weekday header above this show")
		return day
	}
	show, reason := parseShow(l, day)
	if reason != "" {
		p.skip(l.text, reason)
		return day
	}
	p.s.Shows = append(p.s.Shows, show)
	return day
}

// itemList reads a list other than the airing schedule; nested lists are
// groups whose labels are not items.
func (p *parser) itemList(ul *goquery.Selection) {
	ul.ChildrenFiltered("li").Each(func(_ int, li *goquery.Selection) {
		_, rest := cutLabel(split(li))
		for _, pc := range rest {
			if pc.list != nil {
				p.itemList(pc.list)
				continue
			}
			if isNone(pc.line.text) || p.legend(pc.line.text) {
				continue
			}
			if it, ok := parseItem(pc.line, p.section); ok {
				p.s.Lists = append(p.s.Lists, it)
			} else {
				p.skip(pc.line.text, "no title")
			}
		}
	})
}

// cutLabel splits an item's pieces at its first nested list: the lines
// before it are a label. label is nil when there is no nested list.
func cutLabel(pieces []piece) (label []line, rest []piece) {
	for i, pc := range pieces {
		if pc.list != nil {
			label = make([]line, 0, i)
			for _, l := range pieces[:i] {
				label = append(label, l.line)
			}
			return label, pieces[i:]
		}
	}
	return nil, pieces
}

// lines flattens a list into its text lines, nested lists included.
func lines(ul *goquery.Selection) []line {
	var out []line
	ul.ChildrenFiltered("li").Each(func(_ int, li *goquery.Selection) {
		for _, pc := range split(li) {
			if pc.list != nil {
				out = append(out, lines(pc.list)...)
			} else {
				out = append(out, pc.line)
			}
		}
	})
	return out
}

func joinText(ls []line) string {
	texts := make([]string, len(ls))
	for i, l := range ls {
		texts[i] = l.text
	}
	return strings.Join(texts, " ")
}

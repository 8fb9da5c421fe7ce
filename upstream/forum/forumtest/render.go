package forumtest

import (
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dubbot/upstream/forum"
)

// days is the order the page lists weekdays in.
var days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday,
	time.Friday, time.Saturday, time.Sunday}

// Render writes s as a topic page in MyAnimeList's forum markup, so that tests
// elsewhere can serve a schedule they built in Go. Shows are grouped by
// weekday, Monday first; a legend line is written for each marker in use.
func Render(s *forum.Schedule) string {
	var b strings.Builder
	b.WriteString(pageHead)
	if !s.LastUpdated.IsZero() {
		fmt.Fprintf(&b, "<b>Last Updated:</b> %s<br>\n<br>\n", date(s.LastUpdated))
	}
	b.WriteString("<b>Currently Streaming SimulDubbed Anime</b><br>\n<ul>\n")
	for _, day := range days {
		writeDay(&b, day, s.Shows)
	}
	b.WriteString("</ul>\n")
	writeLegend(&b, s.Legend)
	writeLists(&b, s.Lists)
	b.WriteString(pageFoot)
	return b.String()
}

func writeDay(b *strings.Builder, day time.Weekday, shows []forum.Show) {
	fmt.Fprintf(b, "<li>%s<br>\n<ul>\n", day)
	n := 0
	for _, s := range shows {
		if s.Weekday != day {
			continue
		}
		n++
		fmt.Fprintf(b, "<li>%s (Episodes: %d/%s)%s</li>\n", anchor(s.MALID, s.Title), s.Episodes, total(s.Total), marks(s))
	}
	if n == 0 {
		b.WriteString("<li>None</li>\n")
	}
	b.WriteString("</ul>\n</li>\n")
}

func writeLegend(b *strings.Builder, lg forum.Legend) {
	for _, l := range []struct{ mark, meaning string }{
		{"**", lg.Suspended}, {"++", lg.PlusPlus}, {"*", lg.Star},
	} {
		if l.meaning != "" {
			fmt.Fprintf(b, "%s = %s<br>\n", l.mark, html.EscapeString(l.meaning))
		}
	}
}

// writeLists writes each section once, with its items in order.
func writeLists(b *strings.Builder, items []forum.Item) {
	var sections []string
	bySection := map[string][]forum.Item{}
	for _, it := range items {
		if _, ok := bySection[it.Section]; !ok {
			sections = append(sections, it.Section)
		}
		bySection[it.Section] = append(bySection[it.Section], it)
	}
	for _, name := range sections {
		fmt.Fprintf(b, "<br>\n<b>%s</b><br>\n<ul>\n", html.EscapeString(name))
		for _, it := range bySection[name] {
			b.WriteString("<li>" + item(it) + "</li>\n")
		}
		b.WriteString("</ul>\n")
	}
}

func item(it forum.Item) string {
	text := html.EscapeString(it.Title)
	if it.MALID > 0 {
		text = anchor(it.MALID, it.Title)
	}
	if it.When != "" {
		text += " - " + html.EscapeString(it.When)
	}
	if it.Starred {
		text += "*"
	}
	return text
}

func anchor(id int, title string) string {
	slug := url.PathEscape(strings.ReplaceAll(title, " ", "_"))
	return fmt.Sprintf(`<a href="https://myanimelist.net/anime/%d/%s" rel="nofollow">%s</a>`,
		id, html.EscapeString(slug), html.EscapeString(title))
}

func total(n int) string {
	if n <= 0 {
		return "???"
	}
	return strconv.Itoa(n)
}

func marks(s forum.Show) string {
	var m string
	if s.Suspended {
		m += " **"
	}
	if s.PlusPlus {
		m += " ++"
	}
	return m
}

func date(t time.Time) string { return t.Format("January 2, 2006") }

const pageHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>Currently Streaming SimulDubbed Anime - Forums - MyAnimeList.net</title>
</head>
<body class="page-common">
<div id="myanimelist"><div class="wrapper"><div id="contentWrapper">
<h1 class="forum_locheader">Currently Streaming SimulDubbed Anime</h1>
<div id="content">
<div class="forum-topic-message message" id="msg10000001" data-user="Kenny_Stryker" data-id="10000001">
<div class="message-wrapper">
<div class="message-header"><div class="profile"><a href="https://myanimelist.net/profile/Kenny_Stryker">Kenny_Stryker</a></div></div>
<div class="message-container">
<div class="content">
<table class="body"><tbody><tr><td>
`

const pageFoot = `</td></tr></tbody></table>
</div>
<div class="modified"><span class="modtime">3 hours ago</span> by <span class="moduser">Kenny_Stryker</span></div>
</div>
</div>
</div>
</div>
</div></div></div>
</body>
</html>
`

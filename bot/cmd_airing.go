package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dubbot/upstream/animeschedule"
	"dubbot/upstream/forum"
)

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// AiringCommand is /airing [day]: this week's dub releases by weekday, and
// the upcoming dubs.
func (a *Anime) AiringCommand() *Command {
	choices := []Choice{{Name: "today", Value: "today"}}
	for _, d := range weekdays {
		choices = append(choices, Choice{Name: d.String(), Value: strings.ToLower(d.String())})
	}
	return &Command{
		Name:        "airing",
		Description: "This week's English dub releases, by day, and upcoming dubs",
		Options:     []Option{{Name: "day", Description: "Only this day", Type: OptionString, Choices: choices}},
		Run:         a.runAiring,
	}
}

func (a *Anime) runAiring(ctx context.Context, req *Request) (*Response, error) {
	sched, fetched := a.Dubs.Schedule()
	if sched == nil {
		return Private("I haven't read the list of airing dubs yet. Try again in a few minutes."), nil
	}
	next := a.Dubs.NextEpisodes()
	days := weekdays
	if day := req.Options.String("day"); day != "" {
		d, ok := parseDay(day, req.Received)
		if !ok {
			return nil, Errorf(fmt.Sprintf("%q is not a day of the week.", day))
		}
		days = []time.Weekday{d}
	}
	e := Embed{Title: "English dubs airing this week", Color: ColorAiring}
	fields := len(days)
	if fields > 1 {
		fields++ // upcoming dubs
	}
	// Discord refuses a message whose embeds pass 6,000 characters in all,
	// so a busy week shares that out between its fields.
	budget := min(MaxFieldValue, maxEmbedTotal/fields)
	for _, d := range days {
		e.Fields = append(e.Fields, EmbedField{Name: d.String(), Value: dayLines(sched, next, d, budget)})
	}
	if len(days) > 1 {
		if up := upcomingLines(sched, budget); up != "" {
			e.Fields = append(e.Fields, EmbedField{Name: "Upcoming dubs", Value: up})
		}
	}
	foot := "From the MAL forum's simuldub list"
	if !sched.LastUpdated.IsZero() {
		foot += ", updated " + sched.LastUpdated.Format("January 2, 2006")
	}
	e.Footer = &EmbedFooter{Text: foot}
	if !fetched.IsZero() {
		e.Timestamp = fetched.UTC().Format(time.RFC3339)
	}
	return &Response{Embeds: []Embed{e}}, nil
}

func parseDay(s string, now time.Time) (time.Weekday, bool) {
	if s == "today" {
		if now.IsZero() {
			now = time.Now()
		}
		return now.UTC().Weekday(), true
	}
	for _, d := range weekdays {
		if strings.EqualFold(d.String(), s) {
			return d, true
		}
	}
	return 0, false
}

func dayLines(sched *forum.Schedule, next map[int]animeschedule.NextEpisode, day time.Weekday, budget int) string {
	var lines []string
	for _, s := range sched.Shows {
		if s.Weekday != day {
			continue
		}
		eps := fmt.Sprintf("%d/?", s.Episodes)
		if s.TotalKnown() {
			eps = fmt.Sprintf("%d/%d", s.Episodes, s.Total)
		}
		line := fmt.Sprintf("[%s](https://myanimelist.net/anime/%d) · ep %s", escape.Replace(Clip(s.Title, 80)), s.MALID, eps)
		if n, ok := next[s.MALID]; ok {
			line += fmt.Sprintf(" · ep %d %s", n.Episode, Timestamp(n.At, "R"))
		}
		switch {
		case s.Suspended:
			line += " · suspended"
		case !s.Resumes.IsZero():
			line += " · resumes " + s.Resumes.Format("January 2")
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return "No dub episodes."
	}
	return JoinLines(lines, budget)
}

func upcomingLines(sched *forum.Schedule, budget int) string {
	var lines []string
	for _, it := range sched.Lists {
		if !strings.Contains(strings.ToLower(it.Section), "upcoming") {
			continue
		}
		title := escape.Replace(Clip(it.Title, 80))
		if it.MALID > 0 {
			title = fmt.Sprintf("[%s](https://myanimelist.net/anime/%d)", title, it.MALID)
		}
		switch {
		case !it.Date.IsZero():
			title += " · " + it.Date.Format("January 2, 2006")
		case it.When != "":
			title += " · " + escape.Replace(it.When)
		}
		lines = append(lines, title)
	}
	return JoinLines(lines, budget)
}

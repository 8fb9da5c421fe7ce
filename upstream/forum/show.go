package forum

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// noDay stands for "no weekday known yet".
const noDay time.Weekday = -1

var weekdayNames = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday,
	"monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "sat": time.Saturday,
}

// weekday reads a line that is only a day name: "Monday", "Monday:",
// "MONDAYS", "Mon." — but not a title such as "Sunday Without God".
func weekday(text string) (time.Weekday, bool) {
	word := strings.ToLower(strings.TrimFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }))
	if d, ok := weekdayNames[word]; ok {
		return d, true
	}
	d, ok := weekdayNames[strings.TrimSuffix(word, "s")]
	return d, ok
}

// labelWeekday reads the label of a day's list, whose first word is the day:
// "Monday", "Monday (US)", "Mondays -".
func labelWeekday(text string) (time.Weekday, bool) {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) == 0 {
		return noDay, false
	}
	return weekday(words[0])
}

// episodes matches the counter "(Episodes: 5/12)", with the total possibly
// "?", "????" or a word, and forgiving spelling: "(Episode 5/12)", "(Eps: 5 of 12)".
var episodes = regexp.MustCompile(`(?i)\(\s*ep(?:isode)?s?\.?\s*:?\s*(\d+)\s*(?:/|of)\s*([^()]*?)\s*\)`)

// malAnimeID matches the id in a MyAnimeList anime link, with or without the
// slug, absolute or relative, and the old anime.php?id= form.
var malAnimeID = regexp.MustCompile(`(?i)(?:^|myanimelist\.net)/anime(?:/|\.php\?(?:[^#]*&)?id=)(\d{1,9})(?:[/?#&]|$)`)

// malLink returns the first MyAnimeList anime link among links.
func malLink(links []link) (id int, title string, ok bool) {
	for _, l := range links {
		if m := malAnimeID.FindStringSubmatch(strings.TrimSpace(l.href)); m != nil {
			if id, _ = strconv.Atoi(m[1]); id > 0 {
				return id, l.text, true
			}
		}
	}
	return 0, "", false
}

// parseShow reads "<a>Title</a> (Episodes: 5/12) **"; reason says why a line
// is not a show.
func parseShow(l line, day time.Weekday) (s Show, reason string) {
	id, title, ok := malLink(l.links)
	if !ok {
		return s, "no MyAnimeList anime link"
	}
	m := episodes.FindStringSubmatchIndex(l.text)
	if m == nil {
		return s, "no (Episodes: N/M) counter"
	}
	cur, err := strconv.Atoi(l.text[m[2]:m[3]])
	if err != nil {
		return s, "episode count out of range"
	}
	if title == "" {
		title = strings.TrimSpace(l.text[:m[0]])
	}
	s = Show{MALID: id, Title: title, Weekday: day, Episodes: cur, Total: total(l.text[m[4]:m[5]])}
	// Markers are looked for outside the title, which may hold stars itself.
	marks := strings.Replace(l.text, title, "", 1)
	s.Suspended = strings.Contains(marks, "**")
	s.PlusPlus = strings.Contains(marks, "++")
	if date, ok := findDate(l.text[m[1]:]); ok && s.PlusPlus {
		s.Resumes = date
	}
	return s, ""
}

// total reads the total episode count; "?", "????" and words are unknown (0).
func total(text string) int {
	n, err := strconv.Atoi(text)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

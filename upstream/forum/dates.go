package forum

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// monthDate matches "September 29, 2026", "Sept. 29 2026" and "Oct 5th, 2026";
// the letters after the first three absorb abbreviations and typos alike.
var monthDate = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})\b`)

// numericDate matches the US form "9/29/2026".
var numericDate = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)

var months = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"may": time.May, "jun": time.June, "jul": time.July, "aug": time.August,
	"sep": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

// findDate returns the first date written in s, at UTC midnight.
func findDate(s string) (time.Time, bool) {
	if m := monthDate.FindStringSubmatch(s); m != nil {
		return makeDate(m[3], months[strings.ToLower(m[1])], m[2])
	}
	if m := numericDate.FindStringSubmatch(s); m != nil {
		month, _ := strconv.Atoi(m[1])
		if month >= 1 && month <= 12 {
			return makeDate(m[3], time.Month(month), m[2])
		}
	}
	return time.Time{}, false
}

// makeDate builds a date, refusing days the month does not have.
func makeDate(year string, month time.Month, day string) (time.Time, bool) {
	y, _ := strconv.Atoi(year)
	d, _ := strconv.Atoi(day)
	t := time.Date(y, month, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.Month() != month || y < 1900 {
		return time.Time{}, false
	}
	return t, true
}

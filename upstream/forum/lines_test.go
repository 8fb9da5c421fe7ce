package forum

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestWeekday(t *testing.T) {
	tests := []struct {
		text string
		want time.Weekday
		ok   bool
	}{
		{"Monday", time.Monday, true},
		{"Monday:", time.Monday, true},
		{"MONDAYS", time.Monday, true},
		{"  tuesday - ", time.Tuesday, true},
		{"Thurs.", time.Thursday, true},
		{"Sun", time.Sunday, true},
		{"Sunday Without God", noDay, false},
		{"Wendesday", noDay, false},
		{"Monster", noDay, false},
		{"", noDay, false},
	}
	for _, tt := range tests {
		got, ok := weekday(tt.text)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("weekday(%q) = %v, %v; want %v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
	if d, ok := labelWeekday("Friday (US release)"); !ok || d != time.Friday {
		t.Errorf("labelWeekday = %v, %v", d, ok)
	}
}

func TestMALLink(t *testing.T) {
	tests := []struct {
		href string
		want int
	}{
		{"https://myanimelist.net/anime/52991/Sousou_no_Frieren", 52991},
		{"https://myanimelist.net/anime/52991", 52991},
		{"https://myanimelist.net/anime/52991/", 52991},
		{"http://www.myanimelist.net/anime/5114/Fullmetal_Alchemist%3A_Brotherhood", 5114},
		{"https://myanimelist.net/anime.php?id=21", 21},
		{"https://myanimelist.net/anime.php?q=x&id=21", 21},
		{"/anime/30/Neon_Genesis", 30},
		{" https://myanimelist.net/anime/7?foo ", 7},
		{"https://myanimelist.net/anime/season/2026/fall", 0},
		{"https://myanimelist.net/manga/2/Berserk", 0},
		{"https://myanimelist.net/anime/0/Zero", 0},
		{"https://myanimelist.net/anime/1234567890123/Too_Long", 0},
		{"https://example.com/anime/5", 0},
		{"", 0},
	}
	for _, tt := range tests {
		id, _, ok := malLink([]link{{href: tt.href, text: "t"}})
		if id != tt.want || ok != (tt.want > 0) {
			t.Errorf("malLink(%q) = %d, %v; want %d", tt.href, id, ok, tt.want)
		}
	}
}

func TestParseShowCounter(t *testing.T) {
	tests := []struct {
		text      string
		cur, tot  int
		suspended bool
	}{
		{"T (Episodes: 5/12)", 5, 12, false},
		{"T (Episodes:5 / 12) **", 5, 12, true},
		{"T (Episode: 1/?)", 1, 0, false},
		{"T (episodes 3/????)", 3, 0, false},
		{"T (Eps. 3 of 24)", 3, 24, false},
		{"T (Season 2) (Episodes: 7/Unknown)", 7, 0, false},
		{"T** (Episodes: 2/13)", 2, 13, true},
	}
	for _, tt := range tests {
		s, reason := parseShow(line{text: tt.text, links: []link{{"/anime/9/T", "T"}}}, time.Monday)
		if reason != "" || s.Episodes != tt.cur || s.Total != tt.tot || s.Suspended != tt.suspended || s.TotalKnown() != (tt.tot > 0) {
			t.Errorf("parseShow(%q) = %+v, %q", tt.text, s, reason)
		}
	}
}

func TestFindDate(t *testing.T) {
	tests := []struct {
		text string
		want time.Time
	}{
		{"September 29, 2026", day(2026, time.September, 29)},
		{"Resumes October 20, 2026", day(2026, time.October, 20)},
		{"Sept. 3 2026", day(2026, time.September, 3)},
		{"oct 1st, 2026", day(2026, time.October, 1)},
		{"February 29, 2028", day(2028, time.February, 29)},
		{"9/29/2026", day(2026, time.September, 29)},
		{"February 29, 2027", time.Time{}},
		{"13/01/2026", time.Time{}},
		{"Winter 2027", time.Time{}},
		{"TBA", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := findDate(tt.text)
		if !got.Equal(tt.want) || ok != !tt.want.IsZero() {
			t.Errorf("findDate(%q) = %v, %v; want %v", tt.text, got, ok, tt.want)
		}
	}
}

func TestSplitLines(t *testing.T) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(
		"<table><tr><td><b>Head</b>\u00a0line<br>x<a href=\"/a\">A\u200b</a> y<div>block</div><ul><li>item</li></ul>after</td></tr></table>"))
	if err != nil {
		t.Fatal(err)
	}
	pieces := split(doc.Find("td"))
	var got []string
	for _, pc := range pieces {
		if pc.list != nil {
			got = append(got, "<list>")
			continue
		}
		got = append(got, pc.line.text)
	}
	want := []string{"Head line", "xA y", "block", "<list>", "after"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("split = %q, want %q", got, want)
	}
	if l := pieces[1].line.links; len(l) != 1 || l[0].href != "/a" || l[0].text != "A" {
		t.Errorf("links = %+v", l)
	}
}

func TestShorten(t *testing.T) {
	long := strings.Repeat("é", 300)
	if got := shorten(long); len([]rune(got)) != 201 || !strings.HasSuffix(got, "…") {
		t.Errorf("shorten gave %d runes", len([]rune(got)))
	}
	if got := shorten("short"); got != "short" {
		t.Errorf("shorten(short) = %q", got)
	}
}

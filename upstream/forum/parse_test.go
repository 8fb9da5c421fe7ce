package forum

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func parseFile(t testing.TB, name string) (*Schedule, error) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Parse(f)
}

func mustParseFile(t testing.TB, name string) *Schedule {
	t.Helper()
	s, err := parseFile(t, name)
	if err != nil {
		t.Fatalf("Parse %s: %v", name, err)
	}
	return s
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseTopic(t *testing.T) {
	s := mustParseFile(t, "topic.html")
	resumes := day(2026, time.October, 20)
	want := []Show{
		{MALID: 60001, Title: "LIAR GAME", Weekday: time.Monday, Episodes: 24, Total: 26},
		{MALID: 60002, Title: "Re:ZERO -Starting Life in Another World- Season 4", Weekday: time.Monday, Episodes: 3},
		{MALID: 21, Title: "One Piece", Weekday: time.Tuesday, Episodes: 1155, PlusPlus: true, Resumes: resumes},
		{MALID: 60003, Title: "Spy Classroom (Season 3)", Weekday: time.Tuesday, Episodes: 5, Total: 12},
		{MALID: 60004, Title: "Dr. STONE SCIENCE FUTURE", Weekday: time.Wednesday, Episodes: 10},
		{MALID: 60005, Title: "Kaiju No. 8 Season 2", Weekday: time.Wednesday, Episodes: 7, Total: 11},
		{MALID: 60006, Title: "Jojo's Bizarre Adventure Part 7: STEEL BALL RUN", Weekday: time.Friday, Episodes: 2},
		{MALID: 60007, Title: "Bleach: Thousand-Year Blood War - The Conflict!", Weekday: time.Friday, Episodes: 12, Total: 13},
		{MALID: 60008, Title: "Yu-Gi-Oh: Go Rush!!", Weekday: time.Saturday, Episodes: 67, Total: 151, Suspended: true},
		{MALID: 60010, Title: "Beyblade X", Weekday: time.Saturday, Episodes: 120},
		{MALID: 60011, Title: "Sunday Without Pause", Weekday: time.Sunday, Episodes: 1, Total: 12},
		// Two shows in one list item, split by a line break.
		{MALID: 60012, Title: "The Summer Hikaru Died Season 2", Weekday: time.Sunday, Episodes: 4, Total: 12},
		{MALID: 60013, Title: "Chained Soldier Season 3", Weekday: time.Sunday, Episodes: 2, Total: 12},
	}
	if !slices.Equal(s.Shows, want) {
		t.Errorf("Shows:\n%s", diffShows(s.Shows, want))
	}
	if !s.LastUpdated.Equal(day(2026, time.September, 29)) {
		t.Errorf("LastUpdated = %v", s.LastUpdated)
	}
	wantLegend := Legend{
		Suspended: "Dub production suspended until further notice.",
		PlusPlus:  "Resumes October 20, 2026",
		Resumes:   resumes,
		Star:      "Not confirmed",
	}
	if s.Legend != wantLegend {
		t.Errorf("Legend = %+v, want %+v", s.Legend, wantLegend)
	}
	if len(s.Skipped) != 0 {
		t.Errorf("Skipped = %+v, want none", s.Skipped)
	}
}

func TestParseTopicLists(t *testing.T) {
	s := mustParseFile(t, "topic.html")
	const fall = "Upcoming SimulDubbed Anime for Fall 2026"
	want := []Item{
		{fall, "Demon Slayer: Infinity Castle Part 2", 60020, day(2026, time.October, 5), "October 5, 2026", false},
		{fall, "Frieren: Beyond Journey's End Season 3", 60021, day(2026, time.October, 9), "October 9, 2026", true},
		{fall, "The Apothecary Diaries Season 3", 0, day(2026, time.October, 12), "Oct. 12th, 2026", false},
		{"Upcoming Dubbed Anime", "Chainsaw Man - The Movie: Reze Arc 2", 60030, day(2026, time.November, 13), "November 13, 2026", false},
		// The dashes in an unlinked title without a date stay in the title.
		{"Upcoming Dubbed Anime", "Re:Zero - Starting Life in Another World - Memory Snow Remastered", 0, time.Time{}, "", false},
		{"Released Dubbed Anime Awaiting Streaming", "Look Back 2", 60040, day(2026, time.August, 1), "Released August 1, 2026", false},
		{"Announced Dubbed Anime", "Dan Da Dan Season 3", 60050, time.Time{}, "", false},
		{"Announced Dubbed Anime", "Witch Hat Atelier", 0, time.Time{}, "TBA", false},
		{"Announced Dubbed Anime", "Hell's Paradise Season 3", 0, time.Time{}, "Winter 2027", false},
		// From the author's second post, which continues the first.
		{"Finished SimulDubbed Anime", "The Apothecary Diaries Season 2", 60060, day(2026, time.July, 4), "Finished July 4, 2026", false},
	}
	if !slices.Equal(s.Lists, want) {
		t.Errorf("Lists =\n%+v\nwant\n%+v", s.Lists, want)
	}
}

// Replies by other users, a later post by the author and his signature may
// hold schedule-shaped text; none of it is the schedule.
func TestParseIgnoresRepliesAndSignature(t *testing.T) {
	s := mustParseFile(t, "topic.html")
	for _, sh := range s.Shows {
		if sh.MALID >= 99990 {
			t.Errorf("show %d %q comes from outside the schedule posts", sh.MALID, sh.Title)
		}
	}
}

func TestParseBrokenLines(t *testing.T) {
	s := mustParseFile(t, "broken.html")
	var ids []int
	for _, sh := range s.Shows {
		ids = append(ids, sh.MALID)
	}
	if want := []int{61001, 61006, 61007, 61008, 61009}; !slices.Equal(ids, want) {
		t.Errorf("show ids = %v, want %v", ids, want)
	}
	want := []SkippedLine{
		{"", "Last Updated: Septembr 31, 2026", "unreadable Last Updated date"},
		{streaming, "Plain Title Without Link (Episodes: 3/12)", "no MyAnimeList anime link"},
		{streaming, "No Counter", "no (Episodes: N/M) counter"},
		{streaming, "Unknown Count (Episodes: ?/12)", "no (Episodes: N/M) counter"},
		{streaming, "A Manga (Episodes: 2/10)", "no MyAnimeList anime link"},
		{streaming, "Zero Id (Episodes: 1/12)", "no MyAnimeList anime link"},
		{streaming, "Huge Count (Episodes: 99999999999999999999999/12)", "episode count out of range"},
		{"Upcoming Dubbed Anime", "*", "no title"},
	}
	if !slices.Equal(s.Skipped, want) {
		t.Errorf("Skipped =\n%+v\nwant\n%+v", s.Skipped, want)
	}
	if !s.LastUpdated.IsZero() {
		t.Errorf("LastUpdated = %v from an impossible date", s.LastUpdated)
	}
}

const streaming = "Currently Streaming SimulDubbed Anime"

// The "++" legend once meant an irregular schedule, with no date in it.
func TestParseOldLegend(t *testing.T) {
	s := mustParseFile(t, "broken.html")
	if want := "Dub is being produced from home studios with an irregular release schedule."; s.Legend.PlusPlus != want {
		t.Errorf("Legend.PlusPlus = %q", s.Legend.PlusPlus)
	}
	marks := map[int]Show{}
	for _, sh := range s.Shows {
		marks[sh.MALID] = sh
	}
	tests := []struct {
		id                  int
		suspended, plusPlus bool
		resumes             time.Time
	}{
		{61007, false, true, time.Time{}},
		{61008, true, true, time.Time{}},
		{61009, false, true, day(2026, time.November, 3)}, // its own line names a date
	}
	for _, tt := range tests {
		sh := marks[tt.id]
		if sh.Suspended != tt.suspended || sh.PlusPlus != tt.plusPlus || !sh.Resumes.Equal(tt.resumes) {
			t.Errorf("show %d: suspended %v, ++ %v, resumes %v; want %v %v %v", tt.id,
				sh.Suspended, sh.PlusPlus, sh.Resumes, tt.suspended, tt.plusPlus, tt.resumes)
		}
	}
}

func TestParseMissingWeekday(t *testing.T) {
	s := mustParseFile(t, "missing-day.html")
	got := map[int]time.Weekday{}
	for _, sh := range s.Shows {
		got[sh.MALID] = sh.Weekday
	}
	want := map[int]time.Weekday{
		62001: time.Monday,
		62005: time.Thursday, // "<b>Thursday</b>:"
		62006: time.Saturday, // a day item followed by show items
		62007: time.Saturday,
		62008: time.Sunday, // a day line above its own list
	}
	if len(got) != len(want) {
		t.Errorf("shows = %v, want %v", got, want)
	}
	for id, d := range want {
		if got[id] != d {
			t.Errorf("show %d on %v, want %v", id, got[id], d)
		}
	}
	wantSkipped := []SkippedLine{
		{streaming, "Lost Day One (Episodes: 3/13)", "no weekday header above this show"},
		{streaming, "Lost Day Two (Episodes: 1/12)", "no weekday header above this show"},
		{streaming, "Typo Day (Episodes: 9/24)", `unrecognised weekday "Wendesday"`},
	}
	if !slices.Equal(s.Skipped, wantSkipped) {
		t.Errorf("Skipped =\n%+v\nwant\n%+v", s.Skipped, wantSkipped)
	}
	if !s.LastUpdated.Equal(day(2026, time.October, 2)) {
		t.Errorf("LastUpdated = %v", s.LastUpdated)
	}
}

func TestParseNoShows(t *testing.T) {
	emptyPage, err := os.ReadFile("testdata/empty.html")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, page, want string
	}{
		{"error page", string(emptyPage), `no "Currently Streaming SimulDubbed Anime" header`},
		{"nothing", "", "no \"Currently Streaming"},
		{"json", `{"error":"blocked"}`, "no \"Currently Streaming"},
		{"empty section", "<b>Currently Streaming SimulDubbed Anime</b><ul><li>Monday<ul><li>None</li></ul></li></ul>",
			"the schedule section is empty"},
		{"all lines broken", "<b>Currently Streaming SimulDubbed Anime</b><ul><li>Monday<ul><li>Show (Episodes: 1/2)</li></ul></li></ul>",
			`1 lines skipped, the first "Show (Episodes: 1/2)": no MyAnimeList anime link`},
		{"shows without days", `<b>Currently Streaming SimulDubbed Anime</b><ul><li><a href="/anime/5">A</a> (Episodes: 1/2)</li></ul>`,
			"no weekday header above this show"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(strings.NewReader(tt.page))
			if !errors.Is(err, ErrNoShows) || s != nil {
				t.Fatalf("Parse = %v, %v; want ErrNoShows", s, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

// diffShows lists the differing entries of two show lists, for test output.
func diffShows(got, want []Show) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		var g, w Show
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			fmt.Fprintf(&b, "got  %+v\nwant %+v\n", g, w)
		}
	}
	return b.String()
}

func TestParseShapes(t *testing.T) {
	const head = "<b>Currently Streaming SimulDubbed Anime</b><br>"
	tests := []struct {
		name    string
		body    string
		want    map[int]time.Weekday
		skipped []string // reasons
	}{
		{"show with a nested note",
			`<ul><li>Monday<ul><li><a href="/anime/5">A</a> (Episodes: 1/2)<ul><li>Note: delayed</li></ul></li></ul></li></ul>`,
			map[int]time.Weekday{5: time.Monday}, []string{"no MyAnimeList anime link"}},
		{"show with a nested note and no day",
			`<ul><li><a href="/anime/5">A</a> (Episodes: 1/2)<ul><li><a href="/anime/6">B</a> (Episodes: 1/2)</li></ul></li><li>Friday<ul><li><a href="/anime/7">C</a> (Episodes: 3/4)</li></ul></li></ul>`,
			map[int]time.Weekday{7: time.Friday},
			[]string{"no weekday header above this show", "no weekday header above this show"}},
		{"ordered list and abbreviations",
			`<ol><li>Tues:<br><ol><li><a href="/anime/8">D</a> (Episodes: 2/?)</li></ol></li></ol>`,
			map[int]time.Weekday{8: time.Tuesday}, nil},
		{"day label with a note",
			`<ul><li><b>Wednesday</b> (simulcast day)<ul><li><a href="/anime/9">E</a> (Episodes: 2/12)</li></ul></li></ul>`,
			map[int]time.Weekday{9: time.Wednesday}, nil},
		{"legend inside the list",
			`<ul><li>Monday<ul><li><a href="/anime/5">A</a> (Episodes: 1/2) **</li></ul></li><li>** = Suspended</li></ul>`,
			map[int]time.Weekday{5: time.Monday}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(strings.NewReader(head + tt.body))
			if err != nil {
				t.Fatal(err)
			}
			got := map[int]time.Weekday{}
			for _, sh := range s.Shows {
				got[sh.MALID] = sh.Weekday
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("shows = %v, want %v", got, tt.want)
			}
			var reasons []string
			for _, sk := range s.Skipped {
				reasons = append(reasons, sk.Reason)
			}
			if !slices.Equal(reasons, tt.skipped) {
				t.Errorf("skipped = %+v, want reasons %q", s.Skipped, tt.skipped)
			}
		})
	}
}

// Callers store schedules as JSON; a stored one must read back unchanged.
func TestScheduleJSONRoundTrip(t *testing.T) {
	for _, name := range []string{"topic.html", "broken.html"} {
		want := mustParseFile(t, name)
		data, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		var got Schedule
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Shows, want.Shows) || !slices.Equal(got.Lists, want.Lists) ||
			!slices.Equal(got.Skipped, want.Skipped) || got.Legend != want.Legend || got.LastUpdated != want.LastUpdated {
			t.Errorf("%s: JSON round trip changed the schedule:\n%s", name, data)
		}
	}
	data, _ := json.Marshal(Show{MALID: 5, Title: "A", Weekday: time.Monday, Episodes: 2})
	if want := `{"mal_id":5,"title":"A","weekday":1,"episodes":2}`; string(data) != want {
		t.Errorf("Show JSON = %s, want %s", data, want)
	}
}

package forum_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dubbot/upstream/forum"
	"dubbot/upstream/forum/forumtest"
)

// BenchmarkParse reads a page at real scale: 60 airing shows, 40 list items,
// and 49 replies after the schedule post, about 300 KB like a full topic page.
func BenchmarkParse(b *testing.B) {
	s := &forum.Schedule{LastUpdated: time.Date(2026, 9, 29, 0, 0, 0, 0, time.UTC)}
	for i := range 60 {
		s.Shows = append(s.Shows, forum.Show{MALID: 60000 + i, Title: fmt.Sprintf("Show number %d", i),
			Weekday: time.Weekday(i % 7), Episodes: i, Total: 24})
	}
	for i := range 40 {
		s.Lists = append(s.Lists, forum.Item{Section: "Upcoming Dubbed Anime", Title: fmt.Sprintf("Film %d", i),
			MALID: 61000 + i, When: "November 13, 2026"})
	}
	page := forumtest.Render(s)
	reply := `<div class="forum-topic-message message" data-user="Reader"><div class="content"><table class="body"><tbody><tr><td>` +
		strings.Repeat("Thanks for keeping this list going, it is really useful. ", 100) + `</td></tr></tbody></table></div></div>`
	page = strings.Replace(page, "</body>", strings.Repeat(reply, 49)+"</body>", 1)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		got, err := forum.Parse(strings.NewReader(page))
		if err != nil || len(got.Shows) != 60 {
			b.Fatalf("Parse: %v", err)
		}
	}
}

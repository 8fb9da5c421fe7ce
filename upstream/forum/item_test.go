package forum

import (
	"testing"
	"time"
)

func TestParseItem(t *testing.T) {
	tests := []struct {
		name  string
		line  line
		want  Item
		valid bool
	}{
		{"linked with date",
			line{"Show - October 5, 2026", []link{{"https://myanimelist.net/anime/5/Show", "Show"}}},
			Item{Section: "S", Title: "Show", MALID: 5, Date: day(2026, time.October, 5), When: "October 5, 2026"}, true},
		{"unlinked starred",
			line{"Some Film - December 1, 2026 *", nil},
			Item{Section: "S", Title: "Some Film", Date: day(2026, time.December, 1), When: "December 1, 2026", Starred: true}, true},
		{"em dash and season",
			line{"Sequel — Spring 2027", nil},
			Item{Section: "S", Title: "Sequel", When: "Spring 2027"}, true},
		{"dash inside title",
			line{"Re:Zero - Memory Snow", nil},
			Item{Section: "S", Title: "Re:Zero - Memory Snow"}, true},
		{"dash inside linked title",
			line{"A - B - TBA", []link{{"/anime/8", "A - B"}}},
			Item{Section: "S", Title: "A - B", MALID: 8, When: "TBA"}, true},
		{"link without text",
			line{"Bare - March 2, 2027", []link{{"/anime/8", ""}}},
			Item{Section: "S", Title: "Bare", MALID: 8, Date: day(2027, time.March, 2), When: "March 2, 2027"}, true},
		{"only a star", line{"*", nil}, Item{Section: "S", Starred: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseItem(tt.line, "S")
			if ok != tt.valid || got != tt.want {
				t.Errorf("parseItem = %+v, %v; want %+v, %v", got, ok, tt.want, tt.valid)
			}
		})
	}
}

package search

import (
	"strings"
	"testing"
	"unicode/utf16"

	"dubbot/anime"
)

func TestChoiceName(t *testing.T) {
	long := strings.Repeat("Very Long Title ", 10)
	emoji := strings.Repeat("🎌", 60)
	for _, c := range []struct {
		name string
		a    anime.Anime
		want string
	}{
		{"english preferred", anime.Anime{ID: 1, Title: "Shingeki no Kyojin", English: "Attack on Titan", Year: 2013, Type: "TV"}, "Attack on Titan (2013, TV)"},
		{"no english", anime.Anime{ID: 1, Title: "Monster", Year: 2004, Type: "TV"}, "Monster (2004, TV)"},
		{"no year", anime.Anime{ID: 1, Title: "Monster", Type: "TV"}, "Monster (TV)"},
		{"no type", anime.Anime{ID: 1, Title: "Monster", Year: 2004}, "Monster (2004)"},
		{"bare", anime.Anime{ID: 1, Title: "Monster"}, "Monster"},
		{"no title", anime.Anime{ID: 42, Year: 2004}, "#42 (2004)"},
		{"whitespace", anime.Anime{ID: 1, Title: " Two\n Lines ", Type: "OVA"}, "Two Lines (OVA)"},
		{"long", anime.Anime{ID: 1, Title: long, Year: 2019, Type: "TV"},
			strings.TrimSpace(long[:88]) + "… (2019, TV)"},
		{"emoji", anime.Anime{ID: 1, Title: emoji, Year: 2019, Type: "TV"},
			strings.Repeat("🎌", 44) + "… (2019, TV)"},
	} {
		got := ChoiceName(c.a)
		if got != c.want {
			t.Errorf("%s: ChoiceName = %q, want %q", c.name, got, c.want)
		}
		if n := len(utf16.Encode([]rune(got))); n > maxChoiceName {
			t.Errorf("%s: ChoiceName is %d UTF-16 units, over %d", c.name, n, maxChoiceName)
		}
	}
}

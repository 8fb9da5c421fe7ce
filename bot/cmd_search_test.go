package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSearchButtonsRoundTripWithinDiscordsLimit(t *testing.T) {
	longest := searchState{Page: 12, Dubbed: true, Type: "special", Year: 2024,
		Query: strings.Repeat("ü", maxQueryLen)}
	cases := []searchState{
		{Page: 1, Query: "attack on titan s2"},
		{Page: 3, Dubbed: true, Type: "movie", Year: 1997, Query: "re:zero: starting life"},
		longest,
	}
	for _, st := range cases {
		for _, page := range []int{st.Page - 1, st.Page + 1} {
			id := st.customID(page)
			if n := utf8.RuneCountInString(id); n > 100 {
				t.Errorf("custom_id %q is %d characters, Discord allows 100", id, n)
			}
			got, ok := parseSearchID(id)
			want := st
			want.Page = page
			if !ok || got != want {
				t.Errorf("parseSearchID(%q) = %+v, %v; want %+v", id, got, ok, want)
			}
		}
	}
	for _, bad := range []string{"search", "search:x:,,0:q", "search:1:d,tv:q", "other:1:,,0:q"} {
		if _, ok := parseSearchID(bad); ok {
			t.Errorf("parseSearchID(%q) accepted", bad)
		}
	}
}

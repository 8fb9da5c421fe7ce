package dubinfo

import (
	"slices"
	"testing"

	"dubbot/anime"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"dubinfo.json", "dubinfo-older.json", "overlap-total.json",
		"extra-keys.json", "trailing-comma.json"} {
		f.Add(readFixture(f, name))
	}
	for _, s := range []string{`{"dubbed":[1.0]}`, `{"dubbed":["1"]}`, `{"dubbed":[1],"incomplete":null}`,
		`{"dubbed":[-1]}`, `{"dubbed":[1],"dubbed":[2]}`, `null`, `[]`, `{"dubbed":[1 ]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data)
		if err != nil {
			if l != nil {
				t.Fatal("Parse returned a list with an error")
			}
			return
		}
		if l.DubbedCount() == 0 {
			t.Fatal("Parse accepted a list with no dubbed ids")
		}
		checkList(t, l)
		data2, err := l.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(data2)
		if err != nil {
			t.Fatalf("Parse(MarshalJSON) = %v for %s", err, data2)
		}
		if !slices.Equal(again.Dubbed(), l.Dubbed()) || !slices.Equal(again.Incomplete(), l.Incomplete()) {
			t.Fatal("JSON round trip changed the list")
		}
	})
}

// checkList asserts the List invariants: positive ids, disjoint sets, and
// Status agreeing with the sets.
func checkList(t *testing.T, l *List) {
	t.Helper()
	for _, id := range l.Dubbed() {
		if id <= 0 || l.Status(id) != anime.DubDubbed {
			t.Fatalf("dubbed id %d has status %v", id, l.Status(id))
		}
	}
	for _, id := range l.Incomplete() {
		if id <= 0 || l.Status(id) != anime.DubPartial {
			t.Fatalf("incomplete id %d has status %v", id, l.Status(id))
		}
	}
}

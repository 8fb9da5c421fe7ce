package dubinfo

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"dubbot/anime"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file       string
		dubbed     []int
		incomplete []int
	}{
		{"dubinfo.json",
			[]int{1, 5, 6, 30, 120, 1535, 5114, 9253, 11061, 20583, 38000, 52991},
			[]int{8, 170, 1520, 44073}},
		// Before 2023 incomplete ids were also in dubbed: incomplete wins.
		{"overlap-total.json", []int{1, 5, 30}, []int{8, 170}},
		// Unknown keys, empty lists among them, are ignored; order does not matter.
		{"extra-keys.json", []int{1, 5, 30}, []int{8}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			l, err := Parse(readFixture(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := l.Dubbed(); !slices.Equal(got, tt.dubbed) {
				t.Errorf("Dubbed() = %v, want %v", got, tt.dubbed)
			}
			if got := l.Incomplete(); !slices.Equal(got, tt.incomplete) {
				t.Errorf("Incomplete() = %v, want %v", got, tt.incomplete)
			}
			if l.DubbedCount() != len(tt.dubbed) || l.IncompleteCount() != len(tt.incomplete) ||
				l.Len() != len(tt.dubbed)+len(tt.incomplete) {
				t.Errorf("counts = %d/%d/%d, want %d/%d", l.DubbedCount(), l.IncompleteCount(), l.Len(),
					len(tt.dubbed), len(tt.incomplete))
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, input string
		want        string // substring of the error
	}{
		{"trailing comma", string(readFixture(t, "trailing-comma.json")), "not a JSON object"},
		{"empty input", "", "not a JSON object"},
		{"html error page", "<html>404</html>", "not a JSON object"},
		{"array at top", "[1,2,3]", "not a JSON object"},
		{"null", "null", "null, not a JSON object"},
		{"no dubbed", `{"incomplete":[1]}`, `no "dubbed" array`},
		{"dubbed null", `{"dubbed":null}`, `"dubbed" is null`},
		{"dubbed object", `{"dubbed":{"1":true}}`, `"dubbed" is not an array`},
		{"dubbed empty", `{"dubbed":[]}`, "no dubbed ids"},
		{"float id", `{"dubbed":[1, 2.5]}`, "dubbed[1]: 2.5 is not a positive integer id"},
		{"float that looks whole", `{"dubbed":[1.0]}`, "dubbed[0]: 1.0 is not"},
		{"exponent", `{"dubbed":[1e3]}`, "dubbed[0]: 1e3 is not"},
		{"string id", `{"dubbed":[1,"12"]}`, `dubbed[1]: "12" is not`},
		{"negative id", `{"dubbed":[-5]}`, "dubbed[0]: -5 is not"},
		{"zero id", `{"dubbed":[0]}`, "dubbed[0]: 0 is not a valid id"},
		{"huge id", `{"dubbed":[99999999999999999999999]}`, "out of range"},
		{"nested array", `{"dubbed":[[1]]}`, "dubbed[0]: [1] is not"},
		{"bool", `{"dubbed":[true]}`, "dubbed[0]: true is not"},
		{"bad incomplete", `{"dubbed":[1],"incomplete":[1,null]}`, "incomplete[1]: null is not"},
		{"incomplete string", `{"dubbed":[1],"incomplete":"8"}`, `"incomplete" is not an array`},
		{"long value is cut", `{"dubbed":["` + strings.Repeat("x", 100) + `"]}`, "xxx..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse([]byte(tt.input))
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error containing %q", tt.input, l.Dubbed(), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.input, err, tt.want)
			}
			if len(err.Error()) > 200 {
				t.Errorf("error is %d bytes long: %q", len(err.Error()), err)
			}
		})
	}
}

func TestParseEmptyIsErrEmpty(t *testing.T) {
	if _, err := Parse([]byte(`{"dubbed":[],"incomplete":[5]}`)); !errors.Is(err, ErrEmpty) {
		t.Fatalf("err = %v, want ErrEmpty", err)
	}
}

func TestParseOptionalIncomplete(t *testing.T) {
	for _, input := range []string{`{"dubbed":[3,1]}`, `{"dubbed":[3,1],"incomplete":null}`} {
		l, err := Parse([]byte(input))
		if err != nil {
			t.Fatalf("Parse(%s): %v", input, err)
		}
		if !slices.Equal(l.Dubbed(), []int{1, 3}) || l.IncompleteCount() != 0 {
			t.Errorf("Parse(%s) = %v / %v", input, l.Dubbed(), l.Incomplete())
		}
	}
}

func TestParseDuplicatesCollapse(t *testing.T) {
	l, err := Parse([]byte(`{"dubbed":[7,7,2,7],"incomplete":[9,9]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.Dubbed(), []int{2, 7}) || !slices.Equal(l.Incomplete(), []int{9}) {
		t.Errorf("got %v / %v", l.Dubbed(), l.Incomplete())
	}
}

func TestStatus(t *testing.T) {
	l := New([]int{1, 2, 3}, []int{3, 4})
	tests := []struct {
		id   int
		want anime.DubStatus
	}{
		{1, anime.DubDubbed},
		{2, anime.DubDubbed},
		{3, anime.DubPartial}, // in both lists: incomplete wins
		{4, anime.DubPartial},
		{5, anime.DubNone},
		{0, anime.DubNone},
		{-1, anime.DubNone},
	}
	for _, tt := range tests {
		if got := l.Status(tt.id); got != tt.want {
			t.Errorf("Status(%d) = %v, want %v", tt.id, got, tt.want)
		}
		if got := l.Known(tt.id); got != (tt.want != anime.DubNone) {
			t.Errorf("Known(%d) = %v", tt.id, got)
		}
	}
}

func TestNilListKnowsNothing(t *testing.T) {
	var l *List
	if l.Status(1) != anime.DubNone || l.Len() != 0 || l.Dubbed() != nil || l.Incomplete() != nil {
		t.Errorf("nil list: status %v, len %d", l.Status(1), l.Len())
	}
}

func TestJSONRoundTrip(t *testing.T) {
	want := New([]int{30, 1, 5}, []int{8, 1})
	data, err := want.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(data); got != `{"dubbed":[5,30],"incomplete":[1,8]}` {
		t.Errorf("MarshalJSON = %s", got)
	}
	var got List
	if err := got.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Dubbed(), want.Dubbed()) || !slices.Equal(got.Incomplete(), want.Incomplete()) {
		t.Errorf("round trip = %v / %v, want %v / %v", got.Dubbed(), got.Incomplete(), want.Dubbed(), want.Incomplete())
	}
	if err := got.UnmarshalJSON([]byte(`{"dubbed":[1.5]}`)); err == nil {
		t.Error("UnmarshalJSON accepted a float id")
	}
}

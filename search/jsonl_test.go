package search

import (
	"strings"
	"testing"
)

func TestLoadJSONL(t *testing.T) {
	in := `{"mal_id":1,"title":"Cowboy Bebop","synonyms":["Bebop"],"type":"TV","year":1998,"members":1900000,"fetched_at":"2025-01-15T00:00:00Z"}

{"mal_id":5,"title":"Cowboy Bebop: Tengoku no Tobira","unknown_field":true}
`
	items, err := LoadJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].ID != 1 || items[0].Synonyms[0] != "Bebop" || items[0].Year != 1998 || items[1].ID != 5 {
		t.Errorf("LoadJSONL = %+v", items)
	}
}

func TestLoadJSONLErrors(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"bad json", "{\"mal_id\":1,\"title\":\"A\"}\n\n{\"mal_id\":2,\n", "line 3"},
		{"wrong type", `{"mal_id":"one"}`, "line 1"},
		{"no id", "{\"mal_id\":1}\n{\"title\":\"No id\"}", "line 2: mal_id 0"},
		{"too long", `{"title":"` + strings.Repeat("a", maxLine) + `"}`, "token too long"},
	} {
		_, err := LoadJSONL(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
}

func FuzzLoadJSONL(f *testing.F) {
	f.Add(`{"mal_id":1,"title":"Cowboy Bebop","synonyms":["Bebop"]}` + "\n")
	f.Add("{\"mal_id\":2}\n\n{\"mal_id\":3,\"year\":\"x\"}")
	f.Add(`{"mal_id":-1}`)
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, in string) {
		items, err := LoadJSONL(strings.NewReader(in))
		if err != nil {
			if items != nil {
				t.Fatalf("error %v with %d items", err, len(items))
			}
			return
		}
		for _, a := range items {
			if a.ID <= 0 {
				t.Fatalf("loaded anime with id %d", a.ID)
			}
		}
		x := New()
		x.Replace(items) // whatever loads must index
		x.Search(in, Filter{}, 5)
	})
}

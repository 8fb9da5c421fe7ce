package search

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"dubbot/anime"
)

// top returns the id of the best result for query, or 0.
func top(x *Index, query string, f Filter) int {
	rs := x.Search(query, f, 1)
	if len(rs) == 0 {
		return 0
	}
	return rs[0].Anime.ID
}

func TestUpsertRemove(t *testing.T) {
	x := loadCatalog(t)
	n := x.Len()
	x.Upsert(anime.Anime{ID: 99001, Title: "Kusoge Kaizoku", English: "Trash Game Pirates", Members: 10})
	if got := top(x, "trash game pirates", Filter{}); got != 99001 {
		t.Errorf("new anime: top = %d, want 99001", got)
	}
	if x.Len() != n+1 {
		t.Errorf("Len after insert = %d, want %d", x.Len(), n+1)
	}
	// Renaming a base anime shadows its old titles.
	frieren, _ := x.Get(52991)
	frieren.Title, frieren.English, frieren.Japanese, frieren.Synonyms = "Elf Journey", "", "", nil
	x.Upsert(frieren)
	if got := top(x, "sousou no frieren", Filter{}); got == 52991 {
		t.Errorf("old title still finds the renamed anime")
	}
	if got := top(x, "elf journey", Filter{}); got != 52991 {
		t.Errorf("renamed: top = %d, want 52991", got)
	}
	if a, ok := x.Get(52991); !ok || a.Title != "Elf Journey" {
		t.Errorf("Get(52991) = %q, %v; want the new title", a.Title, ok)
	}
	if x.Len() != n+1 {
		t.Errorf("Len after rename = %d, want %d", x.Len(), n+1)
	}
	x.Remove(52991)
	x.Remove(99001)
	x.Remove(123456789) // absent: no-op
	if _, ok := x.Get(52991); ok {
		t.Error("Get finds a removed anime")
	}
	if got := top(x, "elf journey", Filter{}); got == 52991 {
		t.Error("Search finds a removed anime")
	}
	if x.Len() != n-1 {
		t.Errorf("Len after removes = %d, want %d", x.Len(), n-1)
	}
}

// TestCompaction upserts more than the delta layer holds, forcing base
// rebuilds, and checks nothing is lost or doubled.
func TestCompaction(t *testing.T) {
	x := loadCatalog(t)
	n := x.Len()
	for i := range 2*deltaMax + 10 {
		x.Upsert(anime.Anime{ID: 200000 + i, Title: fmt.Sprintf("Synthetic Show %d", i), Members: 1})
	}
	dub, _ := x.Get(16498)
	x.Upsert(dub) // an existing id again
	if got, want := x.Len(), n+2*deltaMax+10; got != want {
		t.Errorf("Len = %d, want %d", got, want)
	}
	if st := x.state.Load(); len(st.delta.docs) > deltaMax {
		t.Errorf("delta holds %d anime, want at most %d", len(st.delta.docs), deltaMax)
	}
	for _, id := range []int{200000, 200000 + deltaMax, 200000 + 2*deltaMax + 9} {
		if got := top(x, fmt.Sprintf("synthetic show %d", id-200000), Filter{}); got != id {
			t.Errorf("after compaction: top = %d, want %d", got, id)
		}
	}
	if rs := x.Search("shingeki no kyojin", Filter{}, 10); len(rs) == 0 || rs[0].Anime.ID != 16498 || (len(rs) > 1 && rs[1].Anime.ID == 16498) {
		t.Errorf("re-upserted anime: results %v, want 16498 once, first", ids(rs))
	}
}

func TestReplaceDedupes(t *testing.T) {
	x := New()
	if x.Len() != 0 || len(x.Search("anything", Filter{}, 5)) != 0 {
		t.Fatal("new index is not empty")
	}
	x.Replace([]anime.Anime{{ID: 1, Title: "Cowboy Bebop"}, {ID: 1, Title: "Trigun"}, {ID: 2, Title: "Monster"}})
	if x.Len() != 2 {
		t.Errorf("Len = %d, want 2", x.Len())
	}
	if a, _ := x.Get(1); a.Title != "Trigun" {
		t.Errorf("Get(1).Title = %q, want the last duplicate, Trigun", a.Title)
	}
	if got := top(x, "cowboy bebop", Filter{}); got != 0 {
		t.Errorf("replaced title still found: %d", got)
	}
}

func TestFilters(t *testing.T) {
	x := loadCatalog(t)
	onlyS2 := func(id int) bool { return id == 25777 }
	for _, c := range []struct {
		name  string
		query string
		f     Filter
		want  int
	}{
		{"type", "attack on titan", Filter{Type: "Movie"}, 23775},
		{"type any case", "attack on titan", Filter{Type: "ova"}, 18397},
		{"year", "attack on titan", Filter{Year: 2017}, 25777},
		{"dubbed", "attack on titan", Filter{Dubbed: onlyS2}, 25777},
		{"nothing passes", "attack on titan", Filter{Type: "Music"}, 0},
	} {
		if got := top(x, c.query, c.f); got != c.want {
			t.Errorf("%s: top = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestAutocomplete(t *testing.T) {
	x := loadCatalog(t)
	for _, c := range []struct {
		prefix string
		want   int
	}{
		{"shingeki no k", 16498},
		{"frier", 52991},
		{"attack on ti", 16498},
		{"jujutsu kaisen 2", 51009},
		{"demon sl", 38000},
		{"", 1535}, // most members; ties go to the lower id
	} {
		rs := x.Autocomplete(c.prefix, Filter{}, 10)
		if len(rs) == 0 || rs[0].Anime.ID != c.want {
			t.Errorf("Autocomplete(%q) = %v, want %d first", c.prefix, ids(rs), c.want)
		}
	}
	if n := len(x.Autocomplete("", Filter{}, 100)); n != MaxAutocomplete {
		t.Errorf("Autocomplete returned %d choices, want the cap %d", n, MaxAutocomplete)
	}
	if rs := x.Autocomplete("", Filter{Type: "Movie"}, 3); len(rs) != 3 || rs[0].Anime.ID != 32281 {
		t.Errorf("popular movies = %v, want 3 led by 32281", ids(rs))
	}
}

func TestGood(t *testing.T) {
	x := loadCatalog(t)
	for _, q := range []string{"shingeki no kyojin", "attack on titan s2", "fmab", "kaguya sama", "atack on tittan"} {
		if rs := x.Search(q, Filter{}, 5); !Good(rs) {
			t.Errorf("Good(Search(%q)) = false (top score %.3f), want true", q, topScore(rs))
		}
	}
	for _, q := range []string{"zzzz qqq", "the", "season 2", "made in heaven", "girls und panzer", "hello world"} {
		if rs := x.Search(q, Filter{}, 5); Good(rs) {
			t.Errorf("Good(Search(%q)) = true (top %q, %.3f), want false", q, rs[0].Matched, rs[0].Score)
		}
	}
}

func topScore(rs []Result) float64 {
	if len(rs) == 0 {
		return 0
	}
	return rs[0].Score
}

func TestSearchResults(t *testing.T) {
	x := loadCatalog(t)
	if rs := x.Search("naruto", Filter{}, 0); rs != nil {
		t.Errorf("limit 0 gave %d results", len(rs))
	}
	if rs := x.Search("naruto", Filter{}, 3); len(rs) != 3 {
		t.Errorf("limit 3 gave %d results", len(rs))
	}
	for _, c := range []struct{ query, matched string }{
		{"attack on titan", "Attack on Titan"},
		{"進撃の巨人", "進撃の巨人"},
		{"fmab", "FMAB"},
		{"ngnl zero", "No Game No Life: Zero"},
	} {
		if rs := x.Search(c.query, Filter{}, 1); len(rs) == 0 || rs[0].Matched != c.matched {
			t.Errorf("Search(%q) matched %v, want %q", c.query, rs, c.matched)
		}
	}
}

// TestConcurrentUse searches while another goroutine upserts, removes and
// rebuilds; run with -race.
func TestConcurrentUse(t *testing.T) {
	x := loadCatalog(t)
	items, _ := x.Get(16498)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if got := top(x, "shingeki no kyojin", Filter{}); got != 16498 {
					t.Errorf("concurrent search: top = %d, want 16498", got)
					return
				}
				x.Autocomplete("death n", Filter{}, 5)
			}
		})
	}
	for i := range deltaMax + 20 {
		x.Upsert(anime.Anime{ID: 300000 + i, Title: fmt.Sprintf("Filler %d", i)})
		if i%50 == 0 {
			x.Remove(300000 + i)
			x.Upsert(items)
		}
	}
	close(stop)
	wg.Wait()
}

// FuzzSearch feeds arbitrary user input to Search and Autocomplete: no
// panics, limits kept, no anime twice, best first.
func FuzzSearch(f *testing.F) {
	x := loadCatalog(f)
	for _, c := range relevanceCases[:20] {
		f.Add(c.query)
	}
	f.Add("a b c d e f g h i j k l m n o p q r s t u v w x y z")
	f.Add("supercalifragilisticexpialidociousaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	f.Add("の の の 2 2 2 season")
	f.Fuzz(func(t *testing.T, q string) {
		for _, rs := range [][]Result{x.Search(q, Filter{}, 10), x.Autocomplete(q, Filter{}, 25)} {
			if len(rs) > 25 {
				t.Fatalf("%d results", len(rs))
			}
			seen := map[int]bool{}
			for i, r := range rs {
				if seen[r.Anime.ID] {
					t.Fatalf("%q: anime %d twice", q, r.Anime.ID)
				}
				seen[r.Anime.ID] = true
				if i > 0 && r.Score > rs[i-1].Score {
					t.Fatalf("%q: results out of order: %v", q, ids(rs))
				}
			}
		}
	})
}

// FuzzNames indexes arbitrary titles, as an upstream may send them, next
// to namesakes and a root title: building never panics, and an anime is
// found by its own title whenever anything is found.
func FuzzNames(f *testing.F) {
	f.Add("Bleach: Thousand-Year Blood War - The Separation", "Bleach TYBW", 2023)
	f.Add("Hunter x Hunter (2011)", "HxH 2011", 2011)
	f.Add(": - : - ", "tv", 0)
	f.Add("進撃の巨人 ~CHRONICLE~", "2020", 2020)
	f.Add("Food Wars! Shokugeki no Soma", "a - b: c", 1)
	f.Fuzz(func(t *testing.T, title, synonym string, year int) {
		items := []anime.Anime{
			{ID: 1, Title: title, English: synonym + " " + title, Synonyms: []string{synonym, title + " (TV)"}, Type: "TV", Year: year, Members: 10},
			{ID: 2, Title: title + ": " + synonym, Type: "OVA", Year: year, Members: 1},
			{ID: 3, Title: synonym, English: title, Type: "Movie", Year: year},
		}
		x := New()
		x.Replace(items)
		rs := x.Search(title, Filter{}, 5)
		if len(rs) > 0 && !slices.ContainsFunc(rs, func(r Result) bool { return r.Anime.ID == 1 || r.Anime.ID == 3 }) {
			t.Fatalf("Search(%q) = %v: found, but not by its own title", title, ids(rs))
		}
		x.Autocomplete(synonym, Filter{}, 5)
	})
}

package jikan

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func addFixtures(f *testing.F, names ...string) {
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
}

// FuzzDecodeAnime checks that any answer to /anime/{id}/full either fails
// cleanly or maps to a record with an id, its source and tidy titles.
func FuzzDecodeAnime(f *testing.F) {
	addFixtures(f, "anime_1_full.json", "anime_52991_full.json", "anime_59978_full.json")
	for _, seed := range []string{`{"data":null}`, `{"data":{"mal_id":5,"titles":[{"type":"Synonym","title":" "}]}}`, `[]`, ``} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var doc animeDoc
		if err := decode("https://api.jikan.moe/v4/anime/1/full", body, &doc); err != nil {
			return
		}
		checkAnime(t, doc.Data)
	})
}

// FuzzDecodePage does the same for a page of /anime.
func FuzzDecodePage(f *testing.F) {
	addFixtures(f, "anime_search_frieren.json")
	for _, seed := range []string{`{"data":[],"pagination":{}}`, `{"data":[{"mal_id":0}],"pagination":{}}`, `{"pagination":null}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var doc pageDoc
		if err := decode("https://api.jikan.moe/v4/anime?page=1", body, &doc); err != nil {
			return
		}
		p := doc.toPage(fetched)
		if len(p.Items) != len(doc.Data) {
			t.Fatalf("%d items from %d records", len(p.Items), len(doc.Data))
		}
		for i := range doc.Data {
			checkAnime(t, &doc.Data[i])
		}
	})
}

func checkAnime(t *testing.T, w *animeJSON) {
	t.Helper()
	if w == nil || w.MalID <= 0 {
		t.Fatalf("decode accepted a record without an id: %+v", w)
	}
	a := w.toAnime(fetched)
	if a.ID != w.MalID || a.Source != "jikan" || !a.FetchedAt.Equal(fetched) {
		t.Fatalf("mapped %+v from mal_id %d", a, w.MalID)
	}
	for i, s := range a.Synonyms {
		if s == "" || s == a.Title || s == a.English || slices.Contains(a.Synonyms[i+1:], s) {
			t.Fatalf("synonyms %q of %q: empty, repeated or the main title", a.Synonyms, a.Title)
		}
	}
}

package forum

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"topic.html", "broken.html", "missing-day.html", "empty.html"} {
		page, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(page)
	}
	for _, s := range []string{
		`<b>Currently Streaming SimulDubbed Anime</b><ul><li>Monday<ul><li><a href="/anime/5">A</a> (Episodes: 1/2) **</li></ul></li></ul>`,
		`<b>Currently Streaming SimulDubbed Anime</b><ul><li>Sunday</li><li><a href="/anime.php?id=5">A</a> (Episodes: 3/?)</li></ul>++ = Resumes May 1, 2027`,
		`<b>Currently Streaming</b><b>Monday</b><ul><li><a href="/anime/5"></a> (Eps 1 of x)<ul><li>x</li></ul></li></ul>`,
		`<b>Upcoming Dubbed Anime</b><ul><li><ul><li>* - Feb 30, 2026*</li></ul></li></ul>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		s, err := Parse(bytes.NewReader(page))
		if err != nil {
			if !errors.Is(err, ErrNoShows) || s != nil {
				t.Fatalf("Parse = %v, %v; want nil and ErrNoShows", s, err)
			}
			return
		}
		if len(s.Shows) == 0 {
			t.Fatal("no error but no shows")
		}
		for _, sh := range s.Shows {
			if sh.MALID <= 0 || sh.Weekday < 0 || sh.Weekday > 6 || sh.Episodes < 0 || sh.Total < 0 {
				t.Fatalf("bad show %+v", sh)
			}
		}
		for _, it := range s.Lists {
			if it.Title == "" || it.MALID < 0 {
				t.Fatalf("bad item %+v", it)
			}
		}
	})
}

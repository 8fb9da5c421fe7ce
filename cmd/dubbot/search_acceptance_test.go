package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/ratelimit"
	"dubbot/search"
	"dubbot/upstream/jikan/jikantest"
)

// TestSearchThroughAsk crawls the search package's fixture catalog from a
// fake Jikan, as an operator would fill the cache, then searches with ask.
func TestSearchThroughAsk(t *testing.T) {
	f, err := os.Open("../../search/testdata/catalog.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	items, err := search.LoadJSONL(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	fake := jikantest.New(items, jikantest.Options{Limits: []ratelimit.Rate{{N: 200, Per: time.Second}}})
	defer fake.Close()
	env := testEnv(t, map[string]string{"JIKAN_API_URL": fake.URL, "JIKAN_RATE_LIMIT": "100/s"})
	if out, errOut, code := run(t, env, "queue", "crawl"); code != 0 {
		t.Fatalf("crawl: %s%s", out, errOut)
	}
	if out, errOut, code := run(t, env, "queue", "drain"); code != 0 || !strings.Contains(out, "0 failed") {
		t.Fatalf("drain: %s%s", out, errOut)
	}
	cases := []struct{ query, first string }{
		{`"shingeki no kyojin"`, "Attack on Titan"},
		{`"attack on titan s2"`, "Attack on Titan Season 2"},
		{`"atack on tittan"`, "Attack on Titan"}, // two typos
	}
	for _, c := range cases {
		out, errOut, code := run(t, env, "ask", "/search query:"+c.query)
		if code != 0 {
			t.Fatalf("/search %s: %s", c.query, errOut)
		}
		first := firstResult(out)
		if first != c.first {
			t.Errorf("/search %s: first result %q, want %q\n%s", c.query, first, c.first, out)
		}
	}
}

// firstResult is the title of result 1 in the rendered search page.
func firstResult(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "1. "); ok {
			title, _, _ := strings.Cut(rest, " · ")
			return strings.TrimPrefix(strings.SplitN(title, "](", 2)[0], "[")
		}
	}
	return ""
}

// With nothing cached, /search asks Jikan, shows what it found and queues
// the details of each result.
func TestSearchFallsBackToJikan(t *testing.T) {
	fake := jikantest.New([]anime.Anime{
		{ID: 52991, Title: "Sousou no Frieren", English: "Frieren: Beyond Journey's End", Type: "TV", Year: 2023},
		{ID: 1, Title: "Cowboy Bebop", Type: "TV", Year: 1998},
	}, jikantest.Options{})
	defer fake.Close()
	env := testEnv(t, map[string]string{"JIKAN_API_URL": fake.URL, "JIKAN_RATE_LIMIT": "50/s"})
	out, errOut, code := run(t, env, "ask", "/search query:frieren")
	if code != 0 || firstResult(out) != "Frieren: Beyond Journey's End" {
		t.Fatalf("/search frieren: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = run(t, env, "queue", "status")
	if !strings.Contains(out, "1 pending") {
		t.Errorf("details of the upstream result were not queued:\n%s", out)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/ratelimit"
	"dubbot/upstream/anilist/anilisttest"
	"dubbot/upstream/animeschedule/animescheduletest"
	"dubbot/upstream/dubinfo/dubinfotest"
	"dubbot/upstream/forum"
	"dubbot/upstream/forum/forumtest"
	"dubbot/upstream/jikan/jikantest"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

// run is one dubbot invocation in-process, as an operator would type it.
func run(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

func catalogItems(n int) []anime.Anime {
	items := make([]anime.Anime, n)
	for i := range items {
		id := 1000 + i
		items[i] = anime.Anime{ID: id, Title: fmt.Sprintf("Crawled Show %d", id), English: fmt.Sprintf("Crawled Show %d English", id),
			Type: "TV", Year: 2000 + i%25, Episodes: 12, Status: anime.StatusFinished, Members: 1000 + i}
	}
	return items
}

func TestCrawlDrainThenDub(t *testing.T) {
	fake := jikantest.New(catalogItems(80), jikantest.Options{Limits: []ratelimit.Rate{{N: 30, Per: time.Second}}})
	defer fake.Close()
	env := testEnv(t, map[string]string{"JIKAN_API_URL": fake.URL, "JIKAN_RATE_LIMIT": "20/s"})
	out, errOut, code := run(t, env, "queue", "crawl", "--pages", "3")
	if code != 0 || !strings.Contains(out, "pages 1 to 3") {
		t.Fatalf("crawl: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = run(t, env, "queue", "drain")
	if code != 0 || !strings.Contains(out, "3 completed, 0 failed") || !strings.Contains(out, "catalog crawl: next page 4 of 4") {
		t.Fatalf("drain: exit %d\n%s%s", code, out, errOut)
	}
	// Three pages of 25: ids 1000..1074 are cached, 1075 is not.
	out, _, code = run(t, env, "ask", "--json", "/dub title:1074")
	if code != 0 || !strings.Contains(out, "Crawled Show 1074 English") {
		t.Fatalf("/dub of a crawled id: exit %d\n%s", code, out)
	}
	// A second crawl continues at page 4.
	out, _, _ = run(t, env, "queue", "crawl", "--pages", "1")
	if !strings.Contains(out, "pages 4 to 4") {
		t.Errorf("second crawl: %s", out)
	}
	if c := fake.Counts(); c.Throttled != 0 {
		t.Errorf("the fake Jikan answered %d 429s", c.Throttled)
	}
}

type dubCard struct {
	Type int `json:"type"`
	Data struct {
		Content string `json:"content"`
		Embeds  []struct {
			Title  string `json:"title"`
			Fields []struct {
				Name, Value string
			} `json:"fields"`
		} `json:"embeds"`
	} `json:"data"`
}

func askDub(t *testing.T, env map[string]string, title string) dubCard {
	t.Helper()
	out, errOut, code := run(t, env, "ask", "--json", "/dub title:"+title)
	if code != 0 {
		t.Fatalf("/dub %s: exit %d\n%s", title, code, errOut)
	}
	var card dubCard
	if err := json.Unmarshal([]byte(out), &card); err != nil {
		t.Fatalf("/dub %s printed %s", title, out)
	}
	return card
}

func (c dubCard) status() string {
	if len(c.Data.Embeds) == 0 || len(c.Data.Embeds[0].Fields) == 0 {
		return c.Data.Content
	}
	return c.Data.Embeds[0].Fields[0].Value
}

func TestRefreshAllThenDubStatuses(t *testing.T) {
	shows := []anime.Anime{
		{ID: 5114, Title: "Hagane no Renkinjutsushi: Fullmetal Alchemist", English: "Fullmetal Alchemist: Brotherhood", Type: "TV", Year: 2009, Status: anime.StatusFinished},
		{ID: 52991, Title: "Sousou no Frieren", English: "Frieren: Beyond Journey's End", Type: "TV", Year: 2023, Status: anime.StatusAiring},
		{ID: 1535, Title: "Death Note", English: "Death Note", Type: "TV", Year: 2006, Status: anime.StatusFinished},
		{ID: 9999, Title: "Obscure Show", Type: "OVA", Year: 2001, Status: anime.StatusFinished},
	}
	jikan := jikantest.New(shows, jikantest.Options{Limits: []ratelimit.Rate{{N: 50, Per: time.Second}}})
	defer jikan.Close()
	list := dubinfotest.New()
	defer list.Close()
	list.SetBody(dubinfotest.RenderIDs([]int{5114, 52991}, []int{1535}))
	page := forumtest.New()
	defer page.Close()
	page.SetPage(forumtest.Render(&forum.Schedule{Shows: []forum.Show{
		{MALID: 52991, Title: "Frieren: Beyond Journey's End", Weekday: time.Friday, Episodes: 7, Total: 28},
	}}))
	// AnimeSchedule knows Frieren's next dub episode to the minute.
	times := animescheduletest.New("as-token")
	defer times.Close()
	nextAt := time.Now().Add(50 * time.Hour).UTC().Truncate(time.Minute)
	for _, at := range []time.Time{time.Now(), nextAt} {
		year, week := at.ISOWeek()
		times.SetWeek(year, week, animescheduletest.Release{Route: "frieren", Title: "Frieren", Episode: 8, At: nextAt})
	}
	times.SetMAL("frieren", "myanimelist.net/anime/52991/Sousou_no_Frieren")
	env := testEnv(t, map[string]string{
		"JIKAN_API_URL": jikan.URL, "JIKAN_RATE_LIMIT": "50/s",
		"DUBBOT_DUBINFO_URL": list.URL(), "DUBBOT_AIRING_URL": page.URL(),
		"ANIMESCHEDULE_TOKEN": "as-token", "ANIMESCHEDULE_API_URL": times.URL(),
	})
	out, errOut, code := run(t, env, "refresh", "all")
	if code != 0 {
		t.Fatalf("refresh all: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "2 dubbed, 1 partial") || !strings.Contains(out, "1 show,") {
		t.Errorf("refresh summary:\n%s", out)
	}
	cases := []struct{ title, wantName, wantStatus string }{
		{"5114", "Fullmetal Alchemist: Brotherhood", "**Dubbed**"},
		{"52991", "Frieren: Beyond Journey's End", "**Dub airing**: 7 of 28 episodes dubbed; new dub episodes on Fridays"},
		{"1535", "Death Note", "**Partial dub**"},
		{"9999", "Obscure Show", "**No English dub known.**"},
	}
	for _, c := range cases {
		card := askDub(t, env, c.title)
		if len(card.Data.Embeds) == 0 || card.Data.Embeds[0].Title != c.wantName || !strings.HasPrefix(card.status(), c.wantStatus) {
			t.Errorf("/dub %s = %+v; want %q with %q", c.title, card, c.wantName, c.wantStatus)
		}
	}

	wantNext := fmt.Sprintf("Next: episode 8 <t:%d:R>", nextAt.Unix())
	if card := askDub(t, env, "52991"); !strings.Contains(card.status(), wantNext) {
		t.Errorf("/dub 52991 status %q lacks %q", card.status(), wantNext)
	}

	// A broken dub list: refresh fails saying why, /dub answers from the
	// last good data.
	list.SetBody([]byte(`{"dubbed": [5114, 52991,]}`))
	_, errOut, code = run(t, env, "refresh", "dubs")
	if code == 0 || !strings.Contains(errOut, "keeping the last good copy") {
		t.Fatalf("malformed list: exit %d, stderr %q", code, errOut)
	}
	list.SetBody(dubinfotest.RenderIDs([]int{5114}, nil))
	_, errOut, code = run(t, env, "refresh", "dubs")
	if code == 0 || !strings.Contains(errOut, "vanished") && !strings.Contains(errOut, "shr") {
		t.Fatalf("shrunken list: exit %d, stderr %q", code, errOut)
	}
	if card := askDub(t, env, "1535"); !strings.HasPrefix(card.status(), "**Partial dub**") {
		t.Errorf("after refused refreshes /dub 1535 = %q", card.status())
	}
}

// With MAL_CLIENT_ID set, details come from the MAL API.
func TestDetailsFromMALWhenConfigured(t *testing.T) {
	fake := maltest.New(t)
	fake.AddTitle(mal.Anime, maltest.Title{ID: 5114, Title: "Hagane no Renkinjutsushi: Fullmetal Alchemist",
		English: "Fullmetal Alchemist: Brotherhood", MediaType: "tv", Status: "finished_airing", Year: 2009, Total: 64})
	env := testEnv(t, map[string]string{"MAL_CLIENT_ID": fake.ClientID, "MAL_API_URL": fake.URL + "/v2"})
	card := askDub(t, env, "5114")
	if len(card.Data.Embeds) == 0 || card.Data.Embeds[0].Title != "Fullmetal Alchemist: Brotherhood" {
		t.Fatalf("/dub 5114 = %+v", card)
	}
	if card := askDub(t, env, "777777"); !strings.Contains(card.Data.Content, "no anime with id 777777") {
		t.Errorf("/dub of an unknown id = %+v", card)
	}
}

func TestDubOfAnAniListLink(t *testing.T) {
	ani := anilisttest.New(t)
	ani.SetMALID(5114, 5114)
	ani.SetMALID(171, 0)
	jikan := jikantest.New([]anime.Anime{{ID: 5114, Title: "Hagane no Renkinjutsushi: Fullmetal Alchemist", English: "Fullmetal Alchemist: Brotherhood"}}, jikantest.Options{})
	defer jikan.Close()
	env := testEnv(t, map[string]string{"ANILIST_API_URL": ani.Endpoint(), "JIKAN_API_URL": jikan.URL})
	card := askDub(t, env, "https://anilist.co/anime/5114/Fullmetal-Alchemist-Brotherhood/")
	if len(card.Data.Embeds) == 0 || card.Data.Embeds[0].Title != "Fullmetal Alchemist: Brotherhood" {
		t.Errorf("AniList link card = %+v", card)
	}
	if card := askDub(t, env, "anilist.co/anime/171"); !strings.Contains(card.Data.Content, "no MyAnimeList page") {
		t.Errorf("AniList entry without a MAL id = %+v", card)
	}
}

// A details fetch that cannot succeed ends failed, with its error shown by
// `queue status`; `queue retry` puts it back.
func TestFailedItemsAreVisibleAndRetried(t *testing.T) {
	jikan := jikantest.New(catalogItems(1), jikantest.Options{Limits: []ratelimit.Rate{{N: 50, Per: time.Second}}})
	defer jikan.Close()
	page := forumtest.New()
	defer page.Close()
	page.SetPage(forumtest.Render(&forum.Schedule{Shows: []forum.Show{
		{MALID: 424242, Title: "Not On Jikan", Weekday: time.Monday, Episodes: 1},
	}}))
	env := testEnv(t, map[string]string{"JIKAN_API_URL": jikan.URL, "JIKAN_RATE_LIMIT": "50/s", "DUBBOT_AIRING_URL": page.URL()})
	if out, errOut, code := run(t, env, "refresh", "airing"); code != 0 || !strings.Contains(out, "1 details queued") {
		t.Fatalf("refresh airing: %s%s", out, errOut)
	}
	out, _, _ := run(t, env, "queue", "drain")
	if !strings.Contains(out, "1 failed") || !strings.Contains(out, "failed anime-details/424242") || !strings.Contains(out, "404") {
		t.Fatalf("after drain:\n%s", out)
	}
	out, _, _ = run(t, env, "queue", "retry")
	if !strings.Contains(out, "1 failed items queued again") || !strings.Contains(out, "1 pending") {
		t.Errorf("after retry:\n%s", out)
	}
}

// A typed number is a title when a show is called that; otherwise a MAL id.
func TestTypedNumberPrefersAShowOfThatName(t *testing.T) {
	jikan := jikantest.New([]anime.Anime{
		{ID: 86, Title: "Anime Number Eighty-Six", Type: "TV"},
		{ID: 41457, Title: "86", English: "86 EIGHTY-SIX", Type: "TV", Year: 2021},
	}, jikantest.Options{Limits: []ratelimit.Rate{{N: 50, Per: time.Second}}})
	defer jikan.Close()
	env := testEnv(t, map[string]string{"JIKAN_API_URL": jikan.URL, "JIKAN_RATE_LIMIT": "50/s"})
	run(t, env, "queue", "crawl")
	run(t, env, "queue", "drain")
	if card := askDub(t, env, "86"); len(card.Data.Embeds) == 0 || card.Data.Embeds[0].Title != "86 EIGHTY-SIX" {
		t.Errorf("/dub title:86 = %+v", card)
	}
	if card := askDub(t, env, "41457"); len(card.Data.Embeds) == 0 || card.Data.Embeds[0].Title != "86 EIGHTY-SIX" {
		t.Errorf("/dub title:41457 (an id, as autocomplete sends it) = %+v", card)
	}
	if out, _, _ := run(t, env, "ask", "/search query:86"); firstResult(out) != "86 EIGHTY-SIX" {
		t.Errorf("/search query:86 =\n%s", out)
	}
	// A watched show can be removed by any of its names.
	run(t, env, "ask", "--user", "555", "/watch add title:41457")
	if out, _, _ := run(t, env, "ask", "--user", "555", "/watch remove title:eighty six"); !strings.Contains(out, "No more DMs about") {
		t.Errorf("/watch remove by another name:\n%s", out)
	}
}

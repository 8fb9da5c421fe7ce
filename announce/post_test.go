package announce

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"dubbot/bot"
	"dubbot/dubs"
)

func TestGroupPosts(t *testing.T) {
	t0 := testNow
	newly := dubs.Event{ID: "newly-dubbed/5114", Kind: dubs.NewlyDubbed, MALID: 5114, Found: t0, Batch: "dubs/1"}
	tests := []struct {
		name     string
		events   []dubs.Event
		wantIDs  []string
		wantEps  [][]int
		wantEvts []int
	}{
		{"one episode", []dubs.Event{episode(1, 6, t0, "a")}, []string{"episode/1/6"}, [][]int{{6}}, []int{1}},
		{"jump in one refresh", []dubs.Event{episode(1, 7, t0, "a"), episode(1, 6, t0, "a")},
			[]string{"episode/1/6-7"}, [][]int{{6, 7}}, []int{2}},
		{"two refreshes stay apart", []dubs.Event{episode(1, 6, t0, "a"), episode(1, 7, t0.Add(time.Hour), "b")},
			[]string{"episode/1/6", "episode/1/7"}, [][]int{{6}, {7}}, []int{1, 1}},
		{"two shows in one refresh", []dubs.Event{episode(2, 3, t0, "a"), episode(1, 6, t0, "a")},
			[]string{"episode/1/6", "episode/2/3"}, [][]int{{6}, {3}}, []int{1, 1}},
		{"other kinds are their own post", []dubs.Event{newly, episode(5114, 1, t0, "dubs/1")},
			[]string{"episode/5114/1", "newly-dubbed/5114"}, [][]int{{1}, nil}, []int{1, 1}},
		{"oldest first", []dubs.Event{episode(1, 6, t0.Add(time.Hour), "b"), episode(2, 3, t0, "a")},
			[]string{"episode/2/3", "episode/1/6"}, [][]int{{3}, {6}}, []int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			posts := groupPosts(tt.events)
			var ids []string
			var eps [][]int
			var evts []int
			for _, p := range posts {
				ids = append(ids, p.ID)
				eps = append(eps, p.Episodes)
				evts = append(evts, len(p.Events))
			}
			if !reflect.DeepEqual(ids, tt.wantIDs) || !reflect.DeepEqual(eps, tt.wantEps) || !reflect.DeepEqual(evts, tt.wantEvts) {
				t.Errorf("got ids %v episodes %v events %v; want %v %v %v", ids, eps, evts, tt.wantIDs, tt.wantEps, tt.wantEvts)
			}
		})
	}
}

func TestEpisodeRange(t *testing.T) {
	tests := []struct {
		eps  []int
		want string
	}{
		{nil, ""},
		{[]int{6}, "6"},
		{[]int{6, 7}, "6–7"},
		{[]int{6, 7, 8, 9}, "6–9"},
		{[]int{6, 8}, "6, 8"},
	}
	for _, tt := range tests {
		if got := episodeRange(tt.eps); got != tt.want {
			t.Errorf("episodeRange(%v) = %q, want %q", tt.eps, got, tt.want)
		}
	}
}

func TestFilterWants(t *testing.T) {
	kinds := []dubs.EventKind{dubs.EpisodeAired, dubs.NewlyDubbed, dubs.DubCompleted, dubs.DubAnnounced, "unknown"}
	tests := []struct {
		filter Filter
		want   []bool
	}{
		{FilterAll, []bool{true, true, true, true, false}},
		{FilterAiring, []bool{true, false, true, false, false}},
		{FilterNewDubs, []bool{false, true, true, true, false}},
	}
	for _, tt := range tests {
		for i, k := range kinds {
			if got := tt.filter.Wants(k); got != tt.want[i] {
				t.Errorf("%s.Wants(%s) = %v", tt.filter, k, got)
			}
		}
	}
	if f, err := ParseFilter(""); f != FilterAll || err != nil {
		t.Errorf(`ParseFilter("") = %q, %v`, f, err)
	}
	if _, err := ParseFilter("everything"); err == nil {
		t.Error("ParseFilter accepted an unknown filter")
	}
}

func TestNonce(t *testing.T) {
	a := Nonce("g1", "episode/1/6")
	if len(a) != 25 || a != Nonce("g1", "episode/1/6") {
		t.Errorf("nonce %q is not a stable 25-character string", a)
	}
	for _, other := range []string{Nonce("g2", "episode/1/6"), Nonce("g1", "episode/1/6-7"), Nonce("u1", "episode/1/6")} {
		if other == a {
			t.Errorf("different entries share nonce %q", a)
		}
	}
}

func TestDigestCapsItems(t *testing.T) {
	var posts []Post
	for i := range maxDigestItems + 5 {
		posts = append(posts, groupPosts([]dubs.Event{episode(i+1, 1, testNow, "a")})...)
	}
	d := digest(posts)
	if len(d.Items) != maxDigestItems || d.More != 5 || len(d.Events) != maxDigestItems+5 {
		t.Errorf("digest has %d items, %d more, %d events", len(d.Items), d.More, len(d.Events))
	}
	if again := digest(posts); again.ID != d.ID || !strings.HasPrefix(d.ID, "digest/") {
		t.Errorf("digest ids %q and %q differ for the same events", d.ID, again.ID)
	}
	s := New(nil, Config{})
	emb := s.embed(*d)
	if n := len([]rune(emb.Description)); n > bot.MaxEmbedDescription || !strings.HasSuffix(emb.Description, "… and 5 more") {
		t.Errorf("digest description (%d characters) ends %q", n, emb.Description[max(0, len(emb.Description)-40):])
	}
}

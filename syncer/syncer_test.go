package syncer

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

func entry(mediaID, malID int, s anilist.ListStatus, updatedAt int64) anilist.Entry {
	return anilist.Entry{MediaID: mediaID, MALID: malID, Type: anilist.Anime, TitleRomaji: "Title", Status: s, UpdatedAt: updatedAt}
}

// ids lists the MAL ids of a plan's updates.
func ids(p *Plan) []int {
	var out []int
	for _, u := range p.Updates {
		out = append(out, u.MALID)
	}
	return out
}

func TestDiffSkips(t *testing.T) {
	older := entry(2, 20, anilist.Completed, 100)
	older.TitleEnglish = "Older"
	newer := entry(3, 20, anilist.Dropped, 200)
	newer.TitleEnglish = "Newer"
	p := Diff(Input{Lists: []List{{Media: mal.Anime, AniList: []anilist.Entry{
		entry(1, 0, anilist.Current, 100),
		older, newer,
		entry(4, 40, "ABANDONED", 100),
	}}}})

	want := []Skip{
		{Media: mal.Anime, MediaID: 1, Title: "Title", Reason: ReasonNoMALID},
		{Media: mal.Anime, MediaID: 2, Title: "Older", Reason: ReasonDuplicate + ": Newer"},
		{Media: mal.Anime, MediaID: 4, Title: "Title", Reason: ReasonUnknownStatus + ": ABANDONED"},
	}
	if !reflect.DeepEqual(p.Skipped, want) {
		t.Errorf("Skipped =\n%+v\nwant\n%+v", p.Skipped, want)
	}
	if got := ids(p); !reflect.DeepEqual(got, []int{20}) || p.Updates[0].MediaID != 3 {
		t.Errorf("updates = %v (%+v), want only MAL 20 from the newer entry", got, p.Updates)
	}
	// Skipped entries are remembered, so they are not reported every cycle.
	again := Diff(Input{Lists: []List{{Media: mal.Anime, AniList: []anilist.Entry{entry(1, 0, anilist.Current, 100)}}}, Last: p.Next})
	if len(again.Skipped) != 0 {
		t.Errorf("unchanged skipped entry reported again: %+v", again.Skipped)
	}
}

func TestDiffOnlyEntriesChangedSinceLast(t *testing.T) {
	last := State{
		1: {Media: mal.Anime, MALID: 10, UpdatedAt: 100},
		2: {Media: mal.Anime, MALID: 20, UpdatedAt: 100},
		3: {Media: mal.Anime, MALID: 30, UpdatedAt: 100},
	}
	list := List{
		Media: mal.Anime,
		AniList: []anilist.Entry{
			entry(1, 10, anilist.Completed, 100), // unchanged, though MAL differs: a MAL edit stays
			entry(2, 20, anilist.Completed, 150), // edited on AniList
			entry(3, 31, anilist.Completed, 100), // AniList fixed its MAL id
			entry(4, 40, anilist.Completed, 50),  // new to the state, however old
		},
		MAL: []mal.ListEntry{
			{ID: 10, Status: mal.ListStatus{Status: mal.Dropped}},
			{ID: 20, Status: mal.ListStatus{Status: mal.Dropped}},
		},
	}
	tests := []struct {
		name string
		opt  Options
		want []int
	}{
		{"changed only", Options{}, []int{20, 31, 40}},
		{"all", Options{All: true}, []int{10, 20, 31, 40}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Diff(Input{Lists: []List{list}, Last: last, Options: tt.opt})
			if got := ids(p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("updated MAL ids = %v, want %v", got, tt.want)
			}
			wantNext := State{
				1: {Media: mal.Anime, MALID: 10, UpdatedAt: 100}, 2: {Media: mal.Anime, MALID: 20, UpdatedAt: 150},
				3: {Media: mal.Anime, MALID: 31, UpdatedAt: 100}, 4: {Media: mal.Anime, MALID: 40, UpdatedAt: 50},
			}
			if !reflect.DeepEqual(p.Next, wantNext) {
				t.Errorf("Next = %v, want %v", p.Next, wantNext)
			}
		})
	}
}

func TestDiffDeletes(t *testing.T) {
	last := State{
		1: {Media: mal.Anime, MALID: 10, UpdatedAt: 100}, // deleted on AniList, on MAL
		2: {Media: mal.Anime, MALID: 20, UpdatedAt: 100}, // deleted, but entry 5 now maps to MAL 20
		3: {Media: mal.Anime, MALID: 30, UpdatedAt: 100}, // deleted, not on MAL anyway
		4: {Media: mal.Anime, UpdatedAt: 100},            // deleted, never had a MAL id
		6: {Media: mal.Anime, MALID: 60, UpdatedAt: 100}, // still there
		9: {Media: mal.Manga, MALID: 10, UpdatedAt: 100}, // manga not synced this run
	}
	list := List{
		Media:   mal.Anime,
		AniList: []anilist.Entry{entry(5, 20, anilist.Completed, 90), entry(6, 60, anilist.Completed, 100)},
		MAL: []mal.ListEntry{
			{ID: 10, Title: "Gone", Status: mal.ListStatus{Status: mal.Completed}},
			{ID: 20, Status: mal.ListStatus{Status: mal.Completed}},
			{ID: 60, Status: mal.ListStatus{Status: mal.Completed}},
		},
	}
	tests := []struct {
		name    string
		mirror  bool
		deletes []Delete
	}{
		{"not opted in", false, nil},
		{"opted in", true, []Delete{{Media: mal.Anime, MediaID: 1, MALID: 10, Title: "Gone"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Diff(Input{Lists: []List{list}, Last: last, Options: Options{MirrorDeletes: tt.mirror}})
			if !reflect.DeepEqual(p.Deletes, tt.deletes) {
				t.Errorf("Deletes = %+v, want %+v", p.Deletes, tt.deletes)
			}
			if len(p.Updates) != 0 {
				t.Errorf("Updates = %+v, want none", p.Updates)
			}
			wantNext := State{
				5: {Media: mal.Anime, MALID: 20, UpdatedAt: 90}, 6: {Media: mal.Anime, MALID: 60, UpdatedAt: 100},
				9: {Media: mal.Manga, MALID: 10, UpdatedAt: 100},
			}
			if !reflect.DeepEqual(p.Next, wantNext) {
				t.Errorf("Next = %v, want %v", p.Next, wantNext)
			}
			if p.Requests() != len(tt.deletes) {
				t.Errorf("Requests = %d, want %d", p.Requests(), len(tt.deletes))
			}
		})
	}
}

func TestPlanFailed(t *testing.T) {
	last := State{
		1: {Media: mal.Anime, MALID: 10, UpdatedAt: 100},
		2: {Media: mal.Anime, MALID: 20, UpdatedAt: 100},
	}
	p := Diff(Input{
		Lists: []List{{Media: mal.Anime, AniList: []anilist.Entry{
			entry(1, 10, anilist.Completed, 200), // edited: update
			entry(3, 30, anilist.Completed, 300), // new: update
		}, MAL: []mal.ListEntry{{ID: 20, Status: mal.ListStatus{Status: mal.Completed}}}}},
		Last:    last,
		Options: Options{MirrorDeletes: true},
	})
	if len(p.Updates) != 2 || len(p.Deletes) != 1 {
		t.Fatalf("plan = %+v, want 2 updates and 1 delete", p)
	}
	for _, id := range []int{1, 2, 3} {
		p.Failed(id)
	}
	want := State{1: last[1], 2: last[2]}
	if !reflect.DeepEqual(p.Next, want) {
		t.Errorf("Next after failures = %v, want %v", p.Next, want)
	}
	// And the next run tries all three again.
	again := Diff(Input{
		Lists: []List{{Media: mal.Anime, AniList: []anilist.Entry{entry(1, 10, anilist.Completed, 200), entry(3, 30, anilist.Completed, 300)},
			MAL: []mal.ListEntry{{ID: 20, Status: mal.ListStatus{Status: mal.Completed}}}}},
		Last: p.Next, Options: Options{MirrorDeletes: true},
	})
	if again.Requests() != 3 {
		t.Errorf("retry plan has %d requests, want 3", again.Requests())
	}
}

func TestStateJSON(t *testing.T) {
	s := State{1: {Media: mal.Anime, MALID: 10, UpdatedAt: 300}, 2: {Media: mal.Manga, UpdatedAt: 500}}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"1":{"media":"anime","mal_id":10,"updated_at":300},"2":{"media":"manga","updated_at":500}}` {
		t.Errorf("JSON = %s", b)
	}
	var back State
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, s) {
		t.Errorf("round trip = %v, %v", back, err)
	}
}

// TestPlanConverges applies a plan through the real MAL client to the fake
// and checks that diffing everything again finds nothing left to do.
func TestPlanConverges(t *testing.T) {
	fake := maltest.New(t)
	fake.AddUser(1, "u")
	access, _ := fake.IssueTokens(1)
	fake.AddTitle(mal.Anime, maltest.Title{ID: 12, Total: 12})
	fake.AddTitle(mal.Manga, maltest.Title{ID: 50, Total: 100, TotalVolumes: 10})
	fake.SetEntry(1, mal.Anime, 11, mal.ListStatus{Status: mal.Completed, Repeating: true, Score: 3})
	c := mal.New(fake.APIURL(), &http.Client{Transport: bearerTransport(access)})

	anime := []anilist.Entry{
		{MediaID: 1, MALID: 11, Status: anilist.Current, Score: 85, Progress: 3, StartedAt: anilist.Date{Year: 2025, Month: 5, Day: 6}},
		{MediaID: 2, MALID: 12, Status: anilist.Repeating, Progress: 20, Repeat: 1, CompletedAt: anilist.Date{Year: 2024}},
		{MediaID: 3, MALID: 13, Status: anilist.Planning},
	}
	manga := []anilist.Entry{{MediaID: 4, MALID: 50, Status: anilist.Paused, Score: 45, Progress: 40, ProgressVolumes: 12}}

	read := func() Input {
		in := Input{Options: Options{All: true}}
		for m, al := range map[mal.Media][]anilist.Entry{mal.Anime: anime, mal.Manga: manga} {
			list, err := c.List(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			in.Lists = append(in.Lists, List{Media: m, AniList: al, MAL: list})
		}
		return in
	}
	p := Diff(read())
	if len(p.Updates) != 4 {
		t.Fatalf("first plan has %d updates, want 4: %+v", len(p.Updates), p.Updates)
	}
	for _, u := range p.Updates {
		checkUpdate(t, u)
		if _, err := c.UpdateEntry(context.Background(), u.Media, u.MALID, u.Write); err != nil {
			t.Fatalf("apply %+v: %v", u, err)
		}
	}
	if again := Diff(read()); len(again.Updates) != 0 {
		t.Errorf("second plan still writes: %+v", again.Updates)
	}
	if st, _ := fake.Entry(1, mal.Anime, 11); st.Status != mal.Watching || st.Repeating || st.Score != 9 || st.StartDate != "2025-05-06" {
		t.Errorf("MAL 11 = %+v", st)
	}
	if st, _ := fake.Entry(1, mal.Manga, 50); st.Status != mal.OnHold || st.Score != 5 || st.Volumes != 10 || st.Progress != 40 {
		t.Errorf("MAL manga 50 = %+v", st)
	}
}

// bearerTransport adds a fixed bearer token, as the oauth2 client would.
type bearerTransport string

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+string(b))
	return http.DefaultTransport.RoundTrip(r)
}

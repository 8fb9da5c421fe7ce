package animeschedule_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"dubbot/upstream/animeschedule"
	"dubbot/upstream/animeschedule/animescheduletest"
	"dubbot/upstream/httpx"
)

const token = "test-token-123"

func TestNext(t *testing.T) {
	srv := animescheduletest.New(token)
	defer srv.Close()
	now := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC) // a Thursday in 2026-W40
	at := func(days, hour int) time.Time { return now.AddDate(0, 0, days).Add(time.Duration(hour) * time.Hour) }
	srv.SetWeek(2026, 40,
		animescheduletest.Release{Route: "aired", Title: "Aired", Episode: 4, At: at(-1, 0)},
		animescheduletest.Release{Route: "soon", Title: "Soon", Episode: 7, At: at(0, 5)},
		animescheduletest.Release{Route: "sub-only", Title: "Sub", Episode: 2, At: at(1, 0), AirType: "sub"},
		animescheduletest.Release{Route: "no-mal", Title: "No MAL", Episode: 1, At: at(1, 0)},
		animescheduletest.Release{Route: "undated", Title: "Undated", Episode: 1},
	)
	srv.SetWeek(2026, 41,
		animescheduletest.Release{Route: "aired", Title: "Aired", Episode: 5, At: at(6, 0)},
		animescheduletest.Release{Route: "soon", Title: "Soon", Episode: 8, At: at(7, 5)},
	)
	srv.SetMAL("aired", "myanimelist.net/anime/100/Aired")
	srv.SetMAL("soon", "200")
	srv.SetMAL("no-mal", "")

	c := animeschedule.New(srv.Client(), srv.URL(), token)
	got, err := c.Next(context.Background(), now)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	want := map[int]animeschedule.NextEpisode{
		100: {MALID: 100, Route: "aired", Title: "Aired", Episode: 5, At: at(6, 0)},
		200: {MALID: 200, Route: "soon", Title: "Soon", Episode: 7, At: at(0, 5)},
	}
	if len(got) != len(want) {
		t.Errorf("Next = %+v, want %+v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("Next[%d] = %+v, want %+v", id, got[id], w)
		}
	}
	// Route lookups are cached: a second call only reads the timetables.
	if _, err := c.Next(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if n := srv.Requests("/api/v3/anime/soon"); n != 1 {
		t.Errorf("route looked up %d times, want 1", n)
	}
	if n := srv.Requests("/api/v3/timetables/dub"); n != 4 {
		t.Errorf("timetable requests = %d, want 4", n)
	}
}

func TestDubTimetableMissingWeekIsEmpty(t *testing.T) {
	srv := animescheduletest.New(token)
	defer srv.Close()
	got, err := animeschedule.New(srv.Client(), srv.URL(), token).DubTimetable(context.Background(), 2030, 1)
	if err != nil || len(got) != 0 {
		t.Fatalf("DubTimetable = %+v, %v; want empty", got, err)
	}
}

func TestClientErrors(t *testing.T) {
	srv := animescheduletest.New(token)
	defer srv.Close()
	srv.SetWeekJSON(2026, 40, `{"oops":`)
	ctx := context.Background()

	if _, err := animeschedule.New(srv.Client(), srv.URL(), "").DubTimetable(ctx, 2026, 40); !errors.Is(err, animeschedule.ErrNoToken) {
		t.Errorf("no token: %v", err)
	}
	_, err := animeschedule.New(srv.Client(), srv.URL(), "wrong-secret").DubTimetable(ctx, 2026, 40)
	if se, ok := errors.AsType[*httpx.StatusError](err); !ok || se.Status != http.StatusUnauthorized {
		t.Errorf("bad token: %v, want a 401 StatusError", err)
	}
	if err != nil && strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("error leaks the token: %v", err)
	}
	_, err = animeschedule.New(srv.Client(), srv.URL(), token).DubTimetable(ctx, 2026, 40)
	if err == nil || !strings.Contains(err.Error(), "dub timetable 2026-W40") {
		t.Errorf("bad body: %v", err)
	}
}

func TestEnabled(t *testing.T) {
	if animeschedule.New(nil, "", "").Enabled() || !animeschedule.New(nil, "", "t").Enabled() {
		t.Error("Enabled does not follow the token")
	}
}

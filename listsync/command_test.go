package listsync_test

import (
	"strings"
	"testing"

	"dubbot/bot"
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

// ask runs a slash command as userID and returns everything it shows.
func ask(t *testing.T, r *bot.Router, userID, command string, opts bot.Options) (string, *bot.Response) {
	t.Helper()
	resp := r.Handle(t.Context(), &bot.Request{Kind: bot.KindCommand, Command: command, Options: opts, UserID: userID})
	var b strings.Builder
	b.WriteString(resp.Content)
	for _, e := range resp.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
	}
	if !resp.Ephemeral {
		t.Errorf("/%s answered publicly", command)
	}
	return b.String(), resp
}

func wantText(t *testing.T, command, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("/%s shows:\n%s\nwant it to contain %q", command, got, w)
		}
	}
}

// TestSyncCommands drives /sync through the router: on, preview, now, log,
// status and off, and the answers for an unlinked and a paused user.
func TestSyncCommands(t *testing.T) {
	f := newFixture(t)
	f.link("u1", 1)
	f.mal.AddTitle(mal.Anime, maltest.Title{ID: 1, Title: "Frieren", Total: 28})
	frieren := anime(101, 1, "Frieren", anilist.Current)
	frieren.Score, frieren.Progress = 85, 5
	f.anilist.SetEntry(1, frieren)
	f.anilist.SetEntry(1, anime(104, 0, "Unmapped", anilist.Current))
	f.mal.SetEntry(1, mal.Anime, 1, mal.ListStatus{Status: mal.Watching, Progress: 3})
	r, err := bot.NewRouter([]*bot.Command{bot.SyncCommand(f.svc)}, bot.RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}

	out, _ := ask(t, r, "u1", "sync on", bot.Options{"deletes": {Type: bot.OptionBoolean, Bool: true}})
	wantText(t, "sync on", out, "Auto-sync is **on**", "deleted on MyAnimeList too")

	out, _ = ask(t, r, "u1", "sync preview", nil)
	wantText(t, "sync preview", out, "nothing was changed", "Frieren: score none → 9, episodes 3 → 5", "Unmapped: skipped", "/sync now")
	if n := f.requests().malWrites; n != 0 {
		t.Errorf("/sync preview wrote %d entries", n)
	}

	out, _ = ask(t, r, "u1", "sync now", nil)
	wantText(t, "sync now", out, "Sync done", "every entry compared", "Frieren: score none → 9, episodes 3 → 5")
	checkList(t, f, 1, mal.Anime, map[int]mal.ListStatus{1: {Status: mal.Watching, Score: 9, Progress: 5}})

	out, _ = ask(t, r, "u1", "sync now", nil)
	wantText(t, "sync now", out, "Nothing to change")

	frieren.Status, frieren.Progress = anilist.Completed, 28
	f.anilist.SetEntry(1, frieren)
	f.cycle()
	out, _ = ask(t, r, "u1", "sync log", nil)
	wantText(t, "sync log", out, "Sync log", "auto-sync", "Frieren: status watching → completed, episodes 5 → 28",
		"/sync now", "Frieren: score none → 9", "Unmapped: skipped, AniList has no MyAnimeList id for it")
	if strings.Index(out, "auto-sync") > strings.Index(out, "/sync now") {
		t.Errorf("/sync log is not newest first:\n%s", out)
	}

	out, _ = ask(t, r, "u1", "sync status", nil)
	wantText(t, "sync status", out, "Auto-sync: on", "Mirror deletions: on", "MyAnimeList linked, AniList linked", "Next check")

	out, _ = ask(t, r, "u1", "sync off", nil)
	wantText(t, "sync off", out, "Auto-sync is **off**")
	if st, _ := f.svc.Status("u1"); st.Auto {
		t.Error("/sync off left auto-sync on")
	}

	out, _ = ask(t, r, "stranger", "sync now", nil)
	wantText(t, "sync now", out, "Link both accounts first")
	out, _ = ask(t, r, "stranger", "sync on", nil)
	wantText(t, "sync on", out, "Link both accounts first")

	f.mal.ExpireAccessTokens(1)
	frieren.Score = 95
	f.anilist.SetEntry(1, frieren)
	out, _ = ask(t, r, "u1", "sync now", nil)
	wantText(t, "sync now", out, "Sync stopped", "/link mal")
	out, _ = ask(t, r, "u1", "sync now", nil)
	wantText(t, "sync now", out, "MyAnimeList no longer accepts dubbot's access")
	out, _ = ask(t, r, "u1", "sync status", nil)
	wantText(t, "sync status", out, "Paused")
}

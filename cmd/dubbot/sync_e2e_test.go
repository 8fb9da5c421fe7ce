package main

import (
	"strings"
	"testing"

	"dubbot/bot/discord/discordtest"
	"dubbot/upstream/anilist"
	"dubbot/upstream/mal"
	"dubbot/upstream/mal/maltest"
)

// A user links both accounts through Discord, edits their AniList, runs
// /sync now, and finds their MAL list in step; a second /sync now writes
// nothing.
func TestSyncNowThroughDiscord(t *testing.T) {
	w := startLinkWorld(t)
	for _, p := range []string{"mal", "anilist"} {
		data := w.command(t, "link", discordtest.SubCommand(p))
		if status, page := follow(t, linkButtonURL(t, data)); status != 200 {
			t.Fatalf("link %s: %d %s", p, status, page)
		}
	}
	w.mal.AddTitle(mal.Anime, maltest.Title{ID: 16498, Title: "Shingeki no Kyojin", Total: 25})
	w.mal.AddTitle(mal.Anime, maltest.Title{ID: 5114, Title: "Fullmetal Alchemist: Brotherhood", Total: 64})
	w.mal.AddTitle(mal.Manga, maltest.Title{ID: 2, Title: "Berserk"})
	w.anilist.SetScoreFormat(777, "POINT_5")
	w.anilist.SetEntry(777, anilist.Entry{MediaID: 16498, MALID: 16498, Type: anilist.Anime, TitleRomaji: "Shingeki no Kyojin",
		Episodes: 25, Status: anilist.Current, Score: 80, Progress: 12})
	w.anilist.SetEntry(777, anilist.Entry{MediaID: 5114, MALID: 5114, Type: anilist.Anime, TitleRomaji: "Hagane no Renkinjutsushi",
		Episodes: 64, Status: anilist.Repeating, Score: 100, Progress: 3, Repeat: 1})
	w.anilist.SetEntry(777, anilist.Entry{MediaID: 30002, MALID: 2, Type: anilist.Manga, TitleRomaji: "Berserk",
		Status: anilist.Current, Score: 90, Progress: 120, ProgressVolumes: 10})
	w.anilist.SetEntry(777, anilist.Entry{MediaID: 999999, Type: anilist.Anime, TitleRomaji: "Only on AniList", Status: anilist.Planning})

	now := string(w.command(t, "sync", discordtest.SubCommand("now")))
	if !strings.Contains(now, "3") {
		t.Errorf("/sync now said %s", now)
	}
	got := w.mal.Entries(4242, mal.Anime)
	aot, fma := got[16498], got[5114]
	if aot.Status != mal.Watching || aot.Score != 8 || aot.Progress != 12 {
		t.Errorf("Attack on Titan on MAL = %+v", aot)
	}
	if fma.Status != mal.Completed || !fma.Repeating || fma.Score != 10 || fma.RepeatCount != 1 {
		t.Errorf("FMA:B on MAL = %+v; a rewatch is completed with rewatching on", fma)
	}
	if b := w.mal.Entries(4242, mal.Manga)[2]; b.Status != mal.Reading || b.Progress != 120 || b.Volumes != 10 || b.Score != 9 {
		t.Errorf("Berserk on MAL = %+v", b)
	}
	if len(got) != 2 {
		t.Errorf("MAL anime list has %d entries; the entry without a MAL id must be skipped", len(got))
	}
	logText := string(w.command(t, "sync", discordtest.SubCommand("log")))
	for _, want := range []string{"Shingeki no Kyojin", "Only on AniList"} {
		if !strings.Contains(logText, want) {
			t.Errorf("/sync log lacks %q: %s", want, logText)
		}
	}
	writes := w.mal.Count(maltest.PatchAnime) + w.mal.Count(maltest.PatchManga)
	w.command(t, "sync", discordtest.SubCommand("now"))
	if again := w.mal.Count(maltest.PatchAnime) + w.mal.Count(maltest.PatchManga); again != writes {
		t.Errorf("a second /sync now wrote %d more entries", again-writes)
	}
	status := string(w.command(t, "sync", discordtest.SubCommand("status")))
	if !strings.Contains(status, "MyAnimeList linked, AniList linked") || strings.Contains(status, `"never"`) {
		t.Errorf("/sync status = %s", status)
	}
}

// When MAL refuses the refresh token for good, the user gets exactly one DM
// with a way to re-authorize, however often sync tries again.
func TestLapsedMALAuthorizationDMsOnce(t *testing.T) {
	w := startLinkWorld(t)
	for _, p := range []string{"mal", "anilist"} {
		data := w.command(t, "link", discordtest.SubCommand(p))
		if status, page := follow(t, linkButtonURL(t, data)); status != 200 {
			t.Fatalf("link %s: %d %s", p, status, page)
		}
	}
	w.anilist.SetEntry(777, anilist.Entry{MediaID: 1, MALID: 1, Type: anilist.Anime, TitleRomaji: "Cowboy Bebop", Status: anilist.Completed, Score: 90})
	dmsBefore := reauthDMs(w)
	w.mal.ExpireAccessTokens(4242)
	w.mal.InvalidGrant(true)
	for i := 0; i < 3; i++ {
		answer := string(w.command(t, "sync", discordtest.SubCommand("now")))
		if !strings.Contains(answer, "/link mal") {
			t.Errorf("/sync now %d did not tell the user to link MAL again: %s", i+1, answer)
		}
	}
	if n := reauthDMs(w) - dmsBefore; n != 1 {
		t.Errorf("%d re-authorization DMs after three failed syncs, want exactly 1", n)
	}
	if profile := string(w.command(t, "profile")); !strings.Contains(strings.ToLower(profile), "authoriz") {
		t.Errorf("/profile does not say re-authorization is needed: %s", profile)
	}
}

// reauthDMs counts messages the bot sent that ask to link MAL again.
func reauthDMs(w *linkWorld) int {
	return relinkDMs(w, "MyAnimeList")
}

// relinkDMs counts messages asking to link the named site's account again.
func relinkDMs(w *linkWorld, site string) int {
	n := 0
	for _, r := range w.discord.Requests() {
		if r.Method == "POST" && strings.HasPrefix(r.Path, "/channels/") && strings.HasSuffix(r.Path, "/messages") &&
			strings.Contains(r.Body.String(), "needs to be linked again") && strings.Contains(r.Body.String(), "Your "+site) {
			n++
		}
	}
	return n
}

// A lapsed AniList token must not be taken for a lapsed MAL link: sync goes
// on from the public AniList list and MAL stays linked.
func TestLapsedAniListTokenDoesNotPauseMAL(t *testing.T) {
	w := startLinkWorld(t)
	for _, p := range []string{"mal", "anilist"} {
		data := w.command(t, "link", discordtest.SubCommand(p))
		if status, page := follow(t, linkButtonURL(t, data)); status != 200 {
			t.Fatalf("link %s: %d %s", p, status, page)
		}
	}
	w.mal.AddTitle(mal.Anime, maltest.Title{ID: 1, Title: "Cowboy Bebop", Total: 26})
	w.anilist.SetEntry(777, anilist.Entry{MediaID: 1, MALID: 1, Type: anilist.Anime, TitleRomaji: "Cowboy Bebop", Episodes: 26, Status: anilist.Completed, Progress: 26})
	w.anilist.RevokeTokens(777)
	w.command(t, "sync", discordtest.SubCommand("now"))
	if got := w.mal.Entries(4242, mal.Anime)[1]; got.Status != mal.Completed {
		t.Errorf("MAL entry after syncing from the public list = %+v", got)
	}
	if n := reauthDMs(w); n != 0 {
		t.Errorf("%d 'linked again' DMs for MAL after an AniList lapse", n)
	}
	if n := relinkDMs(w, "AniList"); n != 1 {
		t.Errorf("%d 'linked again' DMs for AniList, want 1", n)
	}
	if status := string(w.command(t, "sync", discordtest.SubCommand("status"))); strings.Contains(status, "Paused") {
		t.Errorf("sync paused after an AniList lapse: %s", status)
	}
}

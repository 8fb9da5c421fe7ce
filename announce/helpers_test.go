package announce

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/bot"
	"dubbot/bot/discord"
	"dubbot/bot/discord/discordtest"
	"dubbot/catalog"
	"dubbot/dubs"
	"dubbot/notify"
	"dubbot/store"
)

var _ Catalog = (*catalog.Catalog)(nil)

// env is a service wired to a fake Discord through the real REST client.
type env struct {
	t      *testing.T
	fake   *discordtest.Server
	db     *store.DB
	notify *notify.Service
	svc    *Service
	now    time.Time
}

// testNow is the clock of every test; events are found relative to it.
var testNow = time.Date(2026, 4, 10, 18, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	fake := discordtest.New()
	t.Cleanup(fake.Close)
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, fake: fake, db: db, now: testNow}
	rest := discord.NewREST(fake.APIURL(), fake.BotToken, nil, nil)
	e.notify = notify.New(db, rest, nil)
	e.svc = New(db, Config{
		Poster: rest, DM: e.notify, Catalog: shows{},
		Now: func() time.Time { return e.now },
	})
	return e
}

// shows is a two-title catalog.
type shows struct{}

func (shows) Get(id int) (anime.Anime, bool) {
	switch id {
	case 52991:
		return anime.Anime{ID: id, Title: "Sousou no Frieren", English: "Frieren: Beyond Journey's End",
			ImageURL:  "https://cdn.myanimelist.net/images/anime/1015/138006.jpg",
			Streaming: []anime.Link{{Name: "Crunchyroll", URL: "https://www.crunchyroll.com/series/GG5H5XQX4"}}}, true
	case 5114:
		return anime.Anime{ID: id, Title: "Fullmetal Alchemist: Brotherhood"}, true
	}
	return anime.Anime{}, false
}

func guildID(i int) string   { return fmt.Sprintf("13%017d", i) }
func channelID(i int) string { return fmt.Sprintf("14%017d", i) }

func (e *env) subscribe(i int, role string, f Filter) {
	e.t.Helper()
	err := e.svc.Subscribe(context.Background(), bot.AnnounceSettings{
		GuildID: guildID(i), ChannelID: channelID(i), RoleID: role, Events: string(f)})
	if err != nil {
		e.t.Fatal(err)
	}
}

// record stores events the way the dub jobs do.
func (e *env) record(evs ...dubs.Event) {
	e.t.Helper()
	if err := recordEvents(e.db, evs...); err != nil {
		e.t.Fatal(err)
	}
}

func recordEvents(db *store.DB, evs ...dubs.Event) error {
	return db.Update(func(tx *store.Tx) error {
		for _, ev := range evs {
			if err := tx.Put(store.BucketEvents, ev.ID, ev); err != nil {
				return err
			}
		}
		return nil
	})
}

func episode(malID, ep int, found time.Time, batch string) dubs.Event {
	return dubs.Event{ID: fmt.Sprintf("episode/%d/%d", malID, ep), Kind: dubs.EpisodeAired, MALID: malID,
		Title: "forum title", Episode: ep, Total: 28, Found: found, Batch: batch}
}

func (e *env) deliver() Summary {
	e.t.Helper()
	sum, err := e.svc.Deliver(context.Background())
	if err != nil {
		e.t.Fatalf("Deliver: %v (%s)", err, sum)
	}
	return sum
}

// messages are the posts in a channel, decoded.
func (e *env) messages(channel string) []sentMessage {
	e.t.Helper()
	var out []sentMessage
	for _, m := range e.fake.Messages(channel) {
		var sm sentMessage
		if err := m.Body.Decode(&sm); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, sm)
	}
	return out
}

type sentMessage struct {
	Content         string               `json:"content"`
	Embeds          []bot.Embed          `json:"embeds"`
	AllowedMentions *bot.AllowedMentions `json:"allowed_mentions"`
	Nonce           string               `json:"nonce"`
	EnforceNonce    bool                 `json:"enforce_nonce"`
}

func (m sentMessage) String() string {
	b, _ := json.Marshal(m)
	return string(b)
}

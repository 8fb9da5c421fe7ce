package announce

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dubbot/bot"
	"dubbot/bot/discord"
	"dubbot/bot/discord/discordtest"
	"dubbot/dubs"
	"dubbot/store"
)

// BenchmarkFanOut1000 posts one event to 1,000 subscribed servers through
// the real REST client against the fake Discord, and checks every server
// got exactly one post with no error. The REST client paces all requests
// at 45/s, under Discord's global 50/s, so one run takes about 22 s.
func BenchmarkFanOut1000(b *testing.B) {
	const servers = 1000
	fake := discordtest.New()
	defer fake.Close()
	dir := b.TempDir()
	seed(b, dir, servers)
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := New(db, Config{Poster: discord.NewREST(fake.APIURL(), fake.BotToken, nil, nil)})
	// seed recorded one event; each later iteration records a new one.
	for i := 0; i < b.N; i++ {
		if i > 0 {
			b.StopTimer()
			ev := dubs.Event{ID: fmt.Sprintf("episode/52991/%d", 6+i), Kind: dubs.EpisodeAired, MALID: 52991,
				Episode: 6 + i, Found: time.Now().UTC(), Batch: fmt.Sprintf("airing/%d", i)}
			if err := recordEvents(db, ev); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		start := time.Now()
		sum, err := svc.Deliver(context.Background())
		elapsed := time.Since(start)
		if err != nil || sum.Sent != servers || sum.Failed+sum.Pending+sum.Disabled != 0 {
			b.Fatalf("Deliver: %s, %v", sum, err)
		}
		b.ReportMetric(float64(servers)/elapsed.Seconds(), "posts/s")
		b.StopTimer()
		for s := range servers {
			if n := len(fake.Messages(channelID(s))); n != i+1 {
				b.Fatalf("channel %d has %d posts after %d runs", s, n, i+1)
			}
		}
		if d := fake.NonceDedupes(); d != 0 {
			b.Fatalf("%d resends", d)
		}
		b.StartTimer()
	}
}

// nopPoster accepts every post at once.
type nopPoster struct{}

func (nopPoster) SendMessage(context.Context, string, discord.Message) (string, error) {
	return "1", nil
}
func (nopPoster) BotPermissions(context.Context, string) (bot.Permission, error) { return 0, nil }

// BenchmarkOutbox1000 is the fan-out to 1,000 servers without Discord: the
// outbox's own cost (planning, one recorded delivery per post) that the
// REST pacing hides.
func BenchmarkOutbox1000(b *testing.B) {
	const servers = 1000
	dir := b.TempDir()
	seed(b, dir, servers)
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := New(db, Config{Poster: nopPoster{}})
	sent := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ev := dubs.Event{ID: fmt.Sprintf("episode/5114/%d", i+1), Kind: dubs.EpisodeAired, MALID: 5114,
			Episode: i + 1, Found: time.Now().UTC(), Batch: fmt.Sprintf("airing/%d", i)}
		if err := recordEvents(db, ev); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := svc.Deliver(context.Background())
		if err != nil || sum.Sent < servers {
			b.Fatalf("Deliver: %s, %v", sum, err)
		}
		sent += sum.Sent
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "posts/s")
}

package announce

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"dubbot/bot"
	"dubbot/bot/discord"
	"dubbot/bot/discord/discordtest"
	"dubbot/dubs"
	"dubbot/store"
)

func TestTwoServersOneEventOnePostEach(t *testing.T) {
	e := newEnv(t)
	e.subscribe(1, "", FilterAll)
	e.subscribe(2, "", FilterAiring)
	e.record(episode(52991, 6, e.now.Add(-time.Hour), "airing/1"))

	sum := e.deliver()
	if sum.Events != 1 || sum.Planned != 2 || sum.Sent != 2 || sum.Pending != 0 {
		t.Errorf("first run: %s", sum)
	}
	for _, i := range []int{1, 2} {
		got := e.messages(channelID(i))
		if len(got) != 1 {
			t.Fatalf("channel %d has %d posts, want 1", i, len(got))
		}
		m := got[0]
		if len(m.Nonce) != 25 || !m.EnforceNonce || m.Nonce != Nonce(guildTarget(guildID(i)), "episode/52991/6") {
			t.Errorf("channel %d: nonce %q enforce %v; want the entry's 25-character nonce, enforced", i, m.Nonce, m.EnforceNonce)
		}
		if !strings.Contains(m.Content, "Frieren: Beyond Journey's End") || !strings.Contains(m.Content, "episode 6") {
			t.Errorf("channel %d content = %q", i, m.Content)
		}
		emb := m.Embeds[0]
		if emb.URL != "https://myanimelist.net/anime/52991" || emb.Thumbnail == nil || len(emb.Fields) != 1 ||
			!strings.Contains(emb.Fields[0].Value, "Crunchyroll") || !strings.Contains(emb.Description, "(6 of 28 dubbed)") {
			t.Errorf("channel %d embed = %+v", i, emb)
		}
	}

	again := e.deliver()
	if again != (Summary{}) {
		t.Errorf("second run did something: %s", again)
	}
	for _, i := range []int{1, 2} {
		if n := len(e.fake.Messages(channelID(i))); n != 1 {
			t.Errorf("after a second run channel %d has %d posts", i, n)
		}
	}
}

func TestEpisodeJumpIsOnePost(t *testing.T) {
	e := newEnv(t)
	e.subscribe(1, "", FilterAll)
	found := e.now.Add(-time.Hour)
	e.record(episode(52991, 6, found, "airing/1"), episode(52991, 7, found, "airing/1"),
		episode(5114, 3, found, "airing/1"))

	sum := e.deliver()
	if sum.Events != 3 || sum.Sent != 2 {
		t.Errorf("summary: %s", sum)
	}
	got := e.messages(channelID(1))
	if len(got) != 2 {
		t.Fatalf("%d posts, want 2 (one per show): %v", len(got), got)
	}
	var jump sentMessage
	for _, m := range got {
		if strings.Contains(m.Content, "Frieren") {
			jump = m
		}
	}
	if !strings.Contains(jump.Content, "episodes 6–7") || !strings.Contains(jump.Embeds[0].Description, "Episodes 6–7 of the English dub are out") {
		t.Errorf("jump post = %v", jump)
	}
	if jump.Nonce != Nonce(guildTarget(guildID(1)), "episode/52991/6-7") {
		t.Errorf("jump post nonce %q is not derived from its range id", jump.Nonce)
	}
}

func TestRoleMentionIsLimitedToThatRole(t *testing.T) {
	e := newEnv(t)
	const role = "1500000000000000001"
	e.subscribe(1, role, FilterAll)
	e.subscribe(2, "", FilterAll)
	e.record(dubs.Event{ID: "newly-dubbed/5114", Kind: dubs.NewlyDubbed, MALID: 5114, Found: e.now, Batch: "dubs/1"})
	e.deliver()

	with := e.messages(channelID(1))[0]
	if !strings.HasPrefix(with.Content, "<@&"+role+"> ") {
		t.Errorf("content %q does not start with the role mention", with.Content)
	}
	if want := (&bot.AllowedMentions{Parse: []string{}, Roles: []string{role}}); !reflect.DeepEqual(with.AllowedMentions, want) {
		t.Errorf("allowed_mentions = %+v, want %+v", with.AllowedMentions, want)
	}
	without := e.messages(channelID(2))[0]
	if strings.Contains(without.Content, "<@") || without.AllowedMentions == nil || len(without.AllowedMentions.Parse) != 0 || len(without.AllowedMentions.Roles) != 0 {
		t.Errorf("post without a role: content %q, allowed_mentions %+v", without.Content, without.AllowedMentions)
	}
}

func TestRefusedChannelDisablesSubscription(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(f *discordtest.Server, channel string)
		reason string
	}{
		{"deleted channel (404)", (*discordtest.Server).DeleteChannel, "the channel was deleted"},
		{"lost access (403)", (*discordtest.Server).DenyChannel, "Missing Access"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.subscribe(1, "", FilterAll)
			e.subscribe(2, "", FilterAll)
			tt.break_(e.fake, channelID(1))
			e.record(episode(52991, 6, e.now, "airing/1"))

			sum := e.deliver()
			if sum.Disabled != 1 || sum.Failed != 1 || sum.Sent != 1 {
				t.Errorf("summary: %s", sum)
			}
			if n := len(e.fake.Messages(channelID(2))); n != 1 {
				t.Errorf("the working server got %d posts", n)
			}
			set, found, err := e.svc.Settings(context.Background(), guildID(1))
			if err != nil || !found || !set.Disabled || !strings.Contains(set.DisabledReason, tt.reason) || !set.DisabledAt.Equal(e.now) {
				t.Fatalf("settings = %+v, %v, %v; want disabled because %q", set, found, err, tt.reason)
			}

			e.record(episode(52991, 7, e.now, "airing/2"))
			e.deliver()
			if n := e.fake.RequestCount("POST", "/channels/"+channelID(1)+"/messages"); n != 1 {
				t.Errorf("%d posts tried in the refused channel; want only the first", n)
			}
			if n := len(e.fake.Messages(channelID(2))); n != 2 {
				t.Errorf("the working server got %d posts, want 2", n)
			}
		})
	}
}

func TestRefusedDMBecomesNotice(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const open, closed = "1600000000000000001", "1600000000000000002"
	for _, u := range []string{open, closed} {
		if _, err := e.svc.Watch(ctx, u, 52991); err != nil {
			t.Fatal(err)
		}
	}
	e.fake.RefuseDMs(closed)
	e.record(episode(52991, 6, e.now, "airing/1"))

	sum := e.deliver()
	if sum.Sent != 1 || sum.Notices != 1 || sum.Pending != 0 {
		t.Errorf("summary: %s", sum)
	}
	notices := e.notify.TakeNotices(closed)
	if len(notices) != 1 || !strings.Contains(notices[0], "episode 6") || !strings.Contains(notices[0], "myanimelist.net/anime/52991") {
		t.Errorf("notices of the closed user = %q", notices)
	}
	if got := e.notify.TakeNotices(open); len(got) != 0 {
		t.Errorf("the open user has notices %q", got)
	}

	before := len(e.fake.Requests())
	e.record(episode(52991, 7, e.now, "airing/2"))
	if sum := e.deliver(); sum.Sent != 1 || sum.Notices != 1 {
		t.Errorf("second event: %s", sum)
	}
	// Only the open user's DM is posted (its channel is known by now): the
	// refusal is remembered, so the closed user costs no request.
	if n := len(e.fake.Requests()) - before; n != 1 {
		t.Errorf("%d requests for the second event, want 1", n)
	}
}

func TestUnwatchedShowIsNotDMed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const user = "1600000000000000001"
	e.svc.Watch(ctx, user, 5114)
	e.record(episode(52991, 6, e.now, "airing/1"))
	if sum := e.deliver(); sum.Planned != 0 {
		t.Errorf("a show nobody watches was planned: %s", sum)
	}
	ids, err := e.svc.Watching(ctx, user)
	if err != nil || !reflect.DeepEqual(ids, []int{5114}) {
		t.Errorf("Watching = %v, %v", ids, err)
	}
	if removed, _ := e.svc.Unwatch(ctx, user, 5114); !removed {
		t.Error("Unwatch did not find the watch")
	}
	if again, _ := e.svc.Unwatch(ctx, user, 5114); again {
		t.Error("Unwatch removed a watch twice")
	}
}

func TestStaleEventsBecomeOneDigest(t *testing.T) {
	e := newEnv(t)
	e.subscribe(1, "", FilterAll)
	e.subscribe(2, "", FilterNewDubs)
	old := e.now.Add(-3 * 24 * time.Hour)
	e.record(
		episode(52991, 6, old, "airing/1"), episode(52991, 7, old, "airing/1"),
		dubs.Event{ID: "newly-dubbed/5114", Kind: dubs.NewlyDubbed, MALID: 5114, Found: old, Batch: "dubs/1"},
		dubs.Event{ID: "dub-announced/9", Kind: dubs.DubAnnounced, MALID: 9, Title: "Some Show", Found: old.Add(time.Hour), Batch: "airing/2"},
		episode(52991, 8, e.now, "airing/3"),
	)
	sum := e.deliver()
	if sum.Events != 5 || sum.Digests != 2 || sum.Sent != 3 {
		t.Errorf("summary: %s", sum)
	}
	all := e.messages(channelID(1))
	if len(all) != 2 {
		t.Fatalf("server 1 got %d posts, want a digest and the fresh episode: %v", len(all), all)
	}
	if !strings.Contains(all[0].Content, "3 updates") || !strings.Contains(all[0].Embeds[0].Description, "episodes 6–7") ||
		!strings.Contains(all[0].Embeds[0].Description, "Some Show") {
		t.Errorf("digest = %v", all[0])
	}
	if !strings.Contains(all[1].Content, "episode 8") {
		t.Errorf("fresh post = %v", all[1])
	}
	newDubs := e.messages(channelID(2))
	if len(newDubs) != 1 || !strings.Contains(newDubs[0].Content, "2 updates") || strings.Contains(newDubs[0].Embeds[0].Description, "episodes") {
		t.Errorf("new-dubs server got %v; want one digest of the 2 new-dub events", newDubs)
	}
}

func TestRateLimitIsWaitedOut(t *testing.T) {
	e := newEnv(t)
	e.subscribe(1, "", FilterAll)
	e.fake.RateLimit("POST", "/channels/{id}/messages", 2, 50*time.Millisecond)
	e.record(episode(52991, 6, e.now, "airing/1"))
	if sum := e.deliver(); sum.Sent != 1 || sum.Failed != 0 {
		t.Errorf("summary: %s", sum)
	}
	if n := len(e.fake.Messages(channelID(1))); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
	if n := e.fake.RequestCount("POST", "/channels/{id}/messages"); n != 3 {
		t.Errorf("%d requests, want 2 limited and 1 accepted", n)
	}
}

func TestBadRequestIsGivenUp(t *testing.T) {
	e := newEnv(t)
	e.subscribe(1, "", FilterAll)
	e.fake.FailRoute("POST", "/channels/{id}/messages", 1, http.StatusBadRequest, 50035, "Invalid Form Body")
	e.record(episode(52991, 6, e.now, "airing/1"))
	if sum := e.deliver(); sum.Failed != 1 || sum.Pending != 0 || sum.Disabled != 0 {
		t.Errorf("summary: %s", sum)
	}
	e.deliver()
	if n := e.fake.RequestCount("POST", "/channels/{id}/messages"); n != 1 {
		t.Errorf("%d tries; a 400 must not be retried", n)
	}
	if set, _, _ := e.svc.Settings(context.Background(), guildID(1)); set.Disabled {
		t.Error("a bad request disabled the subscription")
	}
}

// flakyPoster fails the first sends with an error that may pass.
type flakyPoster struct {
	mu       sync.Mutex
	failures int
	nonces   []string
}

func (p *flakyPoster) SendMessage(ctx context.Context, channelID string, m discord.Message) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failures > 0 {
		p.failures--
		return "", errors.New("connection reset by peer")
	}
	p.nonces = append(p.nonces, m.Nonce)
	return "1", nil
}

func (p *flakyPoster) BotPermissions(ctx context.Context, channelID string) (bot.Permission, error) {
	return 0, nil
}

func TestPassingFailureIsRetriedLaterInOrder(t *testing.T) {
	e := newEnv(t)
	poster := &flakyPoster{failures: 1}
	e.svc.cfg.Poster = poster
	e.subscribe(1, "", FilterAll)
	e.record(episode(52991, 6, e.now.Add(-time.Minute), "airing/1"), episode(5114, 3, e.now, "airing/1"))

	if sum := e.deliver(); sum.Sent != 0 || sum.Pending != 2 {
		t.Errorf("first run: %s; want both pending, the second waiting behind the first", sum)
	}
	if sum := e.deliver(); sum.Sent != 0 || len(poster.nonces) != 0 {
		t.Errorf("retried before its time: %s", sum)
	}
	e.now = e.now.Add(2 * time.Minute)
	if sum := e.deliver(); sum.Sent != 2 || sum.Pending != 0 {
		t.Errorf("after the wait: %s", sum)
	}
	target := guildTarget(guildID(1))
	want := []string{Nonce(target, "episode/52991/6"), Nonce(target, "episode/5114/3")}
	if !reflect.DeepEqual(poster.nonces, want) {
		t.Errorf("sent %v, want %v (oldest first)", poster.nonces, want)
	}
}

func TestBreakerStopsARunWhenDiscordIsDown(t *testing.T) {
	e := newEnv(t)
	poster := &flakyPoster{failures: 1000}
	e.svc.cfg.Poster = poster
	for i := range 30 {
		e.subscribe(i, "", FilterAll)
	}
	e.record(episode(52991, 6, e.now, "airing/1"))
	sum, err := e.svc.Deliver(context.Background())
	if err == nil || !strings.Contains(err.Error(), "failures in a row") {
		t.Errorf("Deliver error = %v", err)
	}
	if tried := 1000 - poster.failures; tried >= 30 || tried < breakerLimit {
		t.Errorf("%d sends tried; the breaker should stop soon after %d", tried, breakerLimit)
	}
	if sum.Pending != 30 {
		t.Errorf("summary: %s; want every entry still pending", sum)
	}
}

func TestPlannedButUnsentIsSentAfterRestart(t *testing.T) {
	e := newEnv(t)
	e.subscribe(1, "", FilterAll)
	e.record(episode(52991, 6, e.now, "airing/1"))
	if _, err := e.svc.plan(e.now); err != nil { // a crash right after planning
		t.Fatal(err)
	}
	restarted := New(e.db, Config{Poster: e.svc.cfg.Poster, Now: e.svc.cfg.Now})
	sum, err := restarted.Deliver(context.Background())
	if err != nil || sum.Events != 0 || sum.Sent != 1 {
		t.Errorf("after restart: %s, %v; want the planned entry sent, nothing planned again", sum, err)
	}
	if n := len(e.fake.Messages(channelID(1))); n != 1 {
		t.Errorf("%d posts", n)
	}
}

func TestUnsubscribeDropsPendingPosts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.subscribe(1, "", FilterAll)
	e.record(episode(52991, 6, e.now, "airing/1"))
	e.svc.plan(e.now)
	if set, _, _ := e.svc.Settings(ctx, guildID(1)); set.Pending != 1 {
		t.Fatalf("pending = %d, want 1", set.Pending)
	}
	if found, err := e.svc.Unsubscribe(ctx, guildID(1)); !found || err != nil {
		t.Fatalf("Unsubscribe = %v, %v", found, err)
	}
	if sum := e.deliver(); sum.Sent != 0 || sum.Pending != 0 {
		t.Errorf("summary: %s", sum)
	}
	if _, found, _ := e.svc.Settings(ctx, guildID(1)); found {
		t.Error("subscription still there")
	}
}

func TestNarrowedFilterSkipsPlannedPosts(t *testing.T) {
	e := newEnv(t)
	e.subscribe(1, "", FilterAll)
	e.record(episode(52991, 6, e.now, "airing/1"))
	e.svc.plan(e.now)
	e.subscribe(1, "", FilterNewDubs)
	if sum := e.deliver(); sum.Skipped != 1 || sum.Sent != 0 {
		t.Errorf("summary: %s", sum)
	}
	if n := len(e.fake.Messages(channelID(1))); n != 0 {
		t.Errorf("%d posts", n)
	}
}

func TestOldEventsAndRecordsArePruned(t *testing.T) {
	e := newEnv(t)
	e.subscribe(1, "", FilterAll)
	e.record(episode(52991, 6, e.now, "airing/1"))
	e.deliver()
	e.now = e.now.Add(DefaultRetention + time.Hour)
	if sum := e.deliver(); sum.Pruned != 2 {
		t.Errorf("summary: %s; want the event and its delivery record pruned", sum)
	}
	err := e.db.View(func(tx *store.Tx) error {
		for _, bucket := range []string{store.BucketEvents, store.BucketOutbox} {
			if n, err := tx.Count(bucket); err != nil || n != 0 {
				t.Errorf("%s holds %d keys after pruning (%v)", bucket, n, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTestPost(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const role = "1500000000000000001"
	if err := e.svc.Test(ctx, guildID(1)); !isUserError(err) {
		t.Errorf("Test without a subscription = %v, want a user error", err)
	}
	e.subscribe(1, role, FilterAll)
	if err := e.svc.Test(ctx, guildID(1)); err != nil {
		t.Fatal(err)
	}
	got := e.messages(channelID(1))
	if len(got) != 1 || !strings.HasPrefix(got[0].Content, "Test:") || !strings.Contains(got[0].Content, "<@&"+role+">") ||
		len(got[0].AllowedMentions.Roles) != 0 {
		t.Errorf("test post = %v; want the mention shown but not pinging", got)
	}

	e.fake.DenyChannel(channelID(1))
	err := e.svc.Test(ctx, guildID(1))
	if !isUserError(err) || !strings.Contains(err.Error(), "Missing Access") {
		t.Errorf("Test in a denied channel = %v", err)
	}
	if set, _, _ := e.svc.Settings(ctx, guildID(1)); !set.Disabled {
		t.Error("a refused test post left the subscription on")
	}
	e.fake.SetChannel(discordtest.Channel{ID: channelID(1), GuildID: guildID(1)})
	if err := e.svc.Test(ctx, guildID(1)); err != nil {
		t.Fatal(err)
	}
	if set, _, _ := e.svc.Settings(ctx, guildID(1)); set.Disabled {
		t.Error("a test post that went through left the subscription off")
	}
}

func TestBotPermissionsTranslatesRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.fake.DenyChannel(channelID(1))
	if perms, err := e.svc.BotPermissions(ctx, channelID(1)); perms != 0 || err != nil {
		t.Errorf("denied channel: %b, %v; want no permissions and no error", perms, err)
	}
	e.fake.DeleteChannel(channelID(2))
	if _, err := e.svc.BotPermissions(ctx, channelID(2)); !isUserError(err) {
		t.Errorf("deleted channel: %v, want a user error", err)
	}
}

func isUserError(err error) bool {
	var ue *bot.UserError
	return errors.As(err, &ue)
}

type unauthorizedPoster struct{ sends int }

func (p *unauthorizedPoster) SendMessage(ctx context.Context, channelID string, m discord.Message) (string, error) {
	p.sends++
	return "", &discord.APIError{Status: 401, Message: "401: Unauthorized"}
}

func (p *unauthorizedPoster) BotPermissions(ctx context.Context, channelID string) (bot.Permission, error) {
	return 0, nil
}

// A refused bot token stops the run at once and loses nothing.
func TestBadTokenKeepsEverythingPending(t *testing.T) {
	e := newEnv(t)
	poster := &unauthorizedPoster{}
	e.svc.cfg.Poster = poster
	for i := range 20 {
		e.subscribe(i, "", FilterAll)
	}
	e.record(episode(52991, 6, e.now, "airing/1"))
	sum, err := e.svc.Deliver(context.Background())
	if err == nil || !strings.Contains(err.Error(), "bot token") {
		t.Errorf("Deliver error = %v", err)
	}
	if sum.Pending != 20 || sum.Failed != 0 || poster.sends > 4 {
		t.Errorf("summary: %s after %d sends; want all 20 pending, none failed, the run stopped at once", sum, poster.sends)
	}
}

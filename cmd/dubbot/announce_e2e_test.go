package main

import (
	"strings"
	"testing"
	"time"

	"dubbot/bot/discord/discordtest"
	"dubbot/upstream/dubinfo/dubinfotest"
	"dubbot/upstream/forum"
	"dubbot/upstream/forum/forumtest"
)

// A server subscribes with /announce set; a refresh that sees a show's dub
// counter rise posts once in its channel, and a second refresh does not.
func TestRefreshAnnouncesNewDubEpisodesOnce(t *testing.T) {
	fake := discordtest.New()
	t.Cleanup(fake.Close) // after the bot stops: cleanups run last-in, first-out
	const guild, channel = "500", "501"
	fake.SetGuild(discordtest.Guild{ID: guild, OwnerID: "1", Roles: []discordtest.Role{
		{ID: guild, Name: "@everyone", Permissions: discordtest.DefaultPermissions},
	}})
	fake.SetChannel(discordtest.Channel{ID: channel, GuildID: guild, Name: "dubs"})
	fake.SetMember(guild, discordtest.Member{UserID: fake.AppID, Username: "dubbot"})

	page := forumtest.New()
	defer page.Close()
	list := dubinfotest.New()
	defer list.Close()
	list.SetBody(dubinfotest.RenderIDs([]int{52991}, nil))
	week := func(episodes int) string {
		return forumtest.Render(&forum.Schedule{Shows: []forum.Show{
			{MALID: 52991, Title: "Frieren: Beyond Journey's End", Weekday: time.Friday, Episodes: episodes, Total: 28},
		}})
	}
	page.SetPage(week(5))
	addr := freeAddr(t)
	env := testEnv(t, map[string]string{
		"DUBBOT_HTTP_ADDR": addr, "DISCORD_TOKEN": fake.BotToken, "DISCORD_API_URL": fake.APIURL(),
		"DUBBOT_AIRING_URL": page.URL(), "DUBBOT_DUBINFO_URL": list.URL(),
	})
	logs := startBot(t, env)
	if err := fake.WaitConnected(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	set := fake.SlashCommand(discordtest.Command{
		Invoker: discordtest.Invoker{GuildID: guild, ChannelID: channel, Permissions: 1 << 5}, // Manage Server
		Name:    "announce", Options: []discordtest.CommandOption{discordtest.SubCommand("set", discordtest.ChannelOption("channel", channel))},
	})
	id, _ := discordtest.InteractionIDs(set)
	fake.DispatchInteraction(set)
	cb, err := fake.WaitCallback(id, 5*time.Second)
	if err != nil {
		t.Fatalf("/announce set: %v\n%s", err, logs.String())
	}
	if strings.Contains(strings.ToLower(cb.Data.Content()), "missing") || strings.Contains(cb.Data.Content(), "can't") {
		t.Fatalf("/announce set refused: %s", cb.Data)
	}
	if out, errOut, code := run(t, env, "refresh", "airing"); code != 0 {
		t.Fatalf("first refresh: %s%s", out, errOut)
	}
	page.SetPage(week(7))
	if out, errOut, code := run(t, env, "refresh", "airing"); code != 0 {
		t.Fatalf("second refresh: %s%s", out, errOut)
	}
	msgs, err := fake.WaitMessages(channel, 1, 5*time.Second)
	if err != nil {
		t.Fatalf("no announcement: %v\n%s", err, logs.String())
	}
	body := msgs[0].Body.String()
	if !strings.Contains(body, "Frieren") || !strings.Contains(body, "6") || !strings.Contains(body, "7") {
		t.Errorf("announcement = %s", body)
	}
	// The same page again: nothing new to post.
	run(t, env, "refresh", "airing")
	time.Sleep(200 * time.Millisecond)
	if n := len(fake.Messages(channel)); n != 1 {
		t.Errorf("%d posts in the channel, want exactly 1", n)
	}
}

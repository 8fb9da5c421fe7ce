package discordtest

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// wait bounds every wait in these tests; it is generous because the
// machine is shared, and passing tests never reach it.
const wait = 10 * time.Second

// newSession builds a discordgo session pointed at fake, as the bot does
// in production with DISCORD_API_URL.
func newSession(t *testing.T, fake *Server, token string) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	s.Client = &http.Client{Transport: RewriteTransport(fake.APIURL()), Timeout: wait}
	s.Identify.Intents = discordgo.IntentsGuilds
	s.ShouldReconnectOnError = false
	return s
}

// openSession opens the gateway and closes it at cleanup. discordgo's
// Close sleeps 1 s; reconnecting is switched off first so a heartbeat
// racing the close cannot start a reconnect loop that outlives the test.
func openSession(t *testing.T, s *discordgo.Session) {
	t.Helper()
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		s.ShouldReconnectOnError = false
		_ = s.Close()
	})
}

func TestDiscordgoInteractionRoundTrip(t *testing.T) {
	t.Parallel()
	fake := New()
	t.Cleanup(fake.Close)
	fake.SetGuild(Guild{ID: DefaultGuildID, Name: "g", OwnerID: DefaultOwnerID,
		Roles: []Role{{ID: DefaultGuildID, Name: "@everyone", Permissions: DefaultPermissions}}})
	fake.SetChannel(Channel{ID: DefaultChannelID, GuildID: DefaultGuildID, Name: "anime"})

	sess := newSession(t, fake, fake.BotToken)
	got := make(chan *discordgo.InteractionCreate, 1)
	guildCreated := make(chan *discordgo.GuildCreate, 1)
	sess.AddHandler(func(s *discordgo.Session, g *discordgo.GuildCreate) { guildCreated <- g })
	sess.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		title := i.ApplicationCommandData().Options[0].StringValue()
		err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "dubbed: " + title, Flags: discordgo.MessageFlagsEphemeral},
		})
		if err != nil {
			t.Errorf("InteractionRespond: %v", err)
		}
		got <- i
	})
	openSession(t, sess)
	if err := fake.WaitConnected(wait); err != nil {
		t.Fatal(err)
	}

	payload := fake.SlashCommand(Command{Name: "dub", Options: []CommandOption{StringOption("title", "Frieren")}})
	if err := fake.DispatchInteraction(payload); err != nil {
		t.Fatalf("DispatchInteraction: %v", err)
	}
	id, token := InteractionIDs(payload)
	cb, err := fake.WaitCallback(id, wait)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Token != token || cb.Type != 4 || cb.Data.Content() != "dubbed: Frieren" || cb.Data.Flags() != 64 {
		t.Errorf("callback = %+v data %s, want type 4 ephemeral %q", cb, cb.Data, "dubbed: Frieren")
	}

	i := <-got
	if i.GuildID != DefaultGuildID || i.ChannelID != DefaultChannelID || i.Member.User.ID != DefaultUserID ||
		i.AppPermissions != DefaultPermissions || i.ApplicationCommandData().Name != "dub" {
		t.Errorf("decoded interaction = %+v", i.Interaction)
	}
	if ids := fake.Identifies(); len(ids) != 1 || ids[0].Token != "Bot "+fake.BotToken || ids[0].Intents != int(discordgo.IntentsGuilds) {
		t.Errorf("Identifies() = %+v", ids)
	}
	if n := fake.RequestCount("GET", "/gateway"); n != 1 {
		t.Errorf("GET /gateway count = %d, want 1", n)
	}

	g := <-guildCreated
	ch, err := sess.State.Channel(DefaultChannelID)
	if g.ID != DefaultGuildID || err != nil || ch.Name != "anime" {
		t.Errorf("state after GUILD_CREATE: guild %q channel %+v err %v", g.ID, ch, err)
	}
}

func TestDiscordgoResumeReplaysMissedEvents(t *testing.T) {
	t.Parallel()
	fake := New()
	t.Cleanup(fake.Close)
	sess := newSession(t, fake, fake.BotToken)
	sess.ShouldReconnectOnError = true
	got := make(chan string, 2)
	sess.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i.ID })
	openSession(t, sess)
	if err := fake.WaitConnected(wait); err != nil {
		t.Fatal(err)
	}

	fake.DropConnection()
	payload := fake.Component("page:2", nil)
	if err := fake.DispatchInteraction(payload); err != nil {
		t.Fatalf("DispatchInteraction while disconnected: %v", err)
	}
	want, _ := InteractionIDs(payload)
	select {
	case id := <-got:
		if id != want {
			t.Errorf("got interaction %s, want %s", id, want)
		}
	case <-time.After(wait):
		t.Fatal("missed interaction was not replayed after resume")
	}
	resumes, err := fake.WaitResumes(1, wait)
	if err != nil || !resumes[0].Accepted {
		t.Errorf("resumes = %+v, err %v", resumes, err)
	}
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("identifies = %d, want 1 (resume, not a new session)", n)
	}
}

func TestDiscordgoZombieConnectionResumes(t *testing.T) {
	t.Parallel()
	fake := NewWith(Config{HeartbeatInterval: 50 * time.Millisecond})
	t.Cleanup(fake.Close)
	fake.SetHeartbeatACK(false)
	sess := newSession(t, fake, fake.BotToken)
	sess.ShouldReconnectOnError = true
	sess.LogLevel = -1 // the missing ACK is the point; keep its error log out of the output
	got := make(chan string, 1)
	sess.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i.ID })
	openSession(t, sess)

	if _, err := fake.WaitResumes(1, wait); err != nil {
		t.Fatalf("no resume after missing heartbeat ACKs: %v", err)
	}
	fake.SetHeartbeatACK(true)
	if err := fake.WaitConnected(wait); err != nil {
		t.Fatal(err)
	}
	payload := fake.SlashCommand(Command{Name: "ping"})
	if err := fake.DispatchInteraction(payload); err != nil {
		t.Fatal(err)
	}
	want, _ := InteractionIDs(payload)
	select {
	case id := <-got:
		if id != want {
			t.Errorf("got %s, want %s", id, want)
		}
	case <-time.After(wait):
		t.Fatal("no interaction after zombie reconnect")
	}
	if fake.Heartbeats() < 2 {
		t.Errorf("heartbeats = %d, want at least 2", fake.Heartbeats())
	}
}

func TestDiscordgoGatewayRejectsBadToken(t *testing.T) {
	t.Parallel()
	fake := New()
	t.Cleanup(fake.Close)
	// GET /gateway is refused first: discordgo sends the wrong token there too.
	sess := newSession(t, fake, "wrong")
	err := sess.Open()
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response.StatusCode != http.StatusUnauthorized {
		t.Fatalf("Open with a bad token: err = %v, want a 401 RESTError", err)
	}
	if fake.Unauthorized() != 1 {
		t.Errorf("Unauthorized() = %d, want 1", fake.Unauthorized())
	}
}

// restCase is one REST behaviour checked through discordgo.
type restCase struct {
	name     string
	setup    func(*Server)
	call     func(*discordgo.Session, *Server) error
	wantCode int // Discord JSON code; 0 means success
	// route ("METHOD /path") was hit wantCalls times, when set.
	route     string
	wantCalls int
}

func TestDiscordgoREST(t *testing.T) {
	t.Parallel()
	const user, channel = "1300000000000000001", "1300000000000000002"
	send := func(s *discordgo.Session, _ *Server) error {
		_, err := s.ChannelMessageSend(channel, "episode 5 is dubbed")
		return err
	}
	sendDM := func(s *discordgo.Session, _ *Server) error {
		dm, err := s.UserChannelCreate(user)
		if err != nil {
			return err
		}
		_, err = s.ChannelMessageSend(dm.ID, "please re-link")
		return err
	}
	cases := []restCase{
		{name: "send", call: send, wantCalls: 1, route: "POST /channels/" + channel + "/messages"},
		{name: "deleted channel", setup: func(f *Server) { f.DeleteChannel(channel) }, call: send, wantCode: CodeUnknownChannel},
		{name: "denied channel", setup: func(f *Server) { f.DenyChannel(channel) }, call: send, wantCode: CodeMissingAccess},
		{name: "DM", call: sendDM},
		{name: "DM refused", setup: func(f *Server) { f.RefuseDMs(user) }, call: sendDM, wantCode: CodeCannotMessageUser},
		{name: "scripted failure", setup: func(f *Server) {
			f.FailRoute("POST", "/channels/{id}/messages", 1, http.StatusForbidden, 50013, "Missing Permissions")
		}, call: send, wantCode: 50013, wantCalls: 1, route: "POST /channels/{id}/messages"},
		{name: "rate limit retried", setup: func(f *Server) {
			f.RateLimit("POST", "/channels/*/messages", 1, 20*time.Millisecond)
		}, call: send, wantCalls: 2, route: "POST /channels/{id}/messages"},
		{name: "empty message", call: func(s *discordgo.Session, _ *Server) error {
			_, err := s.ChannelMessageSendComplex(channel, &discordgo.MessageSend{})
			return err
		}, wantCode: CodeEmptyMessage},
		{name: "content too long", call: func(s *discordgo.Session, _ *Server) error {
			_, err := s.ChannelMessageSend(channel, string(make([]byte, 2001)))
			return err
		}, wantCode: CodeInvalidFormBody},
		{name: "second acknowledgement", call: respondTwice, wantCode: CodeAlreadyAcknowledged},
		{name: "late acknowledgement", call: respondLate, wantCode: CodeUnknownInteraction},
		{name: "defer then edit and follow up", call: deferEditFollowup},
		{name: "permissions", setup: setupPermissions, call: checkPermissions},
		{name: "application owner", call: checkApplication},
		{name: "bulk overwrite", call: overwriteCommands},
		{name: "invalid command name", call: func(s *discordgo.Session, f *Server) error {
			_, err := s.ApplicationCommandBulkOverwrite(f.AppID, "", []*discordgo.ApplicationCommand{{Name: "Dub", Description: "x"}})
			return err
		}, wantCode: CodeInvalidFormBody},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := NewWith(Config{InteractionDeadline: 200 * time.Millisecond})
			t.Cleanup(fake.Close)
			if tc.setup != nil {
				tc.setup(fake)
			}
			err := tc.call(newSession(t, fake, fake.BotToken), fake)
			if got := restCode(err); got != tc.wantCode || (tc.wantCode == 0 && err != nil) {
				t.Errorf("code = %d (err %v), want %d", got, err, tc.wantCode)
			}
			if tc.route != "" {
				method, path, _ := strings.Cut(tc.route, " ")
				if n := fake.RequestCount(method, path); n != tc.wantCalls {
					t.Errorf("%s hit %d times, want %d", tc.route, n, tc.wantCalls)
				}
			}
		})
	}
}

// restCode extracts Discord's JSON error code, -1 for a non-REST error.
func restCode(err error) int {
	if err == nil {
		return 0
	}
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Message != nil {
		return rest.Message.Code
	}
	return -1
}

// interactionFrom decodes a built payload the way discordgo would.
func interactionFrom(f *Server, c Command) (*discordgo.Interaction, error) {
	var i discordgo.Interaction
	err := i.UnmarshalJSON(f.SlashCommand(c))
	return &i, err
}

func respondTwice(s *discordgo.Session, f *Server) error {
	i, err := interactionFrom(f, Command{Name: "dub"})
	if err != nil {
		return err
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if err := s.InteractionRespond(i, resp); err != nil {
		return errors.Join(errors.New("first response failed"), err)
	}
	return s.InteractionRespond(i, resp)
}

func respondLate(s *discordgo.Session, f *Server) error {
	i, err := interactionFrom(f, Command{Name: "dub"})
	if err != nil {
		return err
	}
	time.Sleep(300 * time.Millisecond) // past the 200 ms deadline of this fake
	return s.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
	})
}

func deferEditFollowup(s *discordgo.Session, f *Server) error {
	i, err := interactionFrom(f, Command{Name: "search", Options: []CommandOption{StringOption("query", "one piece")}})
	if err != nil {
		return err
	}
	if err := s.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
	}); err != nil {
		return err
	}
	content := "3 results"
	if _, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content}); err != nil {
		return err
	}
	msg, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "page 2"})
	if err != nil {
		return err
	}
	if err := s.FollowupMessageDelete(i, msg.ID); err != nil {
		return err
	}
	edit, err := f.WaitEdit(i.Token, wait)
	if err != nil {
		return err
	}
	edits, follows := f.Edits(), f.Followups()
	if len(edits) != 2 || edits[0].MessageID != "@original" || edits[0].Body.Content() != content ||
		!edit.Deleted || edit.MessageID != msg.ID || len(follows) != 1 || follows[0].Body.Content() != "page 2" {
		return errors.New("unexpected records: edits and follow-ups do not match the calls made")
	}
	return nil
}

func setupPermissions(f *Server) {
	const mod = "1300000000000000010"
	f.SetGuild(Guild{ID: DefaultGuildID, OwnerID: DefaultOwnerID, Roles: []Role{
		{ID: DefaultGuildID, Name: "@everyone", Permissions: permViewChannel},
		{ID: mod, Name: "mods", Permissions: permSendMessages | permEmbedLinks},
	}})
	f.SetChannel(Channel{ID: DefaultChannelID, GuildID: DefaultGuildID, Overwrites: []Overwrite{
		{ID: mod, Type: 0, Deny: permEmbedLinks},
	}})
	f.SetMember(DefaultGuildID, Member{UserID: f.AppID, Username: "bot", Roles: []string{mod}})
}

func checkPermissions(s *discordgo.Session, f *Server) error {
	p, err := s.UserChannelPermissions(f.AppID, DefaultChannelID)
	if err != nil {
		return err
	}
	if want := int64(permViewChannel | permSendMessages); p != want {
		return errors.New("permissions computed from the fake's state are wrong")
	}
	return nil
}

func checkApplication(s *discordgo.Session, f *Server) error {
	app, err := s.Application("@me")
	if err != nil {
		return err
	}
	me, err := s.User("@me")
	if err != nil {
		return err
	}
	if app.ID != f.AppID || app.Owner == nil || app.Owner.ID != DefaultOwnerID || me.ID != f.AppID || !me.Bot {
		return errors.New("application or bot user does not match the fake's config")
	}
	return nil
}

func overwriteCommands(s *discordgo.Session, f *Server) error {
	cmds := []*discordgo.ApplicationCommand{{
		Name: "dub", Description: "Is it dubbed?",
		Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "title", Description: "Anime title",
			Required: true, Autocomplete: true,
		}},
	}}
	first, err := s.ApplicationCommandBulkOverwrite(f.AppID, DefaultGuildID, cmds)
	if err != nil {
		return err
	}
	again, err := s.ApplicationCommandBulkOverwrite(f.AppID, DefaultGuildID, cmds)
	if err != nil {
		return err
	}
	listed, err := s.ApplicationCommands(f.AppID, DefaultGuildID)
	if err != nil {
		return err
	}
	if len(first) != 1 || first[0].ID == "" || again[0].ID != first[0].ID || len(listed) != 1 ||
		listed[0].ID != first[0].ID || len(f.CommandOverwrites()) != 2 {
		return errors.New("command ids are not stable across overwrites")
	}
	var i discordgo.Interaction
	if err := i.UnmarshalJSON(f.SlashCommand(Command{Name: "dub"})); err != nil || i.ApplicationCommandData().ID != first[0].ID {
		return errors.New("SlashCommand does not use the registered command id")
	}
	return nil
}

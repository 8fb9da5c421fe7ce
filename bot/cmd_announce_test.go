package bot

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"dubbot/anime"
	"dubbot/catalog"
	"dubbot/store"
)

// fakeAnnouncer keeps settings and watches in memory.
type fakeAnnouncer struct {
	perms   Permission
	subs    map[string]AnnounceSettings
	watches map[string][]int
	tested  []string
}

func newFakeAnnouncer(perms Permission) *fakeAnnouncer {
	return &fakeAnnouncer{perms: perms, subs: map[string]AnnounceSettings{}, watches: map[string][]int{}}
}

func (f *fakeAnnouncer) BotPermissions(ctx context.Context, channelID string) (Permission, error) {
	return f.perms, nil
}

func (f *fakeAnnouncer) Subscribe(ctx context.Context, s AnnounceSettings) error {
	f.subs[s.GuildID] = s
	return nil
}

func (f *fakeAnnouncer) Unsubscribe(ctx context.Context, guildID string) (bool, error) {
	_, ok := f.subs[guildID]
	delete(f.subs, guildID)
	return ok, nil
}

func (f *fakeAnnouncer) Settings(ctx context.Context, guildID string) (AnnounceSettings, bool, error) {
	s, ok := f.subs[guildID]
	return s, ok, nil
}

func (f *fakeAnnouncer) Test(ctx context.Context, guildID string) error {
	f.tested = append(f.tested, guildID)
	return nil
}

func (f *fakeAnnouncer) Watch(ctx context.Context, userID string, malID int) (bool, error) {
	if slices.Contains(f.watches[userID], malID) {
		return false, nil
	}
	f.watches[userID] = append(f.watches[userID], malID)
	return true, nil
}

func (f *fakeAnnouncer) Unwatch(ctx context.Context, userID string, malID int) (bool, error) {
	i := slices.Index(f.watches[userID], malID)
	if i < 0 {
		return false, nil
	}
	f.watches[userID] = slices.Delete(f.watches[userID], i, i+1)
	return true, nil
}

func (f *fakeAnnouncer) Watching(ctx context.Context, userID string) ([]int, error) {
	return slices.Sorted(slices.Values(f.watches[userID])), nil
}

func announceRouter(t *testing.T, f *fakeAnnouncer) *Router {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat := catalog.New(db, nil, nil)
	for _, a := range []anime.Anime{
		{ID: 52991, Title: "Sousou no Frieren", English: "Frieren: Beyond Journey's End", Type: "TV", Year: 2023, Members: 1000000, FetchedAt: time.Now()},
		{ID: 5114, Title: "Fullmetal Alchemist: Brotherhood", Type: "TV", Year: 2009, Members: 3000000, FetchedAt: time.Now()},
	} {
		if err := cat.Put(a); err != nil {
			t.Fatal(err)
		}
	}
	an := &Anime{Catalog: cat}
	r, err := NewRouter([]*Command{AnnounceCommand(f), an.WatchCommand(f)}, RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const (
	testGuild   = "100"
	testChannel = "200"
	testRole    = "300"
)

func setRequest(perms Permission, channelType int, role string) *Request {
	opts := Options{"channel": {Type: OptionChannel, String: testChannel}, "events": {Type: OptionString, String: "airing"}}
	if role != "" {
		opts["role"] = Value{Type: OptionRole, String: role}
	}
	return &Request{
		Kind: KindCommand, Command: "announce set", GuildID: testGuild, UserID: "u1", Permissions: perms, Options: opts,
		Resolved: Resolved{Channels: map[string]ResolvedChannel{testChannel: {ID: testChannel, Name: "dub-news", Type: channelType}}},
	}
}

func TestAnnounceSet(t *testing.T) {
	all := PermissionViewChannel | PermissionSendMessages | PermissionEmbedLinks
	tests := []struct {
		name        string
		member, bot Permission
		channelType int
		role        string
		want        string
		saved       bool
	}{
		{"member without Manage Server", PermissionSendMessages, all, ChannelText, "", "You need the **Manage Server** permission to use /announce set", false},
		{"bot cannot see the channel", PermissionManageServer, 0, ChannelText, "", "missing the **View Channel** permission", false},
		{"bot cannot send", PermissionManageServer, PermissionViewChannel | PermissionEmbedLinks, ChannelText, "", "missing the **Send Messages** permission", false},
		{"bot cannot embed", PermissionManageServer, PermissionViewChannel | PermissionSendMessages, ChannelText, "", "missing the **Embed Links** permission", false},
		{"voice channel", PermissionManageServer, all, 2, "", "text or announcement channel", false},
		{"@everyone as the role", PermissionManageServer, all, ChannelText, testGuild, "won't ping @everyone", false},
		{"saved", PermissionManageServer, all, ChannelText, testRole, "new dub episodes will be posted in <#200>, pinging <@&300>", true},
		{"bot is administrator", PermissionAdministrator, PermissionAdministrator, ChannelAnnouncement, "", "posted in <#200>", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAnnouncer(tt.bot)
			resp := announceRouter(t, f).Handle(context.Background(), setRequest(tt.member, tt.channelType, tt.role))
			if !strings.Contains(resp.Content, tt.want) || !resp.Ephemeral {
				t.Errorf("reply = %q (ephemeral %v), want %q", resp.Content, resp.Ephemeral, tt.want)
			}
			got, saved := f.subs[testGuild]
			if saved != tt.saved {
				t.Fatalf("saved = %v, want %v", saved, tt.saved)
			}
			want := AnnounceSettings{GuildID: testGuild, ChannelID: testChannel, RoleID: tt.role, Events: "airing", SetBy: "u1"}
			if saved && !reflect.DeepEqual(got, want) {
				t.Errorf("saved %+v, want %+v", got, want)
			}
		})
	}
}

func TestAnnounceStatusOffAndTest(t *testing.T) {
	f := newFakeAnnouncer(0)
	r := announceRouter(t, f)
	ctx := context.Background()
	run := func(cmd string) *Response {
		return r.Handle(ctx, &Request{Kind: KindCommand, Command: cmd, GuildID: testGuild, Permissions: PermissionManageServer})
	}
	if resp := run("announce status"); !strings.Contains(resp.Content, "isn't set up") {
		t.Errorf("status before set = %q", resp.Content)
	}
	f.subs[testGuild] = AnnounceSettings{GuildID: testGuild, ChannelID: testChannel, Events: "all",
		Disabled: true, DisabledReason: "the channel was deleted", DisabledAt: time.Unix(1700000000, 0), Pending: 0}
	resp := run("announce status")
	if len(resp.Embeds) != 1 {
		t.Fatalf("status = %+v", resp)
	}
	var state string
	for _, fl := range resp.Embeds[0].Fields {
		if fl.Name == "State" {
			state = fl.Value
		}
	}
	if !strings.Contains(state, "**Off** since <t:1700000000:R>: the channel was deleted") {
		t.Errorf("state field = %q", state)
	}
	if resp := run("announce test"); !strings.Contains(resp.Content, "sample announcement in <#200>") || len(f.tested) != 1 {
		t.Errorf("test = %q, tested %v", resp.Content, f.tested)
	}
	if resp := run("announce off"); !strings.Contains(resp.Content, "is off") {
		t.Errorf("off = %q", resp.Content)
	}
	if resp := run("announce off"); !strings.Contains(resp.Content, "wasn't on") {
		t.Errorf("second off = %q", resp.Content)
	}
}

func TestWatchCommands(t *testing.T) {
	f := newFakeAnnouncer(0)
	r := announceRouter(t, f)
	ctx := context.Background()
	run := func(cmd, title string) *Response {
		req := &Request{Kind: KindCommand, Command: cmd, UserID: "u1"}
		if title != "" {
			req.Options = Options{"title": {Type: OptionString, String: title}}
		}
		return r.Handle(ctx, req)
	}
	steps := []struct {
		cmd, title, want string
	}{
		{"watch list", "", "don't watch any show"},
		{"watch add", "52991", "DM you when **Frieren: Beyond Journey's End** gets"},
		{"watch add", "https://myanimelist.net/anime/52991", "already get DMs"},
		{"watch add", "fullmetal alchemist brotherhood", "DM you when **Fullmetal Alchemist: Brotherhood**"},
		{"watch add", "zzzzqqq", "couldn't find an anime"},
		{"watch list", "", ""},
		{"watch remove", "fullmetal alchemist: brotherhood", "No more DMs about **Fullmetal Alchemist: Brotherhood**"},
		{"watch remove", "5114", "You don't watch"},
	}
	for _, s := range steps {
		resp := run(s.cmd, s.title)
		text := resp.Content
		if len(resp.Embeds) > 0 {
			text = resp.Embeds[0].Title + "\n" + resp.Embeds[0].Description
		}
		if s.want == "" {
			if !strings.Contains(text, "(2)") || !strings.Contains(text, "[Frieren: Beyond Journey's End](https://myanimelist.net/anime/52991)") {
				t.Errorf("list = %q", text)
			}
			continue
		}
		if !strings.Contains(text, s.want) {
			t.Errorf("/%s %s = %q, want %q", s.cmd, s.title, text, s.want)
		}
	}
	if got := f.watches["u1"]; !reflect.DeepEqual(got, []int{52991}) {
		t.Errorf("watches = %v", got)
	}
}

func TestWatchRemoveSuggestsOwnShows(t *testing.T) {
	f := newFakeAnnouncer(0)
	f.watches["u1"] = []int{5114, 52991}
	r := announceRouter(t, f)
	resp := r.Handle(context.Background(), &Request{Kind: KindAutocomplete, Command: "watch remove", UserID: "u1",
		Focused: "title", Options: Options{"title": {Type: OptionString, String: "fRIE"}}})
	want := []Choice{{Name: "Frieren: Beyond Journey's End", Value: "52991"}}
	if !reflect.DeepEqual(resp.Choices, want) {
		t.Errorf("choices = %+v, want %+v", resp.Choices, want)
	}
}

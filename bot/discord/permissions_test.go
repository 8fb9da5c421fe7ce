package discord

import (
	"context"
	"encoding/json"
	"testing"

	"dubbot/bot"
	"dubbot/bot/discord/discordtest"
)

const (
	view  = bot.PermissionViewChannel
	send  = bot.PermissionSendMessages
	embed = bot.PermissionEmbedLinks
	admin = bot.PermissionAdministrator
	post  = view | send | embed
)

func TestPermissions(t *testing.T) {
	const guild, me, owner = "1", "10", "11"
	roles := []Role{
		{ID: guild, Permissions: view | send},
		{ID: "r-embed", Permissions: embed},
		{ID: "r-admin", Permissions: admin},
		{ID: "r-other", Permissions: 0},
	}
	tests := []struct {
		name       string
		memberOf   []string
		owner      string
		overwrites []Overwrite
		want       bot.Permission
	}{
		{name: "everyone only", want: view | send},
		{name: "roles add", memberOf: []string{"r-embed"}, want: post},
		{name: "administrator has all", memberOf: []string{"r-admin"},
			overwrites: []Overwrite{{ID: guild, Type: OverwriteRole, Deny: view}}, want: AllPermissions},
		{name: "owner has all", owner: me,
			overwrites: []Overwrite{{ID: me, Type: OverwriteMember, Deny: view}}, want: AllPermissions},
		{name: "everyone overwrite denies send, embed lost with it", memberOf: []string{"r-embed"},
			overwrites: []Overwrite{{ID: guild, Type: OverwriteRole, Deny: send}}, want: view},
		{name: "role overwrite allows over everyone deny", memberOf: []string{"r-embed"},
			overwrites: []Overwrite{
				{ID: guild, Type: OverwriteRole, Deny: send},
				{ID: "r-embed", Type: OverwriteRole, Allow: send},
			}, want: post},
		{name: "role allow beats another role's deny", memberOf: []string{"r-embed", "r-other"},
			overwrites: []Overwrite{
				{ID: "r-other", Type: OverwriteRole, Deny: embed},
				{ID: "r-embed", Type: OverwriteRole, Allow: embed},
			}, want: post},
		{name: "overwrite of a role the member lacks is ignored", memberOf: nil,
			overwrites: []Overwrite{{ID: "r-embed", Type: OverwriteRole, Allow: embed}}, want: view | send},
		{name: "member overwrite beats role allow", memberOf: []string{"r-embed"},
			overwrites: []Overwrite{
				{ID: "r-embed", Type: OverwriteRole, Allow: send},
				{ID: me, Type: OverwriteMember, Deny: embed},
			}, want: view | send},
		{name: "no view means nothing", memberOf: []string{"r-embed"},
			overwrites: []Overwrite{{ID: guild, Type: OverwriteRole, Deny: view}}, want: 0},
		{name: "member overwrite restores view", memberOf: []string{"r-embed"},
			overwrites: []Overwrite{
				{ID: guild, Type: OverwriteRole, Deny: view},
				{ID: me, Type: OverwriteMember, Allow: view},
			}, want: post},
		{name: "member overwrite for someone else is ignored",
			overwrites: []Overwrite{{ID: owner, Type: OverwriteMember, Deny: view}}, want: view | send},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &Guild{ID: guild, OwnerID: tt.owner, Roles: roles}
			if g.OwnerID == "" {
				g.OwnerID = owner
			}
			ch := &Channel{ID: "c", GuildID: guild, Overwrites: tt.overwrites}
			got := Permissions(g, ch, &Member{UserID: me, Roles: tt.memberOf})
			if got != tt.want {
				t.Errorf("Permissions = %b, want %b", got, tt.want)
			}
		})
	}
}

func TestBotPermissionsReadsDiscord(t *testing.T) {
	fake := discordtest.New()
	defer fake.Close()
	const guild, channel = discordtest.DefaultGuildID, discordtest.DefaultChannelID
	fake.SetGuild(discordtest.Guild{ID: guild, OwnerID: discordtest.DefaultOwnerID, Roles: []discordtest.Role{
		{ID: guild, Name: "@everyone", Permissions: int64(view | send)},
		{ID: "77", Name: "bots", Permissions: int64(embed)},
	}})
	fake.SetMember(guild, discordtest.Member{UserID: fake.AppID, Roles: []string{"77"}})
	fake.SetChannel(discordtest.Channel{ID: channel, GuildID: guild, Name: "dub-news", Overwrites: []discordtest.Overwrite{
		{ID: "77", Type: OverwriteRole, Deny: int64(embed)},
	}})
	rest := NewREST(fake.APIURL(), fake.BotToken, nil, nil)
	ctx := context.Background()

	got, err := rest.BotPermissions(ctx, channel)
	if err != nil {
		t.Fatal(err)
	}
	if got != view|send {
		t.Errorf("BotPermissions = %b, want view|send", got)
	}

	fake.DeleteChannel(channel)
	_, err = rest.BotPermissions(ctx, channel)
	if ErrorCode(err) != CodeUnknownChannel {
		t.Errorf("deleted channel: err = %v, want code %d", err, CodeUnknownChannel)
	}
}

// FuzzPermissions decodes guild and channel objects as Discord might send
// them and checks what any computed permission set must satisfy.
func FuzzPermissions(f *testing.F) {
	f.Add([]byte(`{"id":"1","owner_id":"9","roles":[{"id":"1","permissions":"3072"},{"id":"2","permissions":"16384"}]}`),
		[]byte(`{"id":"5","guild_id":"1","permission_overwrites":[{"id":"1","type":0,"allow":"0","deny":"2048"},{"id":"2","type":0,"allow":"2048","deny":"0"}]}`), uint8(3))
	f.Add([]byte(`{"id":"1","owner_id":"10","roles":[]}`), []byte(`{}`), uint8(0))
	f.Add([]byte(`{"id":"1","roles":[{"id":"3","permissions":"8"}]}`), []byte(`{"permission_overwrites":[{"id":"10","type":1,"deny":"1024"}]}`), uint8(255))
	f.Add([]byte(`{"roles":[{"permissions":"-1"}]}`), []byte(`{"permission_overwrites":null}`), uint8(1))
	f.Fuzz(func(t *testing.T, guildJSON, channelJSON []byte, roleMask uint8) {
		var g Guild
		var ch Channel
		if json.Unmarshal(guildJSON, &g) != nil || json.Unmarshal(channelJSON, &ch) != nil {
			return
		}
		m := &Member{UserID: "10"}
		var granted bot.Permission
		for i, r := range g.Roles {
			if i < 8 && roleMask&(1<<i) != 0 {
				m.Roles = append(m.Roles, r.ID)
			}
			granted |= r.Permissions
		}
		for _, o := range ch.Overwrites {
			granted |= o.Allow
		}
		got := Permissions(&g, &ch, m)
		if got == AllPermissions {
			return
		}
		if g.OwnerID == m.UserID && g.OwnerID != "" {
			t.Fatalf("the owner got %b", got)
		}
		if got&^granted != 0 {
			t.Errorf("permissions %b include bits nothing granted (%b)", got, granted)
		}
		if got != 0 && got&bot.PermissionViewChannel == 0 {
			t.Errorf("permissions %b without View Channel", got)
		}
		if got&bot.PermissionSendMessages == 0 && got&bot.PermissionEmbedLinks != 0 {
			t.Errorf("permissions %b: Embed Links without Send Messages", got)
		}
	})
}

package discordtest

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// decode reads a built payload the way discordgo does.
func decode(t *testing.T, raw json.RawMessage) *discordgo.Interaction {
	t.Helper()
	var i discordgo.Interaction
	if err := json.Unmarshal(raw, &i); err != nil {
		t.Fatalf("discordgo cannot decode %s: %v", raw, err)
	}
	return &i
}

func TestSlashCommandPayload(t *testing.T) {
	f := New()
	t.Cleanup(f.Close)
	raw := f.SlashCommand(Command{
		Invoker: Invoker{UserID: "77", Username: "kai", Roles: []string{"5"}, Permissions: 1 << 3, AppPermissions: NoPermissions, Locale: "de"},
		Name:    "airing",
		Options: []CommandOption{SubCommandGroup("alerts", SubCommand("add",
			StringOption("title", "Frieren"), IntOption("delay", 30), BoolOption("ping", true),
			UserOption("for", "88"), ChannelOption("in", "99"), RoleOption("role", "5"), NumberOption("score", 8.5)))},
	})
	i := decode(t, raw)
	d := i.ApplicationCommandData()
	group := d.Options[0]
	add := group.Options[0]
	opts := add.Options
	switch {
	case i.Type != discordgo.InteractionApplicationCommand || i.AppID != f.AppID || i.Token == "" || i.ID == "":
		t.Errorf("envelope = %+v", i)
	case i.GuildID != DefaultGuildID || i.ChannelID != DefaultChannelID || i.User != nil:
		t.Errorf("guild context = guild %q channel %q user %v", i.GuildID, i.ChannelID, i.User)
	case i.Member.User.ID != "77" || i.Member.User.Username != "kai" || i.Member.Permissions != 1<<3 || i.Member.Roles[0] != "5":
		t.Errorf("member = %+v", i.Member)
	case i.AppPermissions != 0 || i.Locale != "de":
		t.Errorf("app permissions %d locale %q", i.AppPermissions, i.Locale)
	case d.Name != "airing" || d.ID == "" || group.Type != discordgo.ApplicationCommandOptionSubCommandGroup || add.Type != discordgo.ApplicationCommandOptionSubCommand:
		t.Errorf("data = %+v", d)
	case opts[0].StringValue() != "Frieren" || opts[1].IntValue() != 30 || !opts[2].BoolValue() || opts[6].FloatValue() != 8.5:
		t.Errorf("values = %v %v %v %v", opts[0].Value, opts[1].Value, opts[2].Value, opts[6].Value)
	case d.Resolved == nil || d.Resolved.Users["88"] == nil:
		t.Errorf("resolved users = %+v", d.Resolved)
	}
}

func TestDMPayloadUsesTheDMChannel(t *testing.T) {
	f := New()
	t.Cleanup(f.Close)
	i := decode(t, f.SlashCommand(Command{Invoker: Invoker{UserID: "77", DM: true}, Name: "link"}))
	dm := call(t, f, "POST", "/api/v10/users/@me/channels", map[string]string{"recipient_id": "77"})
	if i.GuildID != "" || i.Member != nil || i.User == nil || i.User.ID != "77" || i.ChannelID != dm.body["id"] {
		t.Errorf("DM interaction guild %q member %v user %v channel %q (DM channel %v)", i.GuildID, i.Member, i.User, i.ChannelID, dm.body["id"])
	}
}

func TestAutocompletePayloadFocus(t *testing.T) {
	f := New()
	t.Cleanup(f.Close)
	tests := []struct {
		name        string
		opts        []CommandOption
		wantFocused []string // option path to the focused option
	}{
		{"last by default", []CommandOption{StringOption("a", "x"), StringOption("b", "fri")}, []string{"b"}},
		{"explicit", []CommandOption{StringOption("a", "fri").Focus(), StringOption("b", "x")}, []string{"a"}},
		{"inside a sub-command", []CommandOption{SubCommand("add", StringOption("title", "fri"))}, []string{"add", "title"}},
	}
	for _, tc := range tests {
		i := decode(t, f.Autocomplete(Command{Name: "dub", Options: tc.opts}))
		if i.Type != discordgo.InteractionApplicationCommandAutocomplete {
			t.Errorf("%s: type %d", tc.name, i.Type)
		}
		opts := i.ApplicationCommandData().Options
		var o *discordgo.ApplicationCommandInteractionDataOption
		for _, name := range tc.wantFocused {
			o = nil
			for _, c := range opts {
				if c.Name == name {
					o = c
				}
			}
			if o == nil {
				t.Fatalf("%s: no option %q", tc.name, name)
			}
			opts = o.Options
		}
		if !o.Focused {
			t.Errorf("%s: option %q is not focused", tc.name, o.Name)
		}
	}
}

func TestComponentPayload(t *testing.T) {
	f := New()
	t.Cleanup(f.Close)
	button := decode(t, f.Component("page:2", nil))
	sel := decode(t, f.Click(Click{CustomID: "pick", Values: []string{"21"}, MessageID: "555", MessageFlags: 64}))
	bd, sd := button.MessageComponentData(), sel.MessageComponentData()
	if button.Type != discordgo.InteractionMessageComponent || bd.CustomID != "page:2" || bd.ComponentType != discordgo.ButtonComponent || len(bd.Values) != 0 {
		t.Errorf("button = %+v", bd)
	}
	if sd.ComponentType != discordgo.SelectMenuComponent || sd.Values[0] != "21" || sel.Message.ID != "555" || sel.Message.Flags != 64 || sel.Message.Author.ID != f.AppID {
		t.Errorf("select = %+v message %+v", sd, sel.Message)
	}
	if button.ID == sel.ID || button.Token == sel.Token {
		t.Error("ids and tokens repeat between payloads")
	}
}

package discord

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dubbot/bot"
)

func TestToRequestFlattensSubcommandsAndTypes(t *testing.T) {
	raw := `{"id":"1","type":2,"token":"t","guild_id":"9","channel_id":"8",
		"member":{"user":{"id":"7","username":"ann"},"permissions":"32"},
		"data":{"name":"announce","type":1,"options":[{"name":"set","type":1,"options":[
			{"name":"channel","type":7,"value":"555"},{"name":"events","type":3,"value":"all"}]}],
			"resolved":{"channels":{"555":{"id":"555","name":"dubs","type":0}}}}}`
	var i discordgo.Interaction
	if err := json.Unmarshal([]byte(raw), &i); err != nil {
		t.Fatal(err)
	}
	req, err := ToRequest(&i)
	if err != nil {
		t.Fatal(err)
	}
	if req.Command != "announce set" || req.Options.String("channel") != "555" || req.Options.String("events") != "all" ||
		req.Permissions != bot.PermissionManageServer || req.UserID != "7" || req.Resolved.Channels["555"].Name != "dubs" {
		t.Errorf("request = %+v", req)
	}
	autocomplete := `{"id":"2","type":4,"token":"t","user":{"id":"3"},
		"data":{"name":"search","type":1,"options":[{"name":"year","type":4,"value":"20","focused":true}]}}`
	if err := json.Unmarshal([]byte(autocomplete), &i); err != nil {
		t.Fatal(err)
	}
	req, err = ToRequest(&i)
	if err != nil || req.Kind != bot.KindAutocomplete || req.Focused != "year" || req.Options["year"].String != "20" || req.GuildID != "" {
		t.Errorf("autocomplete request = %+v, %v", req, err)
	}
}

// FuzzToRequest: whatever Discord (or anyone posting to /interactions)
// sends, decoding and converting never panics.
func FuzzToRequest(f *testing.F) {
	for _, seed := range []string{
		`{"id":"1","type":2,"token":"t","data":{"name":"dub","type":1,"options":[{"name":"title","type":3,"value":"x"}]}}`,
		`{"id":"1","type":3,"token":"t","data":{"custom_id":"search:1:,,0:q","component_type":2}}`,
		`{"id":"1","type":4,"data":{"name":"dub","options":[{"name":"title","type":3,"value":5,"focused":true}]}}`,
		`{"id":"1","type":2,"data":{"name":"x","options":[null,{"type":1}]}}`,
		`{"type":5}`, `{}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var i discordgo.Interaction
		if json.Unmarshal([]byte(raw), &i) != nil {
			return
		}
		req, err := ToRequest(&i)
		if err == nil && req == nil {
			t.Fatal("no request and no error")
		}
	})
}

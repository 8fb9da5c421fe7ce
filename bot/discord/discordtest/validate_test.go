package discordtest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCheckMessage(t *testing.T) {
	row := func(children ...string) string {
		return `{"type":1,"components":[` + strings.Join(children, ",") + `]}`
	}
	button := func(id string) string { return `{"type":2,"style":1,"label":"go","custom_id":"` + id + `"}` }
	sel := `{"type":3,"custom_id":"s","options":[{"label":"a","value":"a"}]}`
	fields26 := strings.TrimSuffix(strings.Repeat(`{"name":"n","value":"v"},`, 26), ",")
	tests := []struct {
		name     string
		body     string
		wantCode string // "" for valid; else the first error's code
	}{
		{"content", `{"content":"hi"}`, ""},
		{"empty", `{}`, emptyMessage},
		{"content too long", `{"content":"` + strings.Repeat("é", 2001) + `"}`, "BASE_TYPE_MAX_LENGTH"},
		{"content at the limit in runes", `{"content":"` + strings.Repeat("é", 2000) + `"}`, ""},
		{"eleven embeds", `{"embeds":[` + strings.TrimSuffix(strings.Repeat(`{"title":"t"},`, 11), ",") + `]}`, "BASE_TYPE_MAX_LENGTH"},
		{"26 fields", `{"embeds":[{"fields":[` + fields26 + `]}]}`, "BASE_TYPE_MAX_LENGTH"},
		{"field without value", `{"embeds":[{"fields":[{"name":"n","value":""}]}]}`, "BASE_TYPE_REQUIRED"},
		{"embeds over 6000 together", `{"embeds":[{"description":"` + strings.Repeat("x", 4000) + `"},{"description":"` + strings.Repeat("x", 2001) + `"}]}`, "MAX_EMBED_SIZE_EXCEEDED"},
		{"five buttons", `{"components":[` + row(button("1"), button("2"), button("3"), button("4"), button("5")) + `]}`, ""},
		{"six buttons", `{"components":[` + row(button("1"), button("2"), button("3"), button("4"), button("5"), button("6")) + `]}`, "BASE_TYPE_MAX_LENGTH"},
		{"six rows", `{"components":[` + strings.TrimSuffix(strings.Repeat(row(sel)+",", 6), ",") + `]}`, "BASE_TYPE_MAX_LENGTH"},
		{"select with a button", `{"components":[` + row(sel, button("b")) + `]}`, "COMPONENT_LAYOUT_WIDTH_EXCEEDED"},
		{"duplicate custom ids", `{"components":[` + row(button("x"), button("x")) + `]}`, "COMPONENT_CUSTOM_ID_DUPLICATED"},
		{"custom id too long", `{"components":[` + row(button(strings.Repeat("c", 101))) + `]}`, "BASE_TYPE_MAX_LENGTH"},
		{"link button needs no custom id", `{"components":[` + row(`{"type":2,"style":5,"label":"AniList","url":"https://anilist.co"}`) + `]}`, ""},
		{"button outside a row", `{"components":[` + button("b") + `]}`, "UNION_TYPE_CHOICES"},
		{"v2 with content", `{"flags":32768,"content":"x","components":[{"type":10,"content":"t"}]}`, "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2"},
		{"v2 container", `{"flags":32768,"components":[{"type":17,"components":[{"type":10,"content":"t"},` + row(button("a")) + `]}]}`, ""},
		{"wrong type", `{"content":5}`, "MODEL_TYPE_CONVERT"},
	}
	for _, tc := range tests {
		errs := checkMessage(Payload(tc.body), nil, true)
		got := ""
		if len(errs) > 0 {
			got = errs[0].code
		}
		if got != tc.wantCode {
			t.Errorf("%s: first error %q (all %v), want %q", tc.name, got, errs, tc.wantCode)
		}
	}
}

func TestCheckCommands(t *testing.T) {
	opt := func(typ int, name string, extra string) string {
		return `{"type":` + itoa(typ) + `,"name":"` + name + `","description":"d"` + extra + `}`
	}
	cmd := func(name string, opts ...string) string {
		return `{"name":"` + name + `","description":"d","options":[` + strings.Join(opts, ",") + `]}`
	}
	tests := []struct {
		name, body, wantCode string
	}{
		{"valid", `[` + cmd("dub", opt(3, "title", `,"required":true,"autocomplete":true`), opt(4, "page", "")) + `]`, ""},
		{"upper case", `[` + cmd("Dub") + `]`, "APPLICATION_COMMAND_INVALID_NAME"},
		{"space in name", `[` + cmd("is dubbed") + `]`, "APPLICATION_COMMAND_INVALID_NAME"},
		{"user command may have spaces", `[{"type":2,"name":"Dub status"}]`, ""},
		{"no description", `[{"name":"dub"}]`, "BASE_TYPE_MAX_LENGTH"},
		{"duplicate", `[` + cmd("dub") + `,` + cmd("dub") + `]`, "APPLICATION_COMMANDS_DUPLICATE_NAME"},
		{"required after optional", `[` + cmd("dub", opt(3, "a", ""), opt(3, "b", `,"required":true`)) + `]`, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"},
		{"autocomplete with choices", `[` + cmd("dub", opt(3, "a", `,"autocomplete":true,"choices":[{"name":"x","value":"x"}]`)) + `]`, "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES"},
		{"sub-commands mixed with options", `[` + cmd("airing", opt(1, "add", ""), opt(3, "title", "")) + `]`, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID"},
		{"group in a group", `[` + cmd("airing", opt(2, "a", `,"options":[`+opt(2, "b", "")+`]`)) + `]`, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID"},
		{"group with sub-command", `[` + cmd("airing", opt(2, "alerts", `,"options":[`+opt(1, "add", `,"options":[`+opt(3, "title", "")+`]`)+`]`)) + `]`, ""},
		{"not an array", `{"name":"dub"}`, "MODEL_TYPE_CONVERT"},
	}
	for _, tc := range tests {
		errs := checkCommands([]byte(tc.body))
		got := ""
		if len(errs) > 0 {
			got = errs[0].code
		}
		if got != tc.wantCode {
			t.Errorf("%s: first error %q (all %v), want %q", tc.name, got, errs, tc.wantCode)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// FuzzCheckMessage feeds arbitrary bodies to the message checks: they must
// not panic, and a body that is only short content must pass.
func FuzzCheckMessage(f *testing.F) {
	for _, seed := range []string{`{"content":"hi"}`, `{}`, `{"embeds":[{"fields":[{}]}]}`, `{"components":[{"type":1,"components":[{"type":3}]}]}`, `{"flags":32768,"components":[{"type":17,"components":[{"type":9}]}]}`, `[]`, `null`, `{"nonce":12}`} {
		f.Add([]byte(seed), "hello")
	}
	f.Fuzz(func(t *testing.T, body []byte, content string) {
		_ = checkMessage(Payload(body), []string{"data"}, true)
		_ = checkAutocomplete(Payload(body))
		_ = checkModal(Payload(body))
		_ = checkCommands(body)
		if content == "" || len([]rune(content)) > maxContent {
			return
		}
		b, _ := json.Marshal(map[string]string{"content": content})
		if errs := checkMessage(Payload(b), nil, true); len(errs) > 0 {
			t.Errorf("content %q rejected: %v", content, errs)
		}
	})
}

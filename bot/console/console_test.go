package console

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"dubbot/bot"
)

func router(t *testing.T) *bot.Router {
	t.Helper()
	r, err := testRouter()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testRouter is a table with options of every kind the parser handles.
func testRouter() (*bot.Router, error) {
	show := func(ctx context.Context, req *bot.Request) (*bot.Response, error) {
		var parts []string
		for _, o := range []string{"query", "dubbed", "year", "type", "channel", "role"} {
			if v, ok := req.Options[o]; ok {
				parts = append(parts, o+"="+v.Text())
			}
		}
		return bot.Reply(req.Command + " " + strings.Join(parts, " ")), nil
	}
	return bot.NewRouter([]*bot.Command{
		{Name: "search", Description: "Search", Run: show, Options: []bot.Option{
			{Name: "query", Description: "q", Type: bot.OptionString, Required: true},
			{Name: "dubbed", Description: "d", Type: bot.OptionBoolean},
			{Name: "year", Description: "y", Type: bot.OptionInteger},
			{Name: "type", Description: "t", Type: bot.OptionString, Choices: []bot.Choice{{Name: "TV", Value: "tv"}, {Name: "Movie", Value: "movie"}}},
		}},
		{Name: "announce", Description: "Announce", Subcommands: []*bot.Command{
			{Name: "set", Description: "Set", Run: show, Options: []bot.Option{
				{Name: "channel", Description: "c", Type: bot.OptionChannel, Required: true},
				{Name: "role", Description: "r", Type: bot.OptionRole},
			}},
		}},
	}, bot.RouterOptions{})
}

func TestParseChatBoxSyntax(t *testing.T) {
	r := router(t)
	cases := map[string]string{
		`/search query:"two words" dubbed:true`:     "search query=two words dubbed=true",
		`/search query:attack on titan year:2013`:   "search query=attack on titan year=2013",
		`/search query:re:zero s2`:                  "search query=re:zero s2",
		`/search query:watch re:zero`:               "search query=watch re:zero",
		`/search query:'kaguya sama' type:Movie`:    "search query=kaguya sama type=movie",
		`/announce set channel:<#123> role:<@&456>`: "announce set channel=123 role=456",
		`/SEARCH Query:x`:                           "search query=x",
	}
	for line, want := range cases {
		resp, err := Ask(context.Background(), r, Identity{}, line)
		if err != nil {
			t.Errorf("%s: %v", line, err)
			continue
		}
		if resp.Content != want {
			t.Errorf("%s: got %q, want %q", line, resp.Content, want)
		}
	}
}

func TestParseErrorsListValidChoices(t *testing.T) {
	r := router(t)
	cases := map[string]string{
		`/serch query:x`:                "unknown command /serch; commands: /announce, /help, /search",
		`/search qurey:x`:               "unknown option qurey for /search; valid options: dubbed, query, type, year",
		`/search query:x dubed:true`:    "unknown option dubed for /search",
		`/search`:                       "/search needs query:",
		`/search query:x year:soon`:     `"soon" is not a whole number`,
		`/search query:x dubbed:maybe`:  `"maybe" is not true or false`,
		`/search query:x type:ova`:      `"ova" is not one of: tv, movie`,
		`/search query:"x`:              "quote is not closed",
		`/announce`:                     "/announce needs a subcommand: set",
		`/announce delete`:              `unknown subcommand "delete" for /announce; valid: set`,
		`/announce set channel:general`: "is not a channel mention or id",
		`hello`:                         "type a slash command",
		`/search query:x query:y`:       "given twice",
	}
	for line, want := range cases {
		_, err := Ask(context.Background(), r, Identity{}, line)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", line, err, want)
		}
	}
}

func TestJSONIsTheCallbackPayload(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, bot.Private("hi & bye")); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Type int `json:"type"`
		Data struct {
			Content string `json:"content"`
			Flags   int    `json:"flags"`
		} `json:"data"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != 4 || got.Data.Content != "hi & bye" || got.Data.Flags != 64 {
		t.Errorf("payload = %s", buf.String())
	}
}

func TestREPLPressesButtons(t *testing.T) {
	r, err := bot.NewRouter([]*bot.Command{{
		Name: "pages", Description: "Pages",
		Run: func(ctx context.Context, req *bot.Request) (*bot.Response, error) {
			return &bot.Response{Content: "page 1", Components: []bot.Component{bot.Row(bot.Button(bot.ButtonPrimary, "Next", "pg:2"))}}, nil
		},
		Components: map[string]bot.Handler{"pg": func(ctx context.Context, req *bot.Request) (*bot.Response, error) {
			return &bot.Response{Update: true, Content: "now at " + req.CustomID}, nil
		}},
	}}, bot.RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := REPL(context.Background(), r, Identity{}, strings.NewReader("/pages\n1\n9\n"), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"page 1", "[1] Next", "now at pg:2", "press a number from 1 to 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("REPL output misses %q:\n%s", want, out.String())
		}
	}
}

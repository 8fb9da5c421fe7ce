package link

import (
	"net/http"
	"strings"
	"testing"

	"dubbot/bot"
	"dubbot/bot/console"
)

// TestCommandsThroughRouter drives /link, /profile and /unlink as a user
// would, through the router and the console adapter, with the browser part
// of linking done against the fakes.
func TestCommandsThroughRouter(t *testing.T) {
	e := newEnv(t, options{noAniList: true})
	r, err := bot.NewRouter(bot.LinkCommands(e.svc.ForBot()), bot.RouterOptions{Notices: e.note.TakeNotices})
	if err != nil {
		t.Fatal(err)
	}
	who := console.Identity{UserID: discordUser, UserName: "tester"}
	var button string // the last link button's URL
	steps := []struct {
		line  string
		want  []string // all appear in the answer
		after func()   // what the user does next
	}{
		{line: "/profile", want: []string{"MyAnimeList: Not linked. Run `/link mal`", "AniList: Not available on this bot."}},
		{line: "/link anilist", want: []string{"isn't set up on this bot"}},
		{line: "/unlink mal", want: []string{"You have no MyAnimeList account linked."}},
		{line: "/link mal", want: []string{"Press the button to sign in to MyAnimeList", "[Link MyAnimeList](" + e.mal.AuthURL()},
			after: func() {
				if status, page := e.browse(button); status != http.StatusOK {
					t.Fatalf("following /link's button: HTTP %d\n%s", status, page)
				}
			}},
		{line: "/profile", want: []string{"[mal\\_user](https://myanimelist.net/profile/mal_user), linked <t:", ":D>", "✅ Working"}},
		{line: "/link mal", want: []string{"You're linked to MyAnimeList as **mal\\_user**; linking again replaces"},
			after: func() {
				if err := e.svc.ReportUnauthorized(ctx, discordUser, MAL); err != nil {
					t.Fatal(err)
				}
			}},
		{line: "/profile", want: []string{"⚠️ Needs re-authorization: MyAnimeList refused dubbot's access", "Run `/link mal` to fix it."}},
		{line: "/unlink mal", want: []string{"Unlinked your MyAnimeList account and deleted its tokens."}},
		{line: "/profile", want: []string{"MyAnimeList: Not linked."}},
	}
	for _, s := range steps {
		resp, err := console.Ask(ctx, r, who, s.line)
		if err != nil {
			t.Fatalf("%s: %v", s.line, err)
		}
		if !resp.Ephemeral {
			t.Errorf("%s: the answer is not ephemeral", s.line)
		}
		text := render(resp)
		for _, w := range s.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: answer lacks %q:\n%s", s.line, w, text)
			}
		}
		button = linkButton(resp)
		if s.after != nil {
			s.after()
		}
	}
}

// render is the answer as text, with link buttons as [label](url).
func render(resp *bot.Response) string {
	var b strings.Builder
	b.WriteString(resp.Content + "\n")
	for _, e := range resp.Embeds {
		for _, f := range e.Fields {
			b.WriteString(f.Name + ": " + f.Value + "\n")
		}
	}
	for _, row := range resp.Components {
		for _, c := range row.Components {
			if c.Style == bot.ButtonLink {
				b.WriteString("[" + c.Label + "](" + c.URL + ")\n")
			}
		}
	}
	return b.String()
}

func linkButton(resp *bot.Response) string {
	for _, row := range resp.Components {
		for _, c := range row.Components {
			if c.Style == bot.ButtonLink {
				return c.URL
			}
		}
	}
	return ""
}

package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LinkedAccount is an account linked to a Discord user, as /profile shows it.
type LinkedAccount struct {
	Provider     string // a linkProviders name: "mal" or "anilist"
	Name         string
	URL          string // the account's profile page; "" when unknown
	Since        time.Time
	NeedsReauth  bool
	ReauthReason string
}

// Linker is what /link, /unlink and /profile need of account linking.
type Linker interface {
	// Enabled reports whether the provider can be linked on this bot.
	Enabled(provider string) bool
	// AuthorizeURL is the provider's sign-in page, bound to this user.
	AuthorizeURL(ctx context.Context, userID, provider string) (string, error)
	// Unlink forgets the account; false when none was linked.
	Unlink(ctx context.Context, userID, provider string) (bool, error)
	// Accounts lists the user's linked accounts.
	Accounts(userID string) ([]LinkedAccount, error)
}

// linkProvider is a site accounts are linked on, and why the bot wants it.
type linkProvider struct {
	name, title, purpose string
}

var linkProviders = []linkProvider{
	{"mal", "MyAnimeList", "update your list when you sync"},
	{"anilist", "AniList", "read your list"},
}

// LinkCommands are /link, /unlink and /profile.
func LinkCommands(l Linker) []*Command {
	link := &Command{Name: "link", Description: "Link your MyAnimeList or AniList account", Ephemeral: true}
	unlink := &Command{Name: "unlink", Description: "Unlink your MyAnimeList or AniList account", Ephemeral: true}
	for _, p := range linkProviders {
		link.Subcommands = append(link.Subcommands, &Command{
			Name: p.name, Description: "Link your " + p.title + " account (signs in on " + p.title + ")", Ephemeral: true,
			Run: func(ctx context.Context, req *Request) (*Response, error) { return runLink(ctx, l, req, p) },
		})
		unlink.Subcommands = append(unlink.Subcommands, &Command{
			Name: p.name, Description: "Unlink your " + p.title + " account and delete its tokens", Ephemeral: true,
			Run: func(ctx context.Context, req *Request) (*Response, error) { return runUnlink(ctx, l, req, p) },
		})
	}
	profile := &Command{
		Name: "profile", Description: "Which accounts you have linked, and whether they work", Ephemeral: true,
		Run: func(ctx context.Context, req *Request) (*Response, error) { return runProfile(l, req) },
	}
	return []*Command{link, unlink, profile}
}

func runLink(ctx context.Context, l Linker, req *Request, p linkProvider) (*Response, error) {
	if !l.Enabled(p.name) {
		return Private(fmt.Sprintf("Linking %s isn't set up on this bot yet. The bot's owner can turn it on by adding %s API credentials.", p.title, p.title)), nil
	}
	url, err := l.AuthorizeURL(ctx, req.UserID, p.name)
	if err != nil {
		return nil, fmt.Errorf("start %s link for user %s: %w", p.name, req.UserID, err)
	}
	var b strings.Builder
	if a, ok, err := linkedAs(l, req.UserID, p.name); err != nil {
		return nil, err
	} else if ok && !a.NeedsReauth {
		fmt.Fprintf(&b, "You're linked to %s as **%s**; linking again replaces that account.\n", p.title, escape.Replace(a.Name))
	}
	fmt.Fprintf(&b, "Press the button to sign in to %s and let dubbot %s. The button works once, for the next 10 minutes, and only for you.", p.title, p.purpose)
	return &Response{
		Ephemeral:  true,
		Content:    b.String(),
		Components: []Component{Row(LinkButton("Link "+p.title, url))},
	}, nil
}

func runUnlink(ctx context.Context, l Linker, req *Request, p linkProvider) (*Response, error) {
	ok, err := l.Unlink(ctx, req.UserID, p.name)
	if err != nil {
		return nil, fmt.Errorf("unlink %s of user %s: %w", p.name, req.UserID, err)
	}
	if !ok {
		return Private(fmt.Sprintf("You have no %s account linked.", p.title)), nil
	}
	return Private(fmt.Sprintf("Unlinked your %s account and deleted its tokens. "+
		"You can also remove dubbot from the apps allowed in your %s settings.", p.title, p.title)), nil
}

func runProfile(l Linker, req *Request) (*Response, error) {
	accounts, err := l.Accounts(req.UserID)
	if err != nil {
		return nil, fmt.Errorf("read links of user %s: %w", req.UserID, err)
	}
	e := Embed{Title: "Your linked accounts", Color: ColorBrand}
	for _, p := range linkProviders {
		value := fmt.Sprintf("Not linked. Run `/link %s` to link it.", p.name)
		if a, ok := findLink(accounts, p.name); ok {
			value = describeLink(a, p)
			if a.NeedsReauth {
				e.Color = ColorPartial
			}
		} else if !l.Enabled(p.name) {
			value = "Not available on this bot."
		}
		e.Fields = append(e.Fields, EmbedField{Name: p.title, Value: Clip(value, MaxFieldValue)})
	}
	return &Response{Ephemeral: true, Embeds: []Embed{e}}, nil
}

func describeLink(a LinkedAccount, p linkProvider) string {
	name := "**" + escape.Replace(a.Name) + "**"
	if a.URL != "" {
		name = "[" + escape.Replace(a.Name) + "](" + a.URL + ")"
	}
	s := fmt.Sprintf("%s, linked %s (%s)", name, Timestamp(a.Since, "D"), Timestamp(a.Since, "R"))
	if a.NeedsReauth {
		return s + fmt.Sprintf("\n⚠️ Needs re-authorization: %s. Run `/link %s` to fix it.", a.ReauthReason, p.name)
	}
	return s + "\n✅ Working"
}

func linkedAs(l Linker, userID, provider string) (LinkedAccount, bool, error) {
	accounts, err := l.Accounts(userID)
	if err != nil {
		return LinkedAccount{}, false, fmt.Errorf("read links of user %s: %w", userID, err)
	}
	a, ok := findLink(accounts, provider)
	return a, ok, nil
}

func findLink(accounts []LinkedAccount, provider string) (LinkedAccount, bool) {
	for _, a := range accounts {
		if a.Provider == provider {
			return a, true
		}
	}
	return LinkedAccount{}, false
}

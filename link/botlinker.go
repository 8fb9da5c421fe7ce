package link

import (
	"context"
	"errors"
	"net/url"

	"dubbot/bot"
)

// ForBot adapts the service to bot.LinkCommands. The adapter lives here
// because package bot cannot import link: link reaches bot through notify
// and bot/discord.
func (s *Service) ForBot() bot.Linker { return botLinker{s} }

type botLinker struct{ s *Service }

func (b botLinker) Enabled(provider string) bool { return b.s.Enabled(Provider(provider)) }

func (b botLinker) AuthorizeURL(ctx context.Context, userID, provider string) (string, error) {
	return b.s.AuthorizeURL(ctx, userID, Provider(provider))
}

func (b botLinker) Unlink(ctx context.Context, userID, provider string) (bool, error) {
	err := b.s.Unlink(ctx, userID, Provider(provider))
	if errors.Is(err, ErrNotLinked) {
		return false, nil
	}
	return err == nil, err
}

func (b botLinker) Accounts(userID string) ([]bot.LinkedAccount, error) {
	var out []bot.LinkedAccount
	for _, p := range Providers() {
		a, ok, err := b.s.Account(userID, p)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, bot.LinkedAccount{
				Provider: string(p), Name: a.Name, URL: ProfileURL(p, a.Name), Since: a.LinkedAt,
				NeedsReauth: a.NeedsReauth, ReauthReason: a.ReauthReason,
			})
		}
	}
	return out, nil
}

// ProfileURL is the public page of an account.
func ProfileURL(p Provider, name string) string {
	switch p {
	case MAL:
		return "https://myanimelist.net/profile/" + url.PathEscape(name)
	case AniList:
		return "https://anilist.co/user/" + url.PathEscape(name) + "/"
	}
	return ""
}

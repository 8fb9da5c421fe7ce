package link

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"dubbot/bot"
	"dubbot/bot/discord"
	"dubbot/notify"
	"dubbot/store"
)

// dmTimeout bounds one DM, so a slow Discord cannot hold a callback page or
// a sync run for long.
const dmTimeout = 15 * time.Second

// ReportUnauthorized is for callers whose request the provider refused
// although it went through Client (which has already tried a refresh): it
// marks the link as needing re-authorization and DMs the user, once per
// lapse however often it is called. ErrNotLinked when there is no link.
func (s *Service) ReportUnauthorized(ctx context.Context, userID string, p Provider) error {
	return s.markReauth(ctx, userID, p, fmt.Sprintf(reasonRefused, p.Title()))
}

// markReauth flags the link and, if it was not flagged already, DMs the
// user a button to link again. Only the first caller of a lapse sees the
// flag go up (the store serializes updates), so the DM goes out once.
func (s *Service) markReauth(ctx context.Context, userID string, p Provider, reason string) error {
	key := linkKey(userID, p)
	var rec record
	var first bool
	var ticket string
	err := s.db.Update(func(tx *store.Tx) error {
		found, err := tx.Get(store.BucketLinks, key, &rec)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%s account of user %s: %w", p.Title(), userID, ErrNotLinked)
		}
		if rec.NeedsReauth {
			return nil
		}
		first = true
		rec.NeedsReauth, rec.ReauthReason, rec.ReauthSince = true, reason, s.now().UTC()
		if err := tx.Put(store.BucketLinks, key, rec); err != nil {
			return err
		}
		ticket, err = s.addPending(tx, ticketPrefix, userID, p, "", ticketTTL)
		return err
	})
	if err != nil || !first {
		return err
	}
	s.log.Info("link needs re-authorization", slogUser(userID, p), slog.String("reason", reason))
	s.dm(ctx, userID, p, reauthMessage(p, rec.Name, reason, s.startURL(p, ticket)),
		fmt.Sprintf("Your %s link needs renewing: %s. Run `/link %s` to link again.", p.Title(), reason, p))
	return nil
}

func reauthMessage(p Provider, name, reason, startURL string) discord.Message {
	return discord.Message{
		Content: fmt.Sprintf("Your %s account **%s** needs to be linked again: %s. "+
			"Until then I can't use it (syncing to it is paused). The button works for 7 days; after that, run `/link %s`.",
			p.Title(), markdown.Replace(name), reason, p),
		Components: []bot.Component{bot.Row(bot.LinkButton("Link "+p.Title()+" again", startURL))},
	}
}

func linkedMessage(a Account) discord.Message {
	return discord.Message{Content: fmt.Sprintf("Linked your %s account **%s**. Run `/profile` to see your links, or `/unlink %s` to undo.",
		a.Provider.Title(), markdown.Replace(a.Name), a.Provider)}
}

// dm sends a DM; a user whose DMs are closed gets the notice after their
// next command instead, which is fine, so only other failures are logged.
func (s *Service) dm(ctx context.Context, userID string, p Provider, m discord.Message, notice string) {
	if s.notify == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), dmTimeout)
	defer cancel()
	err := s.notify.DM(ctx, userID, m, notice)
	if err != nil && !errors.Is(err, notify.ErrDMsClosed) {
		s.log.Warn("DM about account link", slogUser(userID, p), slogErr(err))
	}
}

// markdown keeps account names from being read as Discord markdown.
var markdown = strings.NewReplacer("*", "\\*", "_", "\\_", "`", "\\`", "~", "\\~", "|", "\\|", ">", "\\>")

func slogUser(userID string, p Provider) slog.Attr {
	return slog.Group("link", slog.String("user_id", userID), slog.String("provider", string(p)))
}

func slogErr(err error) slog.Attr { return slog.Any("error", err) }

package announce

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"dubbot/bot"
	"dubbot/dubs"
	"dubbot/store"
)

// Test posts a sample announcement in a server's channel at once, outside
// the outbox. The role mention is shown but pings nobody. A refusal for
// good turns the subscription off as a real post would; a success turns a
// turned-off subscription back on.
func (s *Service) Test(ctx context.Context, guildID string) error {
	if s.cfg.Poster == nil {
		return ErrNoDiscord
	}
	sub, found, err := s.subscription(guildID)
	if err != nil {
		return fmt.Errorf("read subscription of guild %s: %w", guildID, err)
	}
	if !found {
		return bot.Errorf("This server has no announcement channel yet. Set one with `/announce set`.")
	}
	msg := s.message(samplePost(s.now()), sub.RoleID)
	msg.Content = "Test: this is how dub news will look here.\n" + msg.Content
	msg.AllowedMentions = &bot.AllowedMentions{Parse: []string{}}
	_, err = s.cfg.Poster.SendMessage(ctx, sub.ChannelID, msg)
	switch {
	case err == nil:
		if sub.Disabled {
			return s.enable(guildID, sub.ChannelID)
		}
		return nil
	case targetGone(err):
		if derr := s.disable(guildID, sub.ChannelID, err); derr != nil {
			return derr
		}
		return bot.Errorf(fmt.Sprintf("I couldn't post in <#%s>: %s. Announcements are off until you fix that and run `/announce set` again.",
			sub.ChannelID, describeRefusal(err)))
	}
	return fmt.Errorf("test post in channel %s: %w", sub.ChannelID, err)
}

func samplePost(now time.Time) Post {
	return Post{ID: "test", Kind: dubs.EpisodeAired, Title: "Example Show", Episodes: []int{5, 6}, Total: 12, Found: now}
}

// enable turns a subscription back on after a test post went through.
func (s *Service) enable(guildID, channelID string) error {
	err := s.db.Update(func(tx *store.Tx) error {
		var sub Subscription
		found, err := tx.Get(store.BucketSubscriptions, guildID, &sub)
		if err != nil || !found || sub.ChannelID != channelID {
			return err
		}
		sub.Disabled, sub.DisabledReason, sub.DisabledAt = false, "", time.Time{}
		return tx.Put(store.BucketSubscriptions, guildID, sub)
	})
	if err != nil {
		return fmt.Errorf("enable subscription of guild %s: %w", guildID, err)
	}
	s.log.Info("announcements enabled again after a test post", slog.String("guild_id", guildID))
	return nil
}

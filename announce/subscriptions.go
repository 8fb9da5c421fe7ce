package announce

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"dubbot/bot"
	"dubbot/bot/discord"
	"dubbot/dubs"
	"dubbot/store"
)

// Filter is which events a server wants.
type Filter string

// Filters, as /announce set offers them.
const (
	// FilterAiring: new dub episodes, and a dub's completion.
	FilterAiring Filter = "airing"
	// FilterNewDubs: newly dubbed and newly announced shows, and a dub's
	// completion.
	FilterNewDubs Filter = "new-dubs"
	// FilterAll: everything.
	FilterAll Filter = "all"
)

// ParseFilter reads a filter name; "" means all.
func ParseFilter(s string) (Filter, error) {
	switch f := Filter(s); f {
	case "":
		return FilterAll, nil
	case FilterAiring, FilterNewDubs, FilterAll:
		return f, nil
	}
	return "", fmt.Errorf("unknown events filter %q (want airing, new-dubs or all)", s)
}

// Wants reports whether the filter lets an event kind through.
func (f Filter) Wants(kind dubs.EventKind) bool {
	switch kind {
	case dubs.EpisodeAired:
		return f != FilterNewDubs
	case dubs.NewlyDubbed, dubs.DubAnnounced:
		return f != FilterAiring
	case dubs.DubCompleted:
		return true
	}
	return false
}

// Subscription is a server's announcement channel and what goes there.
type Subscription struct {
	GuildID   string    `json:"guild_id"`
	ChannelID string    `json:"channel_id"`
	RoleID    string    `json:"role_id,omitempty"`
	Events    Filter    `json:"events"`
	SetBy     string    `json:"set_by,omitempty"`
	Since     time.Time `json:"since"`
	// Disabled stops posts after Discord refused one for good (channel
	// deleted, access or permissions lost); /announce set clears it.
	Disabled       bool      `json:"disabled,omitempty"`
	DisabledReason string    `json:"disabled_reason,omitempty"`
	DisabledAt     time.Time `json:"disabled_at,omitzero"`
	LastPost       time.Time `json:"last_post,omitzero"`
}

// ErrNoDiscord means the service has no Discord connection (the console
// without a token); it reads well as a reply.
var ErrNoDiscord error = bot.Errorf("I'm not connected to Discord right now, so I can't do that.")

// BotPermissions are the bot's permissions in a channel. Missing access
// answers no permissions rather than an error, so the caller can say which
// permission is missing; a channel Discord does not know is a user error.
func (s *Service) BotPermissions(ctx context.Context, channelID string) (bot.Permission, error) {
	if s.cfg.Poster == nil {
		return 0, ErrNoDiscord
	}
	perms, err := s.cfg.Poster.BotPermissions(ctx, channelID)
	switch discord.ErrorCode(err) {
	case 0:
		return perms, err
	case discord.CodeMissingAccess, discord.CodeMissingPermissions:
		return 0, nil
	case discord.CodeUnknownChannel:
		return 0, bot.Errorf("I can't find that channel. Pick a text channel of this server.")
	}
	return 0, err
}

// Subscribe saves a server's announcement settings, enabled. The caller
// checks the bot's permissions first.
func (s *Service) Subscribe(ctx context.Context, set bot.AnnounceSettings) error {
	filter, err := ParseFilter(set.Events)
	if err != nil {
		return err
	}
	if set.GuildID == "" || set.ChannelID == "" {
		return fmt.Errorf("subscribe: guild %q and channel %q are both needed", set.GuildID, set.ChannelID)
	}
	sub := Subscription{
		GuildID: set.GuildID, ChannelID: set.ChannelID, RoleID: set.RoleID,
		Events: filter, SetBy: set.SetBy, Since: s.now(),
	}
	err = s.db.Update(func(tx *store.Tx) error {
		var old Subscription
		if found, err := tx.Get(store.BucketSubscriptions, set.GuildID, &old); err != nil {
			return err
		} else if found {
			sub.LastPost = old.LastPost
		}
		return tx.Put(store.BucketSubscriptions, set.GuildID, sub)
	})
	if err != nil {
		return fmt.Errorf("save subscription of guild %s: %w", set.GuildID, err)
	}
	return nil
}

// Unsubscribe removes a server's subscription and its pending posts, and
// reports whether it had one.
func (s *Service) Unsubscribe(ctx context.Context, guildID string) (bool, error) {
	var found bool
	err := s.db.Update(func(tx *store.Tx) error {
		raw, err := tx.GetRaw(store.BucketSubscriptions, guildID)
		if err != nil || raw == nil {
			return err
		}
		found = true
		if _, err := dropPending(tx, guildTarget(guildID)); err != nil {
			return err
		}
		return tx.Delete(store.BucketSubscriptions, guildID)
	})
	if err != nil {
		return false, fmt.Errorf("remove subscription of guild %s: %w", guildID, err)
	}
	return found, nil
}

// Settings reads a server's subscription, with its count of pending posts.
func (s *Service) Settings(ctx context.Context, guildID string) (bot.AnnounceSettings, bool, error) {
	var sub Subscription
	var found bool
	var pending int
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		if found, err = tx.Get(store.BucketSubscriptions, guildID, &sub); err != nil || !found {
			return err
		}
		return tx.ForEach(store.BucketOutbox, pendingPrefix+guildTarget(guildID)+"/", func(string, []byte) error {
			pending++
			return nil
		})
	})
	if err != nil || !found {
		return bot.AnnounceSettings{}, false, err
	}
	return bot.AnnounceSettings{
		GuildID: sub.GuildID, ChannelID: sub.ChannelID, RoleID: sub.RoleID, Events: string(sub.Events),
		SetBy: sub.SetBy, Disabled: sub.Disabled, DisabledReason: sub.DisabledReason,
		DisabledAt: sub.DisabledAt, LastPost: sub.LastPost, Pending: pending,
	}, true, nil
}

// subscription reads one subscription.
func (s *Service) subscription(guildID string) (Subscription, bool, error) {
	var sub Subscription
	var found bool
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		found, err = tx.Get(store.BucketSubscriptions, guildID, &sub)
		return err
	})
	return sub, found, err
}

// subscriptions reads every enabled subscription.
func subscriptions(tx *store.Tx) ([]Subscription, error) {
	var out []Subscription
	err := tx.ForEach(store.BucketSubscriptions, "", func(key string, raw []byte) error {
		var sub Subscription
		if err := decode(raw, &sub); err != nil {
			return fmt.Errorf("decode subscription of guild %s: %w", key, err)
		}
		if !sub.Disabled {
			out = append(out, sub)
		}
		return nil
	})
	return out, err
}

// disable turns a subscription off after Discord refused a post for good,
// drops its pending posts and logs why.
func (s *Service) disable(guildID, channelID string, cause error) error {
	reason := describeRefusal(cause)
	var dropped int
	err := s.db.Update(func(tx *store.Tx) error {
		var sub Subscription
		found, err := tx.Get(store.BucketSubscriptions, guildID, &sub)
		if err != nil || !found || sub.ChannelID != channelID {
			return err // gone or moved since: nothing to disable
		}
		sub.Disabled, sub.DisabledReason, sub.DisabledAt = true, reason, s.now()
		if dropped, err = dropPending(tx, guildTarget(guildID)); err != nil {
			return err
		}
		return tx.Put(store.BucketSubscriptions, guildID, sub)
	})
	if err != nil {
		return fmt.Errorf("disable subscription of guild %s: %w", guildID, err)
	}
	s.log.Warn("announcements disabled: Discord refused a post",
		slog.String("guild_id", guildID), slog.String("channel_id", channelID),
		slog.String("reason", reason), slog.Int("dropped_posts", dropped), slog.Any("error", cause))
	return nil
}

// describeRefusal says why Discord refused, as a server admin reads it.
func describeRefusal(err error) string {
	switch discord.ErrorCode(err) {
	case discord.CodeUnknownChannel:
		return "the channel was deleted"
	case discord.CodeMissingAccess:
		return "I lost access to the channel (Missing Access)"
	case discord.CodeMissingPermissions:
		return "I lack a permission in the channel (Missing Permissions)"
	}
	var apiErr *discord.APIError
	if errors.As(err, &apiErr) {
		return fmt.Sprintf("Discord refused the post (%d %s)", apiErr.Status, apiErr.Message)
	}
	return "Discord refused the post"
}

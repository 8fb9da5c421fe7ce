package discord

import (
	"context"
	"fmt"
	"math"
	"slices"

	"dubbot/bot"
)

// Channel is a guild channel as far as permissions go.
type Channel struct {
	ID         string      `json:"id"`
	GuildID    string      `json:"guild_id"`
	Name       string      `json:"name"`
	Type       int         `json:"type"`
	Overwrites []Overwrite `json:"permission_overwrites"`
}

// Overwrite is a channel's permission overwrite for a role or a member.
type Overwrite struct {
	ID    string         `json:"id"`
	Type  int            `json:"type"` // OverwriteRole or OverwriteMember
	Allow bot.Permission `json:"allow,string"`
	Deny  bot.Permission `json:"deny,string"`
}

// Overwrite types.
const (
	OverwriteRole   = 0
	OverwriteMember = 1
)

// Guild is a guild's owner and roles; the role whose id is the guild's is
// @everyone.
type Guild struct {
	ID      string `json:"id"`
	OwnerID string `json:"owner_id"`
	Roles   []Role `json:"roles"`
}

// Role is a guild role's id and permissions.
type Role struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Permissions bot.Permission `json:"permissions,string"`
	Mentionable bool           `json:"mentionable"`
}

// Member is a guild member's user id and roles.
type Member struct {
	UserID string
	Roles  []string
}

// AllPermissions is what an owner or administrator has.
const AllPermissions = bot.Permission(math.MaxInt64)

// Channel reads a channel.
func (r *REST) Channel(ctx context.Context, channelID string) (*Channel, error) {
	var ch Channel
	if err := r.Do(ctx, "GET", "/channels/"+channelID, nil, &ch); err != nil {
		return nil, fmt.Errorf("read channel %s: %w", channelID, err)
	}
	return &ch, nil
}

// Guild reads a guild, with its roles.
func (r *REST) Guild(ctx context.Context, guildID string) (*Guild, error) {
	var g Guild
	if err := r.Do(ctx, "GET", "/guilds/"+guildID, nil, &g); err != nil {
		return nil, fmt.Errorf("read guild %s: %w", guildID, err)
	}
	return &g, nil
}

// Member reads a guild member.
func (r *REST) Member(ctx context.Context, guildID, userID string) (*Member, error) {
	var body struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
		Roles []string `json:"roles"`
	}
	if err := r.Do(ctx, "GET", "/guilds/"+guildID+"/members/"+userID, nil, &body); err != nil {
		return nil, fmt.Errorf("read member %s of guild %s: %w", userID, guildID, err)
	}
	id := body.User.ID
	if id == "" {
		id = userID
	}
	return &Member{UserID: id, Roles: body.Roles}, nil
}

// BotUserID reads the bot's own user id.
func (r *REST) BotUserID(ctx context.Context) (string, error) {
	var me struct {
		ID string `json:"id"`
	}
	if err := r.Do(ctx, "GET", "/users/@me", nil, &me); err != nil {
		return "", fmt.Errorf("read bot user: %w", err)
	}
	return me.ID, nil
}

// BotPermissions computes the bot's permissions in a guild channel from
// the channel, the guild's roles and the bot's member record: four reads,
// meant for settings commands rather than every message.
func (r *REST) BotPermissions(ctx context.Context, channelID string) (bot.Permission, error) {
	ch, err := r.Channel(ctx, channelID)
	if err != nil {
		return 0, err
	}
	if ch.GuildID == "" {
		return 0, fmt.Errorf("channel %s is not in a server", channelID)
	}
	g, err := r.Guild(ctx, ch.GuildID)
	if err != nil {
		return 0, err
	}
	me, err := r.BotUserID(ctx)
	if err != nil {
		return 0, err
	}
	m, err := r.Member(ctx, ch.GuildID, me)
	if err != nil {
		return 0, err
	}
	return Permissions(g, ch, m), nil
}

// Permissions computes a member's permissions in a channel the way Discord
// does: the owner and administrators have everything; otherwise @everyone
// and the member's roles give the base, and the channel's overwrites apply
// in order (@everyone, then the member's roles together, then the member).
// Without View Channel nothing else counts, and without Send Messages
// neither do the permissions that only shape a message.
func Permissions(g *Guild, ch *Channel, m *Member) bot.Permission {
	if g.OwnerID != "" && g.OwnerID == m.UserID {
		return AllPermissions
	}
	var base bot.Permission
	for _, role := range g.Roles {
		if role.ID == g.ID || slices.Contains(m.Roles, role.ID) {
			base |= role.Permissions
		}
	}
	if base&bot.PermissionAdministrator != 0 {
		return AllPermissions
	}
	perms := applyOverwrites(base, g.ID, ch.Overwrites, m)
	if perms&bot.PermissionViewChannel == 0 {
		return 0
	}
	if perms&bot.PermissionSendMessages == 0 {
		perms &^= sendDependent
	}
	return perms
}

// sendDependent are permissions that mean nothing without Send Messages.
const sendDependent = bot.PermissionEmbedLinks | permAttachFiles | permMentionEveryone | permSendTTS

// Permission bits used only here.
const (
	permSendTTS         bot.Permission = 1 << 12
	permAttachFiles     bot.Permission = 1 << 15
	permMentionEveryone bot.Permission = 1 << 17
)

func applyOverwrites(perms bot.Permission, guildID string, overwrites []Overwrite, m *Member) bot.Permission {
	for _, o := range overwrites {
		if o.Type == OverwriteRole && o.ID == guildID {
			perms = perms&^o.Deny | o.Allow
		}
	}
	var allow, deny bot.Permission
	for _, o := range overwrites {
		if o.Type == OverwriteRole && o.ID != guildID && slices.Contains(m.Roles, o.ID) {
			allow |= o.Allow
			deny |= o.Deny
		}
	}
	perms = perms&^deny | allow
	for _, o := range overwrites {
		if o.Type == OverwriteMember && o.ID == m.UserID {
			perms = perms&^o.Deny | o.Allow
		}
	}
	return perms
}

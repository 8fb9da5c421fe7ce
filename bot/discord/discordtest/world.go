package discordtest

import (
	"slices"
	"strconv"
)

// Guild is a guild as GET /guilds/{id} and GUILD_CREATE describe it.
type Guild struct {
	ID      string
	Name    string
	OwnerID string
	// Roles should include @everyone, whose ID equals the guild's.
	Roles []Role
}

// Role is a guild role.
type Role struct {
	ID          string
	Name        string
	Permissions int64
	Position    int
	Mentionable bool
}

// Channel is a guild channel; DM channels come from POST /users/@me/channels.
type Channel struct {
	ID         string
	GuildID    string
	Name       string
	Type       int // 0 text (the zero value), 5 announcement, ...
	Overwrites []Overwrite
}

// Overwrite is a channel permission overwrite.
type Overwrite struct {
	ID    string // role or user id
	Type  int    // 0 role, 1 member
	Allow int64
	Deny  int64
}

// Member is a guild member.
type Member struct {
	UserID   string
	Username string
	Nick     string
	Roles    []string
}

// world is the configurable Discord state; guarded by Server.st.
type world struct {
	guilds   map[string]Guild
	channels map[string]Channel
	members  map[string]map[string]Member // guild id -> user id -> member
	dmByUser map[string]string            // user id -> DM channel id
	dmUser   map[string]string            // DM channel id -> user id
	refuseDM map[string]bool              // user ids that refuse DMs
	deleted  map[string]bool              // channel ids answering 10003
	denied   map[string]bool              // channel ids answering 50001
	nonces   map[string]map[string]int    // channel id -> nonce -> index in records.messages
}

func newWorld() world {
	return world{
		guilds:   map[string]Guild{},
		channels: map[string]Channel{},
		members:  map[string]map[string]Member{},
		dmByUser: map[string]string{},
		dmUser:   map[string]string{},
		refuseDM: map[string]bool{},
		deleted:  map[string]bool{},
		denied:   map[string]bool{},
		nonces:   map[string]map[string]int{},
	}
}

// SetGuild adds or replaces a guild.
func (s *Server) SetGuild(g Guild) {
	g.Roles = slices.Clone(g.Roles)
	s.st.update(func() { s.world.guilds[g.ID] = g })
}

// SetChannel adds or replaces a guild channel and undoes DeleteChannel and
// DenyChannel for it.
func (s *Server) SetChannel(c Channel) {
	c.Overwrites = slices.Clone(c.Overwrites)
	s.st.update(func() {
		s.world.channels[c.ID] = c
		delete(s.world.deleted, c.ID)
		delete(s.world.denied, c.ID)
	})
}

// SetMember adds or replaces a member of guildID.
func (s *Server) SetMember(guildID string, m Member) {
	m.Roles = slices.Clone(m.Roles)
	s.st.update(func() {
		if s.world.members[guildID] == nil {
			s.world.members[guildID] = map[string]Member{}
		}
		s.world.members[guildID][m.UserID] = m
	})
}

// DeleteChannel makes the channel unknown: its routes answer 404 with code
// 10003, as for a channel deleted on Discord.
func (s *Server) DeleteChannel(id string) {
	s.st.update(func() {
		delete(s.world.channels, id)
		s.world.deleted[id] = true
	})
}

// DenyChannel makes the channel's routes answer 403 with code 50001
// Missing Access, as when the bot lost access to it.
func (s *Server) DenyChannel(id string) {
	s.st.update(func() { s.world.denied[id] = true })
}

// RefuseDMs makes messages to userID's DM channel answer 403 with code
// 50007, as when the user closed DMs or blocked the bot.
func (s *Server) RefuseDMs(userID string) {
	s.st.update(func() { s.world.refuseDM[userID] = true })
}

// dmChannelLocked returns userID's DM channel id, creating it once.
func (s *Server) dmChannelLocked(userID string) string {
	if id, ok := s.world.dmByUser[userID]; ok {
		return id
	}
	id := s.ids.snowflake()
	s.world.dmByUser[userID] = id
	s.world.dmUser[id] = userID
	return id
}

// usernameLocked finds a username for userID among the configured members.
func (s *Server) usernameLocked(userID string) string {
	for _, ms := range s.world.members {
		if m, ok := ms[userID]; ok && m.Username != "" {
			return m.Username
		}
	}
	return "user" + userID
}

func perm(p int64) string { return strconv.FormatInt(p, 10) }

func (g Guild) json() map[string]any {
	roles := make([]any, 0, len(g.Roles))
	for _, r := range g.Roles {
		roles = append(roles, r.json())
	}
	return map[string]any{
		"id":                            g.ID,
		"name":                          g.Name,
		"icon":                          nil,
		"owner_id":                      g.OwnerID,
		"roles":                         roles,
		"emojis":                        []any{},
		"stickers":                      []any{},
		"features":                      []any{},
		"verification_level":            0,
		"default_message_notifications": 0,
		"explicit_content_filter":       0,
		"mfa_level":                     0,
		"system_channel_id":             nil,
		"preferred_locale":              "en-US",
		"premium_tier":                  0,
		"nsfw_level":                    0,
	}
}

func (r Role) json() map[string]any {
	return map[string]any{
		"id":            r.ID,
		"name":          r.Name,
		"color":         0,
		"hoist":         false,
		"icon":          nil,
		"unicode_emoji": nil,
		"position":      r.Position,
		"permissions":   perm(r.Permissions),
		"managed":       false,
		"mentionable":   r.Mentionable,
		"flags":         0,
	}
}

func (c Channel) json() map[string]any {
	ows := make([]any, 0, len(c.Overwrites))
	for _, o := range c.Overwrites {
		ows = append(ows, map[string]any{
			"id": o.ID, "type": o.Type, "allow": perm(o.Allow), "deny": perm(o.Deny),
		})
	}
	return map[string]any{
		"id":                    c.ID,
		"type":                  c.Type,
		"guild_id":              c.GuildID,
		"name":                  c.Name,
		"position":              0,
		"permission_overwrites": ows,
		"nsfw":                  false,
		"parent_id":             nil,
		"topic":                 nil,
		"last_message_id":       nil,
		"rate_limit_per_user":   0,
		"flags":                 0,
	}
}

func dmChannelJSON(id string, recipient map[string]any) map[string]any {
	return map[string]any{
		"id":              id,
		"type":            1,
		"last_message_id": nil,
		"flags":           0,
		"recipients":      []any{recipient},
	}
}

func (m Member) json() map[string]any {
	var nick any
	if m.Nick != "" {
		nick = m.Nick
	}
	roles := m.Roles
	if roles == nil {
		roles = []string{}
	}
	name := m.Username
	if name == "" {
		name = "user" + m.UserID
	}
	return map[string]any{
		"user":          userObject(m.UserID, name),
		"nick":          nick,
		"avatar":        nil,
		"roles":         roles,
		"joined_at":     "2024-01-01T00:00:00.000000+00:00",
		"premium_since": nil,
		"deaf":          false,
		"mute":          false,
		"flags":         0,
		"pending":       false,
	}
}

package discordtest

import (
	"encoding/json"
	"strconv"
	"time"
)

// Permission bits used by the defaults below.
const (
	permAddReactions    = 1 << 6
	permViewChannel     = 1 << 10
	permSendMessages    = 1 << 11
	permEmbedLinks      = 1 << 14
	permAttachFiles     = 1 << 15
	permReadHistory     = 1 << 16
	permExternalEmojis  = 1 << 18
	permUseAppCommands  = 1 << 31
	permSendInThreads   = 1 << 38
	permissionsTypical  = permAddReactions | permViewChannel | permSendMessages | permEmbedLinks | permAttachFiles | permReadHistory | permExternalEmojis | permUseAppCommands | permSendInThreads
	defaultLocale       = "en-US"
	interactionsVersion = 1
)

// DefaultPermissions is what an ordinary member and the bot get in the
// channel when an Invoker leaves the permissions at zero.
const DefaultPermissions int64 = permissionsTypical

// NoPermissions asks for a literal "0" permission set, since zero means
// DefaultPermissions.
const NoPermissions int64 = -1

// Invoker says who invokes an interaction and where. Zero fields take the
// Default* ids; DM makes it a direct message to the bot.
type Invoker struct {
	UserID    string
	Username  string
	GuildID   string
	ChannelID string // in a DM, the user's DM channel by default
	DM        bool
	Roles     []string
	// Permissions are the member's permissions in the channel (guild only).
	Permissions int64
	// AppPermissions are the bot's permissions in the channel.
	AppPermissions int64
	Locale         string
}

// Command is a slash command or autocomplete invocation.
type Command struct {
	Invoker
	Name    string
	Options []CommandOption
}

// CommandOption is one option value as Discord sends it.
type CommandOption struct {
	Name    string
	Type    int // 1 sub-command, 2 group, 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number
	Value   any
	Focused bool
	Options []CommandOption
}

// StringOption is a string option value.
func StringOption(name, v string) CommandOption { return CommandOption{Name: name, Type: 3, Value: v} }

// IntOption is an integer option value.
func IntOption(name string, v int64) CommandOption {
	return CommandOption{Name: name, Type: 4, Value: v}
}

// BoolOption is a boolean option value.
func BoolOption(name string, v bool) CommandOption {
	return CommandOption{Name: name, Type: 5, Value: v}
}

// UserOption is a user option value; the payload also carries the user in
// data.resolved.
func UserOption(name, userID string) CommandOption {
	return CommandOption{Name: name, Type: 6, Value: userID}
}

// ChannelOption is a channel option value.
func ChannelOption(name, channelID string) CommandOption {
	return CommandOption{Name: name, Type: 7, Value: channelID}
}

// RoleOption is a role option value.
func RoleOption(name, roleID string) CommandOption {
	return CommandOption{Name: name, Type: 8, Value: roleID}
}

// NumberOption is a floating point option value.
func NumberOption(name string, v float64) CommandOption {
	return CommandOption{Name: name, Type: 10, Value: v}
}

// SubCommand wraps options in a sub-command.
func SubCommand(name string, opts ...CommandOption) CommandOption {
	return CommandOption{Name: name, Type: 1, Options: opts}
}

// SubCommandGroup wraps sub-commands in a group.
func SubCommandGroup(name string, subs ...CommandOption) CommandOption {
	return CommandOption{Name: name, Type: 2, Options: subs}
}

// Focus marks the option as the one being typed, for Autocomplete.
func (o CommandOption) Focus() CommandOption {
	o.Focused = true
	return o
}

// Click is a component interaction: a button press or a select choice.
type Click struct {
	Invoker
	CustomID string
	// ComponentType is 2 (button) by default, or 3 (string select) when
	// Values is not nil.
	ComponentType int
	Values        []string
	MessageID     string // the message carrying the component; new if empty
	MessageFlags  int    // 64 when the component is on an ephemeral message
}

// SlashCommand builds an APPLICATION_COMMAND interaction (type 2) in
// Discord's API v10 shape, with a new id and token.
func (s *Server) SlashCommand(c Command) json.RawMessage {
	return s.commandPayload(c, interactionCommand)
}

// Autocomplete builds an APPLICATION_COMMAND_AUTOCOMPLETE interaction
// (type 4). If no option is focused, the last, innermost one is.
func (s *Server) Autocomplete(c Command) json.RawMessage {
	c.Options = focusLast(c.Options)
	return s.commandPayload(c, interactionAutocomplete)
}

// Component builds a MESSAGE_COMPONENT interaction (type 3) from the
// default invoker: a button press when values is nil, else a string
// select choice.
func (s *Server) Component(customID string, values []string) json.RawMessage {
	return s.Click(Click{CustomID: customID, Values: values})
}

// Click builds a MESSAGE_COMPONENT interaction (type 3).
func (s *Server) Click(c Click) json.RawMessage {
	inv := s.resolveInvoker(c.Invoker)
	typ := c.ComponentType
	if typ == 0 {
		typ = componentButton
		if c.Values != nil {
			typ = componentStringSel
		}
	}
	data := map[string]any{"custom_id": c.CustomID, "component_type": typ}
	if typ != componentButton {
		data["values"] = nonNil(c.Values)
	}
	msgID := c.MessageID
	if msgID == "" {
		msgID = s.ids.snowflake()
	}
	msg := s.messageObject(msgID, inv.ChannelID, nil, time.Now())
	msg["flags"] = c.MessageFlags
	msg["application_id"] = s.cfg.AppID
	msg["webhook_id"] = s.cfg.AppID
	p := s.basePayload(inv, interactionComponent, data)
	p["message"] = msg
	return s.finish(p)
}

// commandPayload builds types 2 and 4.
func (s *Server) commandPayload(c Command, kind int) json.RawMessage {
	inv := s.resolveInvoker(c.Invoker)
	data := map[string]any{
		"id":      s.commandID(inv, c.Name),
		"name":    c.Name,
		"type":    commandChatInput,
		"options": optionsJSON(c.Options),
	}
	if !inv.DM {
		data["guild_id"] = inv.GuildID
	}
	if users := userOptionIDs(c.Options, nil); len(users) > 0 {
		resolved := map[string]any{}
		for _, id := range users {
			resolved[id] = userObject(id, "user"+id)
		}
		data["resolved"] = map[string]any{"users": resolved}
	}
	return s.finish(s.basePayload(inv, kind, data))
}

// finish encodes a payload and registers it so its callback is accepted.
func (s *Server) finish(p map[string]any) json.RawMessage {
	raw, _ := json.Marshal(p) // maps of plain values always encode
	s.st.update(func() { _ = s.registerLocked(raw) })
	return raw
}

// resolveInvoker fills the defaults.
func (s *Server) resolveInvoker(inv Invoker) Invoker {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&inv.UserID, DefaultUserID)
	def(&inv.Username, "user"+inv.UserID)
	def(&inv.Locale, defaultLocale)
	if inv.DM {
		inv.GuildID = ""
		if inv.ChannelID == "" {
			s.st.update(func() { inv.ChannelID = s.dmChannelLocked(inv.UserID) })
		}
		return inv
	}
	def(&inv.GuildID, DefaultGuildID)
	def(&inv.ChannelID, DefaultChannelID)
	return inv
}

// basePayload is the part every interaction type shares.
func (s *Server) basePayload(inv Invoker, kind int, data map[string]any) map[string]any {
	p := map[string]any{
		"id":              s.ids.snowflake(),
		"application_id":  s.cfg.AppID,
		"type":            kind,
		"token":           s.ids.token(),
		"version":         interactionsVersion,
		"channel_id":      inv.ChannelID,
		"data":            data,
		"app_permissions": permString(inv.AppPermissions),
		"locale":          inv.Locale,
		"entitlements":    []any{},
	}
	user := userObject(inv.UserID, inv.Username)
	if inv.DM {
		p["user"] = user
		p["context"] = 1 // BOT_DM
		p["channel"] = map[string]any{"id": inv.ChannelID, "type": 1}
		p["authorizing_integration_owners"] = map[string]any{"0": "0"}
		return p
	}
	p["guild_id"] = inv.GuildID
	p["guild_locale"] = defaultLocale
	p["context"] = 0 // GUILD
	p["channel"] = map[string]any{"id": inv.ChannelID, "type": 0, "guild_id": inv.GuildID}
	p["authorizing_integration_owners"] = map[string]any{"0": inv.GuildID}
	member := Member{UserID: inv.UserID, Username: inv.Username, Roles: inv.Roles}.json()
	member["permissions"] = permString(inv.Permissions)
	p["member"] = member
	return p
}

// commandID finds the id the command was registered with, falling back to
// a stable id for its name.
func (s *Server) commandID(inv Invoker, name string) string {
	var id string
	s.st.update(func() {
		for _, scope := range []string{inv.GuildID, ""} {
			for _, c := range s.cmds.byScope[scope] {
				if c["name"] == name && c["type"] == commandChatInput {
					id, _ = c["id"].(string)
					return
				}
			}
		}
		id = s.commandIDLocked("", commandChatInput, name)
	})
	return id
}

// permString renders permissions the way interactions carry them.
func permString(p int64) string {
	switch {
	case p == NoPermissions:
		return "0"
	case p == 0:
		return strconv.FormatInt(DefaultPermissions, 10)
	}
	return strconv.FormatInt(p, 10)
}

func optionsJSON(opts []CommandOption) []any {
	out := make([]any, 0, len(opts))
	for _, o := range opts {
		m := map[string]any{"name": o.Name, "type": o.Type}
		if o.Type == 1 || o.Type == 2 {
			m["options"] = optionsJSON(o.Options)
		} else {
			m["value"] = o.Value
		}
		if o.Focused {
			m["focused"] = true
		}
		out = append(out, m)
	}
	return out
}

// focusLast focuses the last innermost option unless one is focused.
func focusLast(opts []CommandOption) []CommandOption {
	if len(opts) == 0 || anyFocused(opts) {
		return opts
	}
	opts = append([]CommandOption(nil), opts...)
	last := &opts[len(opts)-1]
	if len(last.Options) > 0 {
		last.Options = focusLast(last.Options)
	} else {
		last.Focused = true
	}
	return opts
}

func anyFocused(opts []CommandOption) bool {
	for _, o := range opts {
		if o.Focused || anyFocused(o.Options) {
			return true
		}
	}
	return false
}

// userOptionIDs collects the ids of user options, for data.resolved.
func userOptionIDs(opts []CommandOption, ids []string) []string {
	for _, o := range opts {
		if id, ok := o.Value.(string); ok && o.Type == 6 {
			ids = append(ids, id)
		}
		ids = userOptionIDs(o.Options, ids)
	}
	return ids
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// InteractionIDs returns the id and token of an interaction payload, for
// WaitCallback and WaitEdit.
func InteractionIDs(payload json.RawMessage) (id, token string) {
	var p struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	_ = json.Unmarshal(payload, &p)
	return p.ID, p.Token
}

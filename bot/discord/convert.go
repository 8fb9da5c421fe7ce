// Package discord connects the router to Discord: gateway events in,
// interaction callbacks, channel posts, DMs and command registration out.
// It is the only package that names the Discord library.
package discord

import (
	"fmt"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"dubbot/bot"
)

// ToRequest converts a Discord interaction into the router's request. It
// tolerates odd payloads (missing member, partial autocomplete values) and
// reports interactions the bot does not handle.
func ToRequest(i *discordgo.Interaction) (*bot.Request, error) {
	req := &bot.Request{
		GuildID:   i.GuildID,
		ChannelID: i.ChannelID,
		Locale:    string(i.Locale),
		Received:  time.Now(),
	}
	switch {
	case i.Member != nil && i.Member.User != nil:
		req.UserID, req.UserName = i.Member.User.ID, i.Member.User.Username
		req.Permissions = bot.Permission(i.Member.Permissions)
	case i.User != nil:
		req.UserID, req.UserName = i.User.ID, i.User.Username
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return nil, fmt.Errorf("interaction %s: command without command data", i.ID)
		}
		req.Kind = bot.KindCommand
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			req.Kind = bot.KindAutocomplete
		}
		req.Command, req.Options, req.Focused = flatten(data.Name, data.Options)
		req.Resolved = resolved(data.Resolved)
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return nil, fmt.Errorf("interaction %s: component without component data", i.ID)
		}
		req.Kind = bot.KindComponent
		req.CustomID, req.Values = data.CustomID, data.Values
	default:
		return nil, fmt.Errorf("interaction %s: type %d is not handled", i.ID, i.Type)
	}
	return req, nil
}

// flatten walks subcommand nesting into a path ("sync now") and the leaf
// options.
func flatten(name string, opts []*discordgo.ApplicationCommandInteractionDataOption) (string, bot.Options, string) {
	path, values, focused := name, bot.Options{}, ""
	for len(opts) > 0 && opts[0] != nil &&
		(opts[0].Type == discordgo.ApplicationCommandOptionSubCommand || opts[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
		path += " " + opts[0].Name
		opts = opts[0].Options
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		values[o.Name] = value(o)
		if o.Focused {
			focused = o.Name
		}
	}
	return path, values, focused
}

func value(o *discordgo.ApplicationCommandInteractionDataOption) bot.Value {
	v := bot.Value{Type: bot.OptionType(o.Type)}
	switch x := o.Value.(type) {
	case string:
		v.String = x
		// Autocomplete sends what was typed so far, even for numbers.
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			v.Int, v.Number = n, float64(n)
		}
	case float64:
		v.Int, v.Number = int64(x), x
		v.String = strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		v.Bool = x
	}
	return v
}

func resolved(r *discordgo.ApplicationCommandInteractionDataResolved) bot.Resolved {
	var out bot.Resolved
	if r == nil {
		return out
	}
	if len(r.Channels) > 0 {
		out.Channels = map[string]bot.ResolvedChannel{}
		for id, c := range r.Channels {
			if c != nil {
				out.Channels[id] = bot.ResolvedChannel{ID: id, Name: c.Name, Type: int(c.Type)}
			}
		}
	}
	if len(r.Roles) > 0 {
		out.Roles = map[string]bot.ResolvedRole{}
		for id, role := range r.Roles {
			if role != nil {
				out.Roles[id] = bot.ResolvedRole{ID: id, Name: role.Name}
			}
		}
	}
	return out
}

package bot

import (
	"context"
	"strconv"
)

// OptionType is a slash-command option's type.
type OptionType int

// Option types as Discord numbers them.
const (
	OptionSubcommand OptionType = 1
	OptionString     OptionType = 3
	OptionInteger    OptionType = 4
	OptionBoolean    OptionType = 5
	OptionUser       OptionType = 6
	OptionChannel    OptionType = 7
	OptionRole       OptionType = 8
	OptionNumber     OptionType = 10
)

func (t OptionType) String() string {
	switch t {
	case OptionString:
		return "text"
	case OptionInteger:
		return "whole number"
	case OptionBoolean:
		return "true/false"
	case OptionUser:
		return "user"
	case OptionChannel:
		return "channel"
	case OptionRole:
		return "role"
	case OptionNumber:
		return "number"
	default:
		return "subcommand"
	}
}

// Permission is a bit set of Discord permissions.
type Permission int64

// Permissions the command table uses.
const (
	PermissionViewChannel   Permission = 1 << 10
	PermissionSendMessages  Permission = 1 << 11
	PermissionEmbedLinks    Permission = 1 << 14
	PermissionManageServer  Permission = 1 << 5
	PermissionAdministrator Permission = 1 << 3
)

// Name is the permission as Discord's client shows it.
func (p Permission) Name() string {
	switch p {
	case PermissionManageServer:
		return "Manage Server"
	case PermissionViewChannel:
		return "View Channel"
	case PermissionSendMessages:
		return "Send Messages"
	case PermissionEmbedLinks:
		return "Embed Links"
	case PermissionAdministrator:
		return "Administrator"
	}
	return "permission " + strconv.FormatInt(int64(p), 10)
}

// Handler answers a command or a component interaction.
type Handler func(ctx context.Context, req *Request) (*Response, error)

// AutocompleteHandler suggests values for the focused option.
type AutocompleteHandler func(ctx context.Context, req *Request) ([]Choice, error)

// Command is one slash command, declared once: the router, /help and the
// registration with Discord are all derived from it.
type Command struct {
	Name        string
	Description string
	Options     []Option
	// Subcommands, when set, make this a command group (/sync now); a group
	// has no Options and no Run of its own.
	Subcommands []*Command
	// Permission is what a member needs to run it; the router enforces it
	// and registration sets it as the default member permission.
	Permission Permission
	// OwnerOnly restricts the command to the bot's owners.
	OwnerOnly bool
	// Ephemeral marks replies (and deferrals) as visible to the caller only.
	Ephemeral    bool
	Run          Handler
	Autocomplete AutocompleteHandler
	// Components routes buttons and menus whose custom_id starts with
	// "<prefix>:" to a handler, with the command's permission rules.
	Components map[string]Handler
}

// Option is one option of a command.
type Option struct {
	Name         string
	Description  string
	Type         OptionType
	Required     bool
	Choices      []Choice
	Autocomplete bool
	MinValue     *float64
	MaxValue     *float64
	MaxLength    int
	// ChannelTypes limits a channel option's picker (0 text, 5 announcement).
	ChannelTypes []int
}

// Channel types a channel option may offer.
const (
	ChannelText         = 0
	ChannelAnnouncement = 5
)

// Float is a helper for MinValue and MaxValue.
func Float(v float64) *float64 { return &v }

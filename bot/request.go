package bot

import (
	"strconv"
	"time"
)

// Kind is what the user did.
type Kind int

// Interaction kinds.
const (
	KindCommand Kind = iota + 1
	KindAutocomplete
	KindComponent
)

// Request is one interaction, free of any transport's types.
type Request struct {
	Kind Kind
	// Command is the full command path: "dub", or "sync now" for a subcommand.
	Command string
	Options Options
	// Focused names the option being typed, for autocomplete.
	Focused string
	// CustomID and Values come from a button or select menu.
	CustomID string
	Values   []string

	UserID    string
	UserName  string
	GuildID   string // "" in DMs
	ChannelID string
	// Permissions are the member's permissions in the channel; in DMs all
	// guild permissions are moot and this is 0.
	Permissions Permission
	Locale      string
	Resolved    Resolved
	// Received is when the interaction arrived.
	Received time.Time
}

// Resolved holds the channels and roles that options refer to.
type Resolved struct {
	Channels map[string]ResolvedChannel
	Roles    map[string]ResolvedRole
}

// ResolvedChannel is a channel named by an option.
type ResolvedChannel struct {
	ID, Name string
	Type     int
}

// ResolvedRole is a role named by an option.
type ResolvedRole struct {
	ID, Name string
}

// Value is one option's value; which field is set depends on Type.
type Value struct {
	Type   OptionType
	String string // strings, and ids of users, channels and roles
	Int    int64
	Bool   bool
	Number float64
}

// Options are a request's option values by name.
type Options map[string]Value

// String is a string (or id) option, "" when absent.
func (o Options) String(name string) string { return o[name].String }

// Int is an integer option and whether it was given.
func (o Options) Int(name string) (int64, bool) {
	v, ok := o[name]
	return v.Int, ok
}

// Bool is a boolean option and whether it was given.
func (o Options) Bool(name string) (bool, bool) {
	v, ok := o[name]
	return v.Bool, ok
}

// Text renders a value as a user would type it.
func (v Value) Text() string {
	switch v.Type {
	case OptionInteger:
		return strconv.FormatInt(v.Int, 10)
	case OptionBoolean:
		return strconv.FormatBool(v.Bool)
	case OptionNumber:
		return strconv.FormatFloat(v.Number, 'g', -1, 64)
	default:
		return v.String
	}
}

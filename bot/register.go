package bot

import "strconv"

// ApplicationCommand is a command as Discord's bulk-overwrite endpoint takes it.
type ApplicationCommand struct {
	Name                     string                     `json:"name"`
	Description              string                     `json:"description"`
	Type                     int                        `json:"type"`
	Options                  []ApplicationCommandOption `json:"options,omitempty"`
	DefaultMemberPermissions *string                    `json:"default_member_permissions"`
	// Contexts: 0 guild, 1 bot DM.
	Contexts []int `json:"contexts,omitempty"`
}

// ApplicationCommandOption is an option or subcommand in registration form.
type ApplicationCommandOption struct {
	Type         OptionType                 `json:"type"`
	Name         string                     `json:"name"`
	Description  string                     `json:"description"`
	Required     bool                       `json:"required,omitempty"`
	Choices      []Choice                   `json:"choices,omitempty"`
	Autocomplete bool                       `json:"autocomplete,omitempty"`
	Options      []ApplicationCommandOption `json:"options,omitempty"`
	MinValue     *float64                   `json:"min_value,omitempty"`
	MaxValue     *float64                   `json:"max_value,omitempty"`
	MaxLength    int                        `json:"max_length,omitempty"`
	ChannelTypes []int                      `json:"channel_types,omitempty"`
}

// Registration is the command table in the form Discord registers, derived
// from the same declarations the router uses.
func (r *Router) Registration() []ApplicationCommand {
	out := make([]ApplicationCommand, 0, len(r.top))
	for _, c := range r.top {
		ac := ApplicationCommand{Name: c.Name, Description: c.Description, Type: 1, Contexts: []int{0, 1}}
		if c.Permission != 0 {
			perm := strconv.FormatInt(int64(c.Permission), 10)
			ac.DefaultMemberPermissions = &perm
			ac.Contexts = []int{0}
		}
		if c.OwnerOnly {
			// Hidden from everyone but administrators; the router still
			// checks the owner list.
			zero := "0"
			ac.DefaultMemberPermissions = &zero
		}
		ac.Options = registrationOptions(c)
		out = append(out, ac)
	}
	return out
}

func registrationOptions(c *Command) []ApplicationCommandOption {
	var out []ApplicationCommandOption
	for _, sub := range c.Subcommands {
		out = append(out, ApplicationCommandOption{
			Type: OptionSubcommand, Name: sub.Name, Description: sub.Description,
			Options: registrationOptions(sub),
		})
	}
	for _, o := range c.Options {
		out = append(out, ApplicationCommandOption{
			Type: o.Type, Name: o.Name, Description: o.Description, Required: o.Required,
			Choices: o.Choices, Autocomplete: o.Autocomplete,
			MinValue: o.MinValue, MaxValue: o.MaxValue, MaxLength: o.MaxLength, ChannelTypes: o.ChannelTypes,
		})
	}
	return out
}

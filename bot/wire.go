package bot

// The types in this file marshal to Discord's JSON exactly, so a Response can
// be sent as an interaction callback unchanged and `dubbot ask --json` prints
// what Discord would receive.

// ResponseType is an interaction callback type.
type ResponseType int

// Interaction callback types.
const (
	ResponsePong                ResponseType = 1
	ResponseMessage             ResponseType = 4
	ResponseDeferredMessage     ResponseType = 5
	ResponseDeferredUpdate      ResponseType = 6
	ResponseUpdateMessage       ResponseType = 7
	ResponseAutocompleteChoices ResponseType = 8
)

// MessageFlags is a bit set of message flags.
type MessageFlags int

// FlagEphemeral shows a reply only to the user who asked.
const FlagEphemeral MessageFlags = 1 << 6

// InteractionResponse is the body of an interaction callback.
type InteractionResponse struct {
	Type ResponseType `json:"type"`
	Data *MessageData `json:"data,omitempty"`
}

// MessageData is a message's content, embeds and components, or an
// autocomplete answer's choices.
type MessageData struct {
	Content         string           `json:"content,omitempty"`
	Embeds          []Embed          `json:"embeds,omitempty"`
	Components      []Component      `json:"components,omitempty"`
	Flags           MessageFlags     `json:"flags,omitempty"`
	AllowedMentions *AllowedMentions `json:"allowed_mentions,omitempty"`
	Choices         []Choice         `json:"choices,omitempty"`
}

// AllowedMentions limits who a message may ping.
type AllowedMentions struct {
	Parse []string `json:"parse"`
	Roles []string `json:"roles,omitempty"`
	Users []string `json:"users,omitempty"`
}

// Embed is a rich message card.
type Embed struct {
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	URL         string       `json:"url,omitempty"`
	Color       int          `json:"color,omitempty"`
	Timestamp   string       `json:"timestamp,omitempty"`
	Author      *EmbedAuthor `json:"author,omitempty"`
	Thumbnail   *EmbedImage  `json:"thumbnail,omitempty"`
	Image       *EmbedImage  `json:"image,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
}

// EmbedAuthor is the line above an embed's title.
type EmbedAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// EmbedImage is an embed's thumbnail or image.
type EmbedImage struct {
	URL string `json:"url"`
}

// EmbedField is a name/value pair in an embed.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// EmbedFooter is an embed's small print.
type EmbedFooter struct {
	Text string `json:"text"`
}

// ComponentType is a message component type.
type ComponentType int

// Component types.
const (
	ComponentActionRow    ComponentType = 1
	ComponentButton       ComponentType = 2
	ComponentStringSelect ComponentType = 3
)

// ButtonStyle is a button's look.
type ButtonStyle int

// Button styles.
const (
	ButtonPrimary   ButtonStyle = 1
	ButtonSecondary ButtonStyle = 2
	ButtonSuccess   ButtonStyle = 3
	ButtonDanger    ButtonStyle = 4
	ButtonLink      ButtonStyle = 5
)

// Component is an action row, a button or a select menu.
type Component struct {
	Type        ComponentType  `json:"type"`
	Components  []Component    `json:"components,omitempty"`
	Style       ButtonStyle    `json:"style,omitempty"`
	Label       string         `json:"label,omitempty"`
	CustomID    string         `json:"custom_id,omitempty"`
	URL         string         `json:"url,omitempty"`
	Disabled    bool           `json:"disabled,omitempty"`
	Placeholder string         `json:"placeholder,omitempty"`
	Options     []SelectOption `json:"options,omitempty"`
}

// SelectOption is one entry of a select menu.
type SelectOption struct {
	Label       string `json:"label"`
	Value       string `json:"value"`
	Description string `json:"description,omitempty"`
}

// Choice is a fixed or autocomplete choice of an option.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Row wraps components in an action row.
func Row(components ...Component) Component {
	return Component{Type: ComponentActionRow, Components: components}
}

// Button is a button that sends customID back to the bot.
func Button(style ButtonStyle, label, customID string) Component {
	return Component{Type: ComponentButton, Style: style, Label: label, CustomID: customID}
}

// LinkButton is a button that opens url.
func LinkButton(label, url string) Component {
	return Component{Type: ComponentButton, Style: ButtonLink, Label: label, URL: url}
}

package bot

import "errors"

// Response is a handler's answer: a message, an update of the message a
// component sits on, or autocomplete choices.
type Response struct {
	// Update makes a component's answer replace its message rather than
	// post a new one.
	Update          bool
	Content         string
	Embeds          []Embed
	Components      []Component
	Ephemeral       bool
	AllowedMentions *AllowedMentions
	Choices         []Choice
	// Notices are private messages for the caller sent after the answer
	// (for example "your DMs are closed, so here is what I wanted to DM").
	Notices []string
	choices bool
}

// Reply is a plain text message.
func Reply(content string) *Response { return &Response{Content: content} }

// Private is a text message only the caller sees.
func Private(content string) *Response { return &Response{Content: content, Ephemeral: true} }

// Choices is an autocomplete answer.
func Choices(c []Choice) *Response {
	if len(c) > 25 {
		c = c[:25]
	}
	return &Response{Choices: c, choices: true}
}

// Data is the message payload of the response.
func (r *Response) Data() *MessageData {
	d := &MessageData{
		Content:         r.Content,
		Embeds:          r.Embeds,
		Components:      r.Components,
		AllowedMentions: r.AllowedMentions,
	}
	if r.Ephemeral {
		d.Flags |= FlagEphemeral
	}
	if d.AllowedMentions == nil {
		// Mentions in replies never ping anyone unless a handler says so.
		d.AllowedMentions = &AllowedMentions{Parse: []string{}}
	}
	return d
}

// Payload is the interaction callback Discord expects for this response.
func (r *Response) Payload() InteractionResponse {
	switch {
	case r.choices:
		choices := r.Choices
		if choices == nil {
			choices = []Choice{}
		}
		return InteractionResponse{Type: ResponseAutocompleteChoices, Data: &MessageData{Choices: choices}}
	case r.Update:
		return InteractionResponse{Type: ResponseUpdateMessage, Data: r.Data()}
	default:
		return InteractionResponse{Type: ResponseMessage, Data: r.Data()}
	}
}

// UserError is an error whose message is fit to show the user as it is.
type UserError struct{ Message string }

func (e *UserError) Error() string { return e.Message }

// Errorf makes a UserError.
func Errorf(msg string) error { return &UserError{Message: msg} }

// userMessage is what the user sees for a handler error.
func userMessage(err error) (string, bool) {
	var ue *UserError
	if errors.As(err, &ue) {
		return ue.Message, true
	}
	return "Something went wrong on our side while answering that. Please try again in a minute.", false
}

package discordtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Payload is a JSON body the bot sent, kept byte for byte.
type Payload json.RawMessage

// Decode unmarshals the payload into v, for example a
// *discordgo.InteractionResponseData or a map.
func (p Payload) Decode(v any) error {
	return json.Unmarshal(p, v)
}

// Content returns the payload's "content" field, or "" if it has none.
func (p Payload) Content() string {
	var m struct {
		Content string `json:"content"`
	}
	_ = json.Unmarshal(p, &m)
	return m.Content
}

// Flags returns the payload's "flags" field (64 means ephemeral).
func (p Payload) Flags() int {
	var m struct {
		Flags int `json:"flags"`
	}
	_ = json.Unmarshal(p, &m)
	return m.Flags
}

// String returns the JSON text.
func (p Payload) String() string { return string(p) }

// MarshalJSON keeps the payload as JSON instead of base64.
func (p Payload) MarshalJSON() ([]byte, error) {
	if len(p) == 0 {
		return []byte("null"), nil
	}
	return p, nil
}

// Request is one REST call the fake received.
type Request struct {
	Method     string
	Path       string // relative to the API root, e.g. "/users/@me"
	APIVersion string // the N of /api/vN
	Query      url.Values
	Body       Payload // JSON body; for multipart, the payload_json part
	Files      int     // multipart parts other than payload_json
	Header     http.Header
	Authorized bool // carried "Authorization: Bot <BotToken>"
	Status     int  // 0 while the request is still being answered
	ReceivedAt time.Time
}

// Callback is one accepted POST /interactions/{id}/{token}/callback.
type Callback struct {
	InteractionID string
	Token         string
	Type          int     // 4 message, 5 deferred, 6 deferred update, 7 update, 8 autocomplete, 9 modal
	Data          Payload // the "data" object; nil when absent
	At            time.Time
}

// Edit is one accepted PATCH or DELETE of an interaction's message.
type Edit struct {
	Token     string
	MessageID string // "@original" or a follow-up's id
	Deleted   bool
	Body      Payload
	At        time.Time
}

// Followup is one accepted POST /webhooks/{app}/{token}.
type Followup struct {
	Token     string
	MessageID string
	Body      Payload
	At        time.Time
}

// Message is one message created by POST /channels/{id}/messages. A repeated
// enforced nonce is not a new Message (see NonceDedupes).
type Message struct {
	ID        string
	ChannelID string
	Nonce     string
	Body      Payload
	At        time.Time
}

// CommandOverwrite is one accepted bulk overwrite of application commands.
type CommandOverwrite struct {
	GuildID  string  // "" for global commands
	Commands Payload // the array as the bot sent it
	At       time.Time
}

// records holds everything the fake saw; guarded by Server.st.
type records struct {
	requests     []Request
	callbacks    []Callback
	edits        []Edit
	followups    []Followup
	messages     []Message
	overwrites   []CommandOverwrite
	unauthorized int
	dedupes      int
}

func clonePayload(p Payload) Payload {
	if p == nil {
		return nil
	}
	return bytes.Clone(p)
}

// Requests returns every REST call so far, oldest first.
func (s *Server) Requests() []Request {
	var out []Request
	s.st.read(func() {
		out = slices.Clone(s.rec.requests)
	})
	for i := range out {
		out[i].Body = clonePayload(out[i].Body)
		out[i].Header = out[i].Header.Clone()
		out[i].Query = cloneValues(out[i].Query)
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	return url.Values(http.Header(v).Clone())
}

// RequestCount counts REST calls matching method ("" for any) and a path
// pattern such as "/channels/{id}/messages".
func (s *Server) RequestCount(method, pathPattern string) int {
	p := newPattern(method, pathPattern)
	n := 0
	s.st.read(func() {
		for _, r := range s.rec.requests {
			if p.match(r.Method, r.Path) {
				n++
			}
		}
	})
	return n
}

// Unauthorized counts REST calls answered 401 for a missing or wrong token.
func (s *Server) Unauthorized() int {
	var n int
	s.st.read(func() { n = s.rec.unauthorized })
	return n
}

// NonceDedupes counts message creates answered with an earlier message
// because their nonce was enforced and already used in that channel.
func (s *Server) NonceDedupes() int {
	var n int
	s.st.read(func() { n = s.rec.dedupes })
	return n
}

// Callbacks returns every accepted interaction callback, oldest first.
func (s *Server) Callbacks() []Callback {
	var out []Callback
	s.st.read(func() { out = slices.Clone(s.rec.callbacks) })
	for i := range out {
		out[i].Data = clonePayload(out[i].Data)
	}
	return out
}

// Edits returns every accepted edit or delete of an interaction message.
func (s *Server) Edits() []Edit {
	var out []Edit
	s.st.read(func() { out = slices.Clone(s.rec.edits) })
	for i := range out {
		out[i].Body = clonePayload(out[i].Body)
	}
	return out
}

// Followups returns every accepted follow-up message.
func (s *Server) Followups() []Followup {
	var out []Followup
	s.st.read(func() { out = slices.Clone(s.rec.followups) })
	for i := range out {
		out[i].Body = clonePayload(out[i].Body)
	}
	return out
}

// Messages returns the messages created in channelID, oldest first.
func (s *Server) Messages(channelID string) []Message {
	var out []Message
	s.st.read(func() { out = s.messagesLocked(channelID) })
	return out
}

func (s *Server) messagesLocked(channelID string) []Message {
	var out []Message
	for _, m := range s.rec.messages {
		if m.ChannelID == channelID {
			m.Body = clonePayload(m.Body)
			out = append(out, m)
		}
	}
	return out
}

// CommandOverwrites returns every accepted bulk command overwrite.
func (s *Server) CommandOverwrites() []CommandOverwrite {
	var out []CommandOverwrite
	s.st.read(func() { out = slices.Clone(s.rec.overwrites) })
	for i := range out {
		out[i].Commands = clonePayload(out[i].Commands)
	}
	return out
}

// WaitCallback waits until interactionID has been acknowledged and returns
// the callback.
func (s *Server) WaitCallback(interactionID string, timeout time.Duration) (Callback, error) {
	var got Callback
	err := s.st.wait(timeout, "callback for interaction "+interactionID, func() bool {
		for _, c := range s.rec.callbacks {
			if c.InteractionID == interactionID {
				got = c
				return true
			}
		}
		return false
	})
	got.Data = clonePayload(got.Data)
	return got, err
}

// WaitEdit waits until the interaction with this token has at least one
// edit or delete and returns the latest one.
func (s *Server) WaitEdit(token string, timeout time.Duration) (Edit, error) {
	var got Edit
	err := s.st.wait(timeout, "edit of an interaction response", func() bool {
		found := false
		for _, e := range s.rec.edits {
			if e.Token == token {
				got, found = e, true
			}
		}
		return found
	})
	got.Body = clonePayload(got.Body)
	return got, err
}

// WaitFollowups waits until the interaction with this token has at least n
// follow-ups and returns them all.
func (s *Server) WaitFollowups(token string, n int, timeout time.Duration) ([]Followup, error) {
	var got []Followup
	err := s.st.wait(timeout, "follow-ups", func() bool {
		got = got[:0]
		for _, f := range s.rec.followups {
			if f.Token == token {
				f.Body = clonePayload(f.Body)
				got = append(got, f)
			}
		}
		return len(got) >= n
	})
	return got, err
}

// WaitMessages waits until channelID has at least n messages and returns
// them all.
func (s *Server) WaitMessages(channelID string, n int, timeout time.Duration) ([]Message, error) {
	var got []Message
	err := s.st.wait(timeout, "messages in channel "+channelID, func() bool {
		got = s.messagesLocked(channelID)
		return len(got) >= n
	})
	return got, err
}

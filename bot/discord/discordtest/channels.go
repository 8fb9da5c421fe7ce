package discordtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// statusError is a Discord error answer decided under the lock and written
// after it.
type statusError struct {
	status  int
	code    int
	message string
}

func (e *statusError) write(w http.ResponseWriter) {
	writeError(w, e.status, e.code, e.message)
}

// answered writes fail or, failing that, the body errors, as Discord
// reports a missing resource before a bad body. It reports whether it
// wrote anything.
func answered(w http.ResponseWriter, fail *statusError, errs []fieldError) bool {
	switch {
	case fail != nil:
		fail.write(w)
	case len(errs) > 0:
		writeCheckErrors(w, errs)
	default:
		return false
	}
	return true
}

var (
	errUnknownChannel = &statusError{http.StatusNotFound, CodeUnknownChannel, "Unknown Channel"}
	errMissingAccess  = &statusError{http.StatusForbidden, CodeMissingAccess, "Missing Access"}
	errCannotDM       = &statusError{http.StatusForbidden, CodeCannotMessageUser, "Cannot send messages to this user"}
)

// postDMChannel answers POST /users/@me/channels {recipient_id} with the
// user's DM channel, the same one every time.
func (s *Server) postDMChannel(w http.ResponseWriter, r *http.Request) {
	var in struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := decodeBody(r, &in); err != nil || in.RecipientID == "" {
		writeFormError(w, fieldError{path: []string{"recipient_id"}, code: "BASE_TYPE_REQUIRED", message: "This field is required"})
		return
	}
	var ch map[string]any
	s.st.update(func() {
		id := s.dmChannelLocked(in.RecipientID)
		ch = dmChannelJSON(id, userObject(in.RecipientID, s.usernameLocked(in.RecipientID)))
	})
	writeJSON(w, http.StatusOK, ch)
}

// getChannel answers GET /channels/{id} from the configured state and the
// DM channels created so far.
func (s *Server) getChannel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var ch map[string]any
	var fail *statusError
	s.st.read(func() {
		if fail = s.channelErrorLocked(id); fail != nil {
			return
		}
		if c, ok := s.world.channels[id]; ok {
			ch = c.json()
		} else if user, ok := s.world.dmUser[id]; ok {
			ch = dmChannelJSON(id, userObject(user, s.usernameLocked(user)))
		} else {
			fail = errUnknownChannel
		}
	})
	if fail != nil {
		fail.write(w)
		return
	}
	writeJSON(w, http.StatusOK, ch)
}

// channelErrorLocked returns the error a deleted or denied channel gives.
func (s *Server) channelErrorLocked(id string) *statusError {
	switch {
	case s.world.denied[id]:
		return errMissingAccess
	case s.world.deleted[id]:
		return errUnknownChannel
	}
	return nil
}

// postMessage answers POST /channels/{id}/messages. Any channel that is not
// deleted or denied accepts messages. An enforced nonce seen before in the
// channel returns the earlier message instead of creating one.
func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) {
	channelID := r.PathValue("id")
	body, _ := io.ReadAll(r.Body)
	var in struct {
		Nonce        json.RawMessage `json:"nonce"`
		EnforceNonce bool            `json:"enforce_nonce"`
	}
	_ = json.Unmarshal(body, &in)
	errs := checkMessage(Payload(body), nil, true)
	nonce := nonceKey(in.Nonce)
	var msg Message
	var fail *statusError
	s.st.update(func() {
		if fail = s.sendErrorLocked(channelID); fail != nil || len(errs) > 0 {
			return
		}
		msg = s.createMessageLocked(channelID, nonce, in.EnforceNonce, Payload(body))
	})
	if answered(w, fail, errs) {
		return
	}
	writeJSON(w, http.StatusOK, s.messageObject(msg.ID, channelID, msg.Body, msg.At))
}

// sendErrorLocked adds DM refusal to the channel errors.
func (s *Server) sendErrorLocked(channelID string) *statusError {
	if fail := s.channelErrorLocked(channelID); fail != nil {
		return fail
	}
	if user, ok := s.world.dmUser[channelID]; ok && s.world.refuseDM[user] {
		return errCannotDM
	}
	return nil
}

// createMessageLocked records a new message, or returns the earlier one
// for an enforced nonce it has seen in this channel.
func (s *Server) createMessageLocked(channelID, nonce string, enforce bool, body Payload) Message {
	seen := s.world.nonces[channelID]
	if enforce && nonce != "" {
		if i, ok := seen[nonce]; ok {
			s.rec.dedupes++
			return s.rec.messages[i]
		}
	}
	msg := Message{ID: s.ids.snowflake(), ChannelID: channelID, Nonce: nonce, Body: body, At: time.Now()}
	s.rec.messages = append(s.rec.messages, msg)
	if nonce != "" {
		if seen == nil {
			seen = map[string]int{}
			s.world.nonces[channelID] = seen
		}
		seen[nonce] = len(s.rec.messages) - 1
	}
	return msg
}

// nonceKey turns a JSON nonce, a string or an integer, into a map key.
func nonceKey(raw json.RawMessage) string {
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return str
	}
	t := strings.TrimSpace(string(raw))
	if t == "null" {
		return ""
	}
	return t
}

// messageObject renders a message the way Discord returns it after a
// create or an edit.
func (s *Server) messageObject(id, channelID string, body Payload, at time.Time) map[string]any {
	var in map[string]any
	_ = json.Unmarshal(body, &in)
	out := map[string]any{
		"id":               id,
		"channel_id":       channelID,
		"type":             0,
		"author":           s.botUser(),
		"content":          "",
		"timestamp":        at.UTC().Format(time.RFC3339Nano),
		"edited_timestamp": nil,
		"tts":              false,
		"mention_everyone": false,
		"mentions":         []any{},
		"mention_roles":    []any{},
		"attachments":      []any{},
		"embeds":           []any{},
		"components":       []any{},
		"pinned":           false,
		"flags":            0,
	}
	for _, k := range []string{"content", "embeds", "components", "flags", "tts", "nonce"} {
		if v, ok := in[k]; ok && v != nil {
			out[k] = v
		}
	}
	return out
}

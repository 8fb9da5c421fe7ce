package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// Interaction types from Discord's reference.
const (
	interactionPing         = 1
	interactionCommand      = 2
	interactionComponent    = 3
	interactionAutocomplete = 4
	interactionModalSubmit  = 5
)

// Interaction callback types from Discord's reference.
const (
	callbackPong           = 1
	callbackMessage        = 4
	callbackDeferred       = 5
	callbackDeferredUpdate = 6
	callbackUpdate         = 7
	callbackAutocomplete   = 8
	callbackModal          = 9
)

// allowedCallbacks lists the callback types Discord accepts per
// interaction type.
var allowedCallbacks = map[int][]int{
	interactionPing:         {callbackPong},
	interactionCommand:      {callbackMessage, callbackDeferred, callbackModal},
	interactionComponent:    {callbackMessage, callbackDeferred, callbackDeferredUpdate, callbackUpdate, callbackModal},
	interactionAutocomplete: {callbackAutocomplete},
	interactionModalSubmit:  {callbackMessage, callbackDeferred, callbackDeferredUpdate, callbackUpdate},
}

// interaction is what the fake knows about one interaction it built or
// dispatched.
type interaction struct {
	id, token  string
	kind       int
	channelID  string
	issuedAt   time.Time
	ackType    int             // 0 until acknowledged
	originalID string          // id of the original response message
	followups  map[string]bool // follow-up message ids
	deletedIDs map[string]bool // deleted message ids, "@original" included
}

// interactions indexes interactions by id and by token; guarded by
// Server.st.
type interactions struct {
	byID    map[string]*interaction
	byToken map[string]*interaction
}

func newInteractions() interactions {
	return interactions{byID: map[string]*interaction{}, byToken: map[string]*interaction{}}
}

// registerLocked remembers an interaction payload so its callback and
// webhook calls are accepted; a payload seen again restarts its deadline.
func (s *Server) registerLocked(raw json.RawMessage) error {
	var p struct {
		ID        string `json:"id"`
		Token     string `json:"token"`
		Type      int    `json:"type"`
		ChannelID string `json:"channel_id"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("discordtest: decode interaction: %w", err)
	}
	if p.ID == "" || p.Token == "" {
		return fmt.Errorf("discordtest: interaction needs id and token, got id %q", p.ID)
	}
	if in, ok := s.inter.byID[p.ID]; ok {
		in.issuedAt = time.Now()
		return nil
	}
	in := &interaction{
		id: p.ID, token: p.Token, kind: p.Type, channelID: p.ChannelID, issuedAt: time.Now(),
		followups: map[string]bool{}, deletedIDs: map[string]bool{},
	}
	s.inter.byID[p.ID] = in
	s.inter.byToken[p.Token] = in
	return nil
}

// postCallback answers POST /interactions/{id}/{token}/callback: 204 on
// the first valid response within the deadline, 40060 on a second one,
// 10062 for an unknown or expired interaction.
func (s *Server) postCallback(w http.ResponseWriter, r *http.Request) {
	id, token := r.PathValue("id"), r.PathValue("token")
	body, _ := io.ReadAll(r.Body)
	var in struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeFormError(w, fieldError{path: []string{"type"}, code: "BASE_TYPE_REQUIRED", message: "This field is required"})
		return
	}
	var fail *statusError
	var errs []fieldError
	s.st.update(func() {
		it, ok := s.inter.byID[id]
		fail = s.callbackErrorLocked(it, ok, token)
		if fail != nil {
			return
		}
		if errs = checkCallback(it.kind, in.Type, Payload(in.Data)); len(errs) > 0 {
			return
		}
		it.ackType = in.Type
		it.originalID = s.ids.snowflake()
		s.rec.callbacks = append(s.rec.callbacks, Callback{
			InteractionID: id, Token: token, Type: in.Type, Data: payloadOrNil(in.Data), At: time.Now(),
		})
	})
	switch {
	case fail != nil:
		fail.write(w)
	case len(errs) > 0:
		writeCheckErrors(w, errs)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// callbackErrorLocked applies the token, deadline and single-ack rules.
func (s *Server) callbackErrorLocked(it *interaction, ok bool, token string) *statusError {
	unknown := &statusError{http.StatusNotFound, CodeUnknownInteraction, "Unknown interaction"}
	switch {
	case !ok || it.token != token:
		return unknown
	case it.ackType != 0:
		return &statusError{http.StatusBadRequest, CodeAlreadyAcknowledged, alreadyAcknowledgedError}
	case s.cfg.InteractionDeadline > 0 && time.Since(it.issuedAt) > s.cfg.InteractionDeadline:
		return unknown
	}
	return nil
}

// checkCallback checks the callback type against the interaction type and
// the data against the limits for that type.
func checkCallback(kind, typ int, data Payload) []fieldError {
	if allowed, known := allowedCallbacks[kind]; known && !slices.Contains(allowed, typ) {
		return []fieldError{{path: []string{"type"}, code: "INTERACTION_CALLBACK_TYPE_INVALID",
			message: fmt.Sprintf("Callback type %d is not valid for interaction type %d", typ, kind)}}
	}
	prefix := []string{"data"}
	switch typ {
	case callbackMessage:
		return checkMessage(data, prefix, true)
	case callbackUpdate:
		return checkMessage(data, prefix, false)
	case callbackAutocomplete:
		return checkAutocomplete(data)
	case callbackModal:
		return checkModal(data)
	}
	return nil
}

func payloadOrNil(raw json.RawMessage) Payload {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return Payload(raw)
}

// webhookTarget finds the acknowledged interaction behind a webhook route.
// Discord answers 10015 Unknown Webhook for a wrong application, an
// unknown token, or an interaction not yet acknowledged.
func (s *Server) webhookTargetLocked(app, token string) (*interaction, *statusError) {
	it, ok := s.inter.byToken[token]
	if app != s.cfg.AppID || !ok || it.ackType == 0 {
		return nil, &statusError{http.StatusNotFound, CodeUnknownWebhook, "Unknown Webhook"}
	}
	return it, nil
}

// postFollowup answers POST /webhooks/{app}/{token} with the new message.
func (s *Server) postFollowup(w http.ResponseWriter, r *http.Request) {
	app, token := r.PathValue("app"), r.PathValue("token")
	body, _ := io.ReadAll(r.Body)
	errs := checkMessage(Payload(body), nil, true)
	var f Followup
	var channelID string
	var fail *statusError
	s.st.update(func() {
		var it *interaction
		if it, fail = s.webhookTargetLocked(app, token); fail != nil || len(errs) > 0 {
			return
		}
		f = Followup{Token: token, MessageID: s.ids.snowflake(), Body: Payload(body), At: time.Now()}
		it.followups[f.MessageID] = true
		channelID = it.channelID
		s.rec.followups = append(s.rec.followups, f)
	})
	if answered(w, fail, errs) {
		return
	}
	writeJSON(w, http.StatusOK, s.webhookMessage(f.MessageID, channelID, f.Body, f.At))
}

// patchWebhookMessage answers PATCH /webhooks/{app}/{token}/messages/{msg}.
func (s *Server) patchWebhookMessage(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	errs := checkMessage(Payload(body), nil, false)
	e, it, fail := s.recordEdit(r, Payload(body), errs)
	if answered(w, fail, errs) {
		return
	}
	id := e.MessageID
	if id == "@original" {
		id = it.originalID
	}
	writeJSON(w, http.StatusOK, s.webhookMessage(id, it.channelID, e.Body, e.At))
}

// deleteWebhookMessage answers DELETE /webhooks/{app}/{token}/messages/{msg}.
func (s *Server) deleteWebhookMessage(w http.ResponseWriter, r *http.Request) {
	if _, _, fail := s.recordEdit(r, nil, nil); fail != nil {
		fail.write(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// recordEdit checks that the message exists and, unless the body has
// errors, records the edit, or the delete for a DELETE. The returned
// interaction's fields are read-only after acknowledgement.
func (s *Server) recordEdit(r *http.Request, body Payload, errs []fieldError) (Edit, *interaction, *statusError) {
	del := r.Method == http.MethodDelete
	app, token, msgID := r.PathValue("app"), r.PathValue("token"), r.PathValue("msg")
	var e Edit
	var it *interaction
	var fail *statusError
	s.st.update(func() {
		if it, fail = s.webhookTargetLocked(app, token); fail != nil {
			return
		}
		if !it.hasMessage(msgID) {
			fail = &statusError{http.StatusNotFound, CodeUnknownMessage, "Unknown Message"}
			return
		}
		if len(errs) > 0 {
			return
		}
		if del {
			it.deletedIDs[msgID] = true
		}
		e = Edit{Token: token, MessageID: msgID, Deleted: del, Body: body, At: time.Now()}
		s.rec.edits = append(s.rec.edits, e)
	})
	return e, it, fail
}

// hasMessage reports whether msgID names a live message of the
// interaction: its original response or one of its follow-ups.
func (it *interaction) hasMessage(msgID string) bool {
	if it.deletedIDs[msgID] {
		return false
	}
	if msgID == "@original" {
		return it.ackType != callbackAutocomplete && it.ackType != callbackModal
	}
	return it.followups[msgID]
}

// webhookMessage renders a message sent through the interaction webhook.
func (s *Server) webhookMessage(id, channelID string, body Payload, at time.Time) map[string]any {
	m := s.messageObject(id, channelID, body, at)
	m["webhook_id"] = s.cfg.AppID
	m["application_id"] = s.cfg.AppID
	return m
}

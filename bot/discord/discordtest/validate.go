package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Discord's documented message limits.
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxAuthorName       = 256
	maxEmbedTotal       = 6000
	maxActionRows       = 5
	maxRowButtons       = 5
	maxCustomID         = 100
	maxButtonLabel      = 80
	maxSelectOptions    = 25
	maxChoices          = 25
	maxComponentsV2     = 40
	flagComponentsV2    = 1 << 15
)

// emptyMessage marks the 50006 error among field errors.
const emptyMessage = "EMPTY_MESSAGE"

// fieldError is one entry of a 50035 Invalid Form Body answer.
type fieldError struct {
	path    []string
	code    string
	message string
}

func (e fieldError) at(prefix []string, path ...string) fieldError {
	e.path = append(append(append([]string(nil), prefix...), path...), e.path...)
	return e
}

func tooLong(limit int) fieldError {
	return fieldError{code: "BASE_TYPE_MAX_LENGTH", message: fmt.Sprintf("Must be %d or fewer in length.", limit)}
}

func required() fieldError {
	return fieldError{code: "BASE_TYPE_REQUIRED", message: "This field is required"}
}

// writeCheckErrors answers 50006 for an empty message, else 50035.
func writeCheckErrors(w http.ResponseWriter, errs []fieldError) {
	for _, e := range errs {
		if e.code == emptyMessage {
			writeError(w, http.StatusBadRequest, CodeEmptyMessage, "Cannot send an empty message")
			return
		}
	}
	writeFormError(w, errs...)
}

// writeFormError answers 400 with code 50035 and Discord's nested errors
// object: {"errors": {"embeds": {"0": {"title": {"_errors": [...]}}}}}.
func writeFormError(w http.ResponseWriter, errs ...fieldError) {
	root := map[string]any{}
	for _, e := range errs {
		node := root
		for _, key := range e.path {
			next, ok := node[key].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[key] = next
			}
			node = next
		}
		list, _ := node["_errors"].([]any)
		node["_errors"] = append(list, map[string]any{"code": e.code, "message": e.message})
	}
	writeJSON(w, http.StatusBadRequest, apiError{Message: "Invalid Form Body", Code: CodeInvalidFormBody, Errors: root})
}

// messageBody is the part of a message payload that has limits.
type messageBody struct {
	Content     string            `json:"content"`
	Embeds      []embedBody       `json:"embeds"`
	Components  []componentBody   `json:"components"`
	Flags       int               `json:"flags"`
	Attachments []json.RawMessage `json:"attachments"`
	StickerIDs  []string          `json:"sticker_ids"`
	Poll        json.RawMessage   `json:"poll"`
	Nonce       json.RawMessage   `json:"nonce"`
}

type embedBody struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Fields      []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
}

// checkMessage lists what Discord would reject in a message payload.
// prefix is where the message sits in the request ("data" for a callback).
// needsContent rejects a message with nothing to show.
func checkMessage(body Payload, prefix []string, needsContent bool) []fieldError {
	var m messageBody
	if len(body) > 0 {
		if err := json.Unmarshal(body, &m); err != nil {
			return []fieldError{{path: prefix, code: "MODEL_TYPE_CONVERT", message: err.Error()}}
		}
	}
	var errs []fieldError
	if n := utf8.RuneCountInString(m.Content); n > maxContent {
		errs = append(errs, tooLong(maxContent).at(prefix, "content"))
	}
	if nonce := nonceKey(m.Nonce); len(nonce) > 25 {
		errs = append(errs, tooLong(25).at(prefix, "nonce"))
	}
	errs = append(errs, checkEmbeds(m.Embeds, prefix)...)
	errs = append(errs, checkComponents(m, prefix)...)
	empty := m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0 &&
		len(m.Attachments) == 0 && len(m.StickerIDs) == 0 && len(m.Poll) == 0
	if needsContent && empty {
		errs = append(errs, fieldError{path: prefix, code: emptyMessage, message: "Cannot send an empty message"})
	}
	return errs
}

// checkEmbeds applies the per-embed limits and the 6000 character total.
func checkEmbeds(embeds []embedBody, prefix []string) []fieldError {
	var errs []fieldError
	if len(embeds) > maxEmbeds {
		errs = append(errs, tooLong(maxEmbeds).at(prefix, "embeds"))
	}
	total := 0
	for i, e := range embeds {
		at := func(fe fieldError, path ...string) {
			errs = append(errs, fe.at(prefix, append([]string{"embeds", strconv.Itoa(i)}, path...)...))
		}
		total += checkLen(e.Title, maxEmbedTitle, func(fe fieldError) { at(fe, "title") })
		total += checkLen(e.Description, maxEmbedDescription, func(fe fieldError) { at(fe, "description") })
		if len(e.Fields) > maxEmbedFields {
			at(tooLong(maxEmbedFields), "fields")
		}
		for j, f := range e.Fields {
			field := strconv.Itoa(j)
			if f.Name == "" {
				at(required(), "fields", field, "name")
			}
			if f.Value == "" {
				at(required(), "fields", field, "value")
			}
			total += checkLen(f.Name, maxFieldName, func(fe fieldError) { at(fe, "fields", field, "name") })
			total += checkLen(f.Value, maxFieldValue, func(fe fieldError) { at(fe, "fields", field, "value") })
		}
		if e.Footer != nil {
			total += checkLen(e.Footer.Text, maxFooterText, func(fe fieldError) { at(fe, "footer", "text") })
		}
		if e.Author != nil {
			total += checkLen(e.Author.Name, maxAuthorName, func(fe fieldError) { at(fe, "author", "name") })
		}
	}
	if total > maxEmbedTotal {
		errs = append(errs, fieldError{code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000"}.at(prefix, "embeds"))
	}
	return errs
}

// checkLen reports a too-long string and returns its length in characters.
func checkLen(s string, limit int, report func(fieldError)) int {
	n := utf8.RuneCountInString(s)
	if n > limit {
		report(tooLong(limit))
	}
	return n
}

// autocompleteData is the data of an autocomplete result callback.
type autocompleteData struct {
	Choices []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"choices"`
}

// checkAutocomplete applies the 25 choice and 100 character limits.
func checkAutocomplete(data Payload) []fieldError {
	var d autocompleteData
	prefix := []string{"data"}
	if err := json.Unmarshal(data, &d); err != nil {
		return []fieldError{{path: prefix, code: "MODEL_TYPE_CONVERT", message: err.Error()}}
	}
	var errs []fieldError
	if len(d.Choices) > maxChoices {
		errs = append(errs, tooLong(maxChoices).at(prefix, "choices"))
	}
	for i, c := range d.Choices {
		at := []string{"choices", strconv.Itoa(i)}
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > 100 {
			errs = append(errs, tooLong(100).at(prefix, append(at, "name")...))
		}
		if v, ok := c.Value.(string); ok && utf8.RuneCountInString(v) > 100 {
			errs = append(errs, tooLong(100).at(prefix, append(at, "value")...))
		}
	}
	return errs
}

// checkModal applies the modal limits: custom_id, a 45 character title and
// one to five rows.
func checkModal(data Payload) []fieldError {
	var d struct {
		CustomID   string            `json:"custom_id"`
		Title      string            `json:"title"`
		Components []json.RawMessage `json:"components"`
	}
	prefix := []string{"data"}
	if err := json.Unmarshal(data, &d); err != nil {
		return []fieldError{{path: prefix, code: "MODEL_TYPE_CONVERT", message: err.Error()}}
	}
	var errs []fieldError
	if n := len(d.CustomID); n < 1 || n > maxCustomID {
		errs = append(errs, tooLong(maxCustomID).at(prefix, "custom_id"))
	}
	if n := utf8.RuneCountInString(d.Title); n < 1 || n > 45 {
		errs = append(errs, tooLong(45).at(prefix, "title"))
	}
	if n := len(d.Components); n < 1 || n > maxActionRows {
		errs = append(errs, tooLong(maxActionRows).at(prefix, "components"))
	}
	return errs
}

package discordtest

import (
	"encoding/json"
	"net/http"
)

// Discord JSON error codes the fake returns.
const (
	CodeUnknownChannel       = 10003
	CodeUnknownGuild         = 10004
	CodeUnknownMember        = 10007
	CodeUnknownMessage       = 10008
	CodeUnknownWebhook       = 10015
	CodeUnknownInteraction   = 10062
	CodeAlreadyAcknowledged  = 40060
	CodeMissingAccess        = 50001
	CodeEmptyMessage         = 50006
	CodeCannotMessageUser    = 50007
	CodeInvalidFormBody      = 50035
	CodeInvalidJSON          = 50109
	CodeGeneralUnauthorized  = 0
	rateLimitMessage         = "You are being rate limited."
	alreadyAcknowledgedError = "Interaction has already been acknowledged."
)

// apiError is Discord's error body: {"message": ..., "code": N}, plus the
// nested "errors" object for 50035.
type apiError struct {
	Message string         `json:"message"`
	Code    int            `json:"code"`
	Errors  map[string]any `json:"errors,omitempty"`
}

// writeJSON answers with status and v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with Discord's error shape.
func writeError(w http.ResponseWriter, status, code int, message string) {
	writeJSON(w, status, apiError{Message: message, Code: code})
}

// writeNotFound answers an unknown route the way Discord does.
func writeNotFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, 0, "404: Not Found")
}

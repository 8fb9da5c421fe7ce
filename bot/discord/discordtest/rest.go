package discordtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	pathpkg "path"
	"strings"
	"time"
)

// maxBody caps request bodies; Discord's own cap for bots is 25 MiB of
// files, far more than any test needs.
const maxBody = 8 << 20

// restHandler builds the REST API: authentication, scripting and recording
// around a mux of the routes the fake knows.
func (s *Server) restHandler() http.Handler {
	mux := http.NewServeMux()
	routes := map[string]http.HandlerFunc{
		"GET /gateway":                                    s.getGateway,
		"GET /gateway/bot":                                s.getGatewayBot,
		"GET /users/@me":                                  s.getMe,
		"GET /oauth2/applications/@me":                    s.getApplication,
		"POST /interactions/{id}/{token}/callback":        s.postCallback,
		"POST /webhooks/{app}/{token}":                    s.postFollowup,
		"PATCH /webhooks/{app}/{token}/messages/{msg}":    s.patchWebhookMessage,
		"DELETE /webhooks/{app}/{token}/messages/{msg}":   s.deleteWebhookMessage,
		"POST /users/@me/channels":                        s.postDMChannel,
		"GET /channels/{id}":                              s.getChannel,
		"POST /channels/{id}/messages":                    s.postMessage,
		"GET /guilds/{id}":                                s.getGuild,
		"GET /guilds/{id}/roles":                          s.getRoles,
		"GET /guilds/{id}/members/{user}":                 s.getMember,
		"PUT /applications/{app}/commands":                s.putCommands,
		"GET /applications/{app}/commands":                s.getCommands,
		"PUT /applications/{app}/guilds/{guild}/commands": s.putCommands,
		"GET /applications/{app}/guilds/{guild}/commands": s.getCommands,
		"/": func(w http.ResponseWriter, _ *http.Request) { writeNotFound(w) },
	}
	for p, h := range routes {
		mux.HandleFunc(p, h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveREST(mux, w, r)
	})
}

// serveREST records the call on arrival, applies the token check,
// scripted latency and failures, then hands the request to the route with
// the /api/vN prefix removed and the JSON body in r.Body. The record's
// Status is filled in when the answer is written.
func (s *Server) serveREST(mux http.Handler, w http.ResponseWriter, r *http.Request) {
	path, known := stripAPIPrefix(r.URL.Path)
	body, files, bodyErr := readBody(r)
	rec := Request{
		Method:     r.Method,
		Path:       path,
		Query:      r.URL.Query(),
		Header:     r.Header.Clone(),
		Body:       body,
		Files:      files,
		Authorized: r.Header.Get("Authorization") == "Bot "+s.cfg.BotToken,
		ReceivedAt: time.Now(),
	}
	rec.Header.Del("Authorization")
	if known {
		rec.APIVersion = apiVersion(r.URL.Path)
	}
	var idx int
	s.st.update(func() {
		idx = len(s.rec.requests)
		s.rec.requests = append(s.rec.requests, rec)
	})
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer s.st.update(func() { s.rec.requests[idx].Status = sw.status })

	switch {
	case !known || !canonical(path):
		writeNotFound(sw)
	case bodyErr != nil:
		writeError(sw, http.StatusBadRequest, CodeInvalidJSON, "The request body contains invalid JSON.")
	case s.authenticate(sw, r, path) && s.applyScript(sw, r, path):
		inner := r.Clone(r.Context())
		inner.URL.Path, inner.URL.RawPath = path, ""
		inner.Body = io.NopCloser(bytes.NewReader(body))
		inner.ContentLength = int64(len(body))
		mux.ServeHTTP(sw, inner)
	}
}

// canonical rejects paths such as "/webhooks/1//messages" that the mux
// would answer with a redirect; Discord answers them 404.
func canonical(p string) bool {
	return p == "/" || pathpkg.Clean(p) == strings.TrimSuffix(p, "/")
}

// authenticate checks "Authorization: Bot <token>". Interaction and webhook
// routes are authenticated by the token in their path, so, as on Discord,
// they also accept a call with no Authorization header; a wrong one is
// still rejected.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, path string) bool {
	got := r.Header.Get("Authorization")
	if got == "Bot "+s.cfg.BotToken || (got == "" && tokenRoute(path)) {
		return true
	}
	s.st.update(func() { s.rec.unauthorized++ })
	writeError(w, http.StatusUnauthorized, CodeGeneralUnauthorized, "401: Unauthorized")
	return false
}

func tokenRoute(path string) bool {
	return strings.HasPrefix(path, "/interactions/") || strings.HasPrefix(path, "/webhooks/")
}

// applyScript sleeps for any configured latency and answers a scripted
// failure. It reports whether the request should go on to its route.
func (s *Server) applyScript(w http.ResponseWriter, r *http.Request, path string) bool {
	var delay time.Duration
	var f *fault
	s.st.update(func() {
		delay = s.faults.latencyFor(r.Method, path)
		f = s.faults.take(r.Method, path)
	})
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false
		}
	}
	if f != nil {
		f.write(w)
		return false
	}
	return true
}

// apiVersion returns the N of a path starting with /api/vN.
func apiVersion(p string) string {
	rest := strings.TrimPrefix(p, "/api/v")
	v, _, _ := strings.Cut(rest, "/")
	return v
}

// readBody returns the request's JSON body, taking payload_json out of a
// multipart body and counting the other parts as files.
func readBody(r *http.Request) (Payload, int, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, 0, fmt.Errorf("read body of %s %s: %w", r.Method, r.URL.Path, err)
	}
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	files := 0
	if mediaType == "multipart/form-data" {
		raw, files, err = payloadJSON(raw, params["boundary"])
		if err != nil {
			return nil, files, err
		}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, files, nil
	}
	if !json.Valid(raw) {
		return Payload(raw), files, errors.New("body is not valid JSON")
	}
	return Payload(raw), files, nil
}

// payloadJSON extracts the payload_json part of a multipart body.
func payloadJSON(body []byte, boundary string) ([]byte, int, error) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var payload []byte
	files := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return payload, files, nil
		}
		if err != nil {
			return nil, files, fmt.Errorf("read multipart body: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, files, fmt.Errorf("read multipart part %q: %w", part.FormName(), err)
		}
		if part.FormName() == "payload_json" {
			payload = data
		} else {
			files++
		}
	}
}

// decodeBody unmarshals the JSON body that serveREST put in r.Body.
func decodeBody(r *http.Request, v any) error {
	err := json.NewDecoder(r.Body).Decode(v)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// statusWriter remembers the status code for the request record.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

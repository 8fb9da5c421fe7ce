package maltest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"dubbot/upstream/mal"
)

// route registers h for pattern: counted, and failed when FailNext says so.
// h runs with s.mu held.
func (s *Server) route(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.counts[pattern]++
		if q := s.failures[pattern]; len(q) > 0 {
			s.failures[pattern] = q[1:]
			writeFailure(w, q[0])
			return
		}
		h(w, r)
	})
}

// api registers an endpoint that needs a user's bearer token.
func (s *Server) api(mux *http.ServeMux, pattern string, h func(http.ResponseWriter, *http.Request, *user)) {
	s.route(mux, pattern, func(w http.ResponseWriter, r *http.Request) {
		u, ok := s.bearerLocked(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token",error_description="The access token expired"`)
			writeError(w, http.StatusUnauthorized, "invalid_token", "token is invalid")
			return
		}
		h(w, r, u)
	})
}

func (s *Server) bearerLocked(r *http.Request) (*user, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, false
	}
	id, ok := s.access[tok]
	if !ok {
		return nil, false
	}
	return s.users[id], true
}

func (s *Server) me(w http.ResponseWriter, _ *http.Request, u *user) {
	writeJSON(w, http.StatusOK, map[string]any{"id": u.id, "name": u.name, "joined_at": "2020-01-01T00:00:00+00:00"})
}

// list answers /users/@me/{media}list with paging, honouring limit, offset,
// nsfw and the requested fields as MAL does.
func (s *Server) list(m mal.Media) func(http.ResponseWriter, *http.Request, *user) {
	return func(w http.ResponseWriter, r *http.Request, u *user) {
		q := r.URL.Query()
		limit, err1 := strconv.Atoi(cmp.Or(q.Get("limit"), "100"))
		offset, err2 := strconv.Atoi(cmp.Or(q.Get("offset"), "0"))
		if err1 != nil || err2 != nil || limit < 1 || limit > 1000 || offset < 0 {
			writeError(w, http.StatusBadRequest, "invalid_parameters", "limit must be 1..1000 and offset >= 0")
			return
		}
		fields := parseFields(q.Get("fields"))
		ids := s.visibleLocked(u, m, q.Get("nsfw") == "true")
		end := min(offset+min(limit, s.MaxPage), len(ids))
		start := min(offset, end)
		data := make([]any, 0, end-start)
		for _, id := range ids[start:end] {
			data = append(data, s.rowLocked(m, id, u.lists[m][id], fields))
		}
		paging := map[string]any{}
		if end < len(ids) {
			q.Set("offset", strconv.Itoa(end))
			paging["next"] = s.URL + r.URL.Path + "?" + q.Encode()
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": data, "paging": paging})
	}
}

// visibleLocked lists the ids on a user's list in id order, NSFW titles only
// when asked for.
func (s *Server) visibleLocked(u *user, m mal.Media, nsfw bool) []int {
	var ids []int
	for id := range u.lists[m] {
		if nsfw || !s.titles[m][id].NSFW {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (s *Server) rowLocked(m mal.Media, id int, st mal.ListStatus, fields map[string][]string) map[string]any {
	t := s.titles[m][id]
	node := map[string]any{"id": id, "title": cmp.Or(t.Title, "Title "+strconv.Itoa(id))}
	totals := map[string]int{"num_episodes": t.Total}
	if m == mal.Manga {
		totals = map[string]int{"num_chapters": t.Total, "num_volumes": t.TotalVolumes}
	}
	for name, v := range totals {
		if _, ok := fields[name]; ok {
			node[name] = v
		}
	}
	row := map[string]any{"node": node}
	if sub, ok := fields["list_status"]; ok {
		row["list_status"] = statusJSON(m, st, sub)
	}
	return row
}

// parseFields reads MAL's fields parameter, "a,b{c,d},e", into names and
// their sub-fields.
func parseFields(s string) map[string][]string {
	out := make(map[string][]string)
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		switch {
		case i < len(s) && s[i] == '{':
			depth++
		case i < len(s) && s[i] == '}':
			depth--
		case (i == len(s) || s[i] == ',') && depth <= 0:
			name, sub, _ := strings.Cut(s[start:i], "{")
			if name != "" {
				out[name] = strings.FieldsFunc(strings.TrimSuffix(sub, "}"), func(r rune) bool { return r == ',' })
			}
			start = i + 1
		}
	}
	return out
}

func (s *Server) details(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.bearerLocked(r); !ok && r.Header.Get("X-MAL-CLIENT-ID") != s.ClientID {
		writeError(w, http.StatusUnauthorized, "invalid_token", "token is invalid")
		return
	}
	id, _ := strconv.Atoi(r.PathValue("id"))
	t, ok := s.titles[mal.Anime][id]
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "")
		return
	}
	all := map[string]any{
		"alternative_titles": map[string]any{"synonyms": []string{}, "en": t.English, "ja": t.Japanese},
		"start_season":       map[string]any{"year": t.Year, "season": "spring"},
		"num_episodes":       t.Total,
		"media_type":         t.MediaType,
		"status":             t.Status,
		"num_list_users":     t.Members,
		"mean":               t.Mean,
	}
	out := map[string]any{
		"id": t.ID, "title": t.Title,
		"main_picture": map[string]any{"medium": "https://cdn.example/m.jpg", "large": "https://cdn.example/l.jpg"},
	}
	for name := range parseFields(r.URL.Query().Get("fields")) {
		if v, ok := all[name]; ok {
			out[name] = v
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers as MAL does: {"error": code, "message": msg}.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": code, "message": msg})
}

func writeFailure(w http.ResponseWriter, f failure) {
	if f.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(f.retryAfter.Seconds())))
	}
	code := strings.ReplaceAll(strings.ToLower(http.StatusText(f.status)), " ", "_")
	if f.status == http.StatusUnauthorized {
		code = "invalid_token"
	}
	writeError(w, f.status, code, "maltest: failure asked for")
}

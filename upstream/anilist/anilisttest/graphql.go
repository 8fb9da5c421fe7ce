package anilisttest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"dubbot/upstream/anilist"
)

// perPage is the page size of the RecentListUpdates query.
const perPage = 50

// request is a GraphQL request body.
type request struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
}

// graphql answers the operations package anilist sends, by operation name.
func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad request body: "+err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[req.OperationName]++
	if len(s.rateLimit) > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.rateLimit[0].Seconds())))
		s.rateLimit = s.rateLimit[1:]
		writeError(w, http.StatusTooManyRequests, "Too Many Requests.")
		return
	}
	viewer, ok := s.viewerLocked(r)
	if !ok {
		writeError(w, http.StatusBadRequest, "Invalid token")
		return
	}
	switch req.OperationName {
	case "Viewer":
		s.viewer(w, viewer)
	case "UserList":
		s.userList(w, req.Variables)
	case "RecentListUpdates":
		s.recent(w, req.Variables)
	case "AnimeMALID":
		s.animeMALID(w, req.Variables)
	default:
		writeError(w, http.StatusBadRequest, "anilisttest: unknown operation "+strconv.Quote(req.OperationName))
	}
}

// viewerLocked returns the token's user (0 without a token); ok is false for
// a token the fake did not issue.
func (s *Server) viewerLocked(r *http.Request) (id int, ok bool) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return 0, true
	}
	tok, found := strings.CutPrefix(auth, "Bearer ")
	if !found {
		return 0, false
	}
	id, ok = s.tokens[tok]
	return id, ok
}

func (s *Server) animeMALID(w http.ResponseWriter, raw json.RawMessage) {
	var v struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || v.ID < 1 {
		writeError(w, http.StatusBadRequest, "AnimeMALID needs id")
		return
	}
	mal, ok := s.malIDs[v.ID]
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found.")
		return
	}
	var idMal any // AniList answers null for anime MAL does not list
	if mal > 0 {
		idMal = mal
	}
	writeData(w, map[string]any{"Media": map[string]any{"idMal": idMal}})
}

func (s *Server) viewer(w http.ResponseWriter, id int) {
	if id == 0 {
		writeError(w, http.StatusUnauthorized, "Unauthorized.")
		return
	}
	u := s.users[id]
	writeData(w, map[string]any{"Viewer": map[string]any{
		"id": u.id, "name": u.name,
		"mediaListOptions": map[string]any{"scoreFormat": u.scoreFormat},
	}})
}

func (s *Server) userList(w http.ResponseWriter, raw json.RawMessage) {
	var v struct {
		UserID    int    `json:"userId"`
		MediaType string `json:"mediaType"`
		Chunk     int    `json:"chunk"`
		PerChunk  int    `json:"perChunk"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || v.Chunk < 1 || v.PerChunk < 1 || v.PerChunk > 500 {
		writeError(w, http.StatusBadRequest, "UserList needs userId, mediaType, chunk >= 1 and perChunk 1..500")
		return
	}
	u, ok := s.users[v.UserID]
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found.")
		return
	}
	all := u.sorted(anilist.MediaType(v.MediaType))
	start := min((v.Chunk-1)*v.PerChunk, len(all))
	end := min(start+v.PerChunk, len(all))
	writeData(w, map[string]any{"MediaListCollection": map[string]any{
		"hasNextChunk": end < len(all),
		"lists":        u.groups(all[start:end]),
	}})
}

// groups lays entries out as AniList does: one list per status, then one per
// custom list, an entry appearing in each list it belongs to.
func (u *user) groups(entries []anilist.Entry) []map[string]any {
	byList := make(map[string][]any)
	var names []string
	add := func(name string, e anilist.Entry) {
		if _, ok := byList[name]; !ok {
			names = append(names, name)
		}
		byList[name] = append(byList[name], entryJSON(e))
	}
	for _, e := range entries {
		add(string(e.Status), e)
	}
	for _, e := range entries {
		for _, name := range u.custom[e.MediaID] {
			add("custom:"+name, e)
		}
	}
	out := make([]map[string]any, 0, len(names))
	for _, name := range names {
		out = append(out, map[string]any{"entries": byList[name]})
	}
	return out
}

// entryJSON is an entry as the UserList query selects it; unknown values are
// null, as AniList sends them.
func entryJSON(e anilist.Entry) map[string]any {
	return map[string]any{
		"mediaId":         e.MediaID,
		"status":          nullString(string(e.Status)),
		"score":           e.Score,
		"progress":        e.Progress,
		"progressVolumes": nullInt(e.ProgressVolumes),
		"repeat":          e.Repeat,
		"updatedAt":       e.UpdatedAt,
		"startedAt":       dateJSON(e.StartedAt),
		"completedAt":     dateJSON(e.CompletedAt),
		"media": map[string]any{
			"idMal":    nullInt(e.MALID),
			"episodes": nullInt(e.Episodes),
			"chapters": nullInt(e.Chapters),
			"volumes":  nullInt(e.Volumes),
			"title":    map[string]any{"romaji": e.TitleRomaji, "english": nullString(e.TitleEnglish)},
		},
	}
}

func dateJSON(d anilist.Date) map[string]any {
	return map[string]any{"year": nullInt(d.Year), "month": nullInt(d.Month), "day": nullInt(d.Day)}
}

func (s *Server) recent(w http.ResponseWriter, raw json.RawMessage) {
	var v struct {
		UserIDs []int `json:"userIds"`
		Page    int   `json:"page"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || len(v.UserIDs) == 0 || v.Page < 1 {
		writeError(w, http.StatusBadRequest, "RecentListUpdates needs userIds and page >= 1")
		return
	}
	var rows []anilist.ListUpdate
	for _, id := range v.UserIDs {
		if u, ok := s.users[id]; ok {
			for _, e := range u.entries {
				rows = append(rows, anilist.ListUpdate{UserID: id, MediaID: e.MediaID, UpdatedAt: e.UpdatedAt})
			}
		}
	}
	slices.SortFunc(rows, func(a, b anilist.ListUpdate) int {
		return cmp.Or(cmp.Compare(b.UpdatedAt, a.UpdatedAt), cmp.Compare(a.MediaID, b.MediaID))
	})
	start := min((v.Page-1)*perPage, len(rows))
	end := min(start+perPage, len(rows))
	list := make([]any, 0, end-start)
	for _, r := range rows[start:end] {
		list = append(list, map[string]any{"userId": r.UserID, "mediaId": r.MediaID, "updatedAt": r.UpdatedAt})
	}
	writeData(w, map[string]any{"Page": map[string]any{
		"pageInfo":  map[string]any{"hasNextPage": end < len(rows)},
		"mediaList": list,
	}})
}

func writeData(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

// writeError answers as AniList does: the status both in HTTP and in the body.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{
		"data":   nil,
		"errors": []any{map[string]any{"message": msg, "status": status}},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func nullInt(v int) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

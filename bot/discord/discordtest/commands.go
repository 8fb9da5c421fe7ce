package discordtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// commandStore holds the registered application commands; guarded by
// Server.st.
type commandStore struct {
	byScope map[string][]map[string]any // guild id ("" global) -> commands
	ids     map[string]string           // scope/type/name -> stable command id
}

func newCommandStore() commandStore {
	return commandStore{byScope: map[string][]map[string]any{}, ids: map[string]string{}}
}

// putCommands answers the bulk overwrite PUT /applications/{app}/commands
// and its guild variant: it validates the array as Discord does, assigns
// ids that stay stable for a name, and returns the stored commands.
func (s *Server) putCommands(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("app") != s.cfg.AppID {
		writeError(w, http.StatusNotFound, 10002, "Unknown Application")
		return
	}
	guildID := r.PathValue("guild")
	body, _ := io.ReadAll(r.Body)
	var cmds []map[string]any
	if err := json.Unmarshal(body, &cmds); err != nil {
		writeFormError(w, fieldError{code: "MODEL_TYPE_CONVERT", message: "Expected an array of commands: " + err.Error()})
		return
	}
	if errs := checkCommands(body); len(errs) > 0 {
		writeFormError(w, errs...)
		return
	}
	var out []map[string]any
	s.st.update(func() {
		out = s.storeCommandsLocked(guildID, cmds)
		s.rec.overwrites = append(s.rec.overwrites, CommandOverwrite{GuildID: guildID, Commands: Payload(body), At: time.Now()})
	})
	writeJSON(w, http.StatusOK, out)
}

// storeCommandsLocked replaces the scope's commands with cmds plus the
// fields Discord adds.
func (s *Server) storeCommandsLocked(guildID string, cmds []map[string]any) []map[string]any {
	out := make([]map[string]any, 0, len(cmds))
	for _, c := range cmds {
		typ := 1
		if t, ok := c["type"].(float64); ok && t != 0 {
			typ = int(t)
		}
		name, _ := c["name"].(string)
		c["id"] = s.commandIDLocked(guildID, typ, name)
		c["type"] = typ
		c["application_id"] = s.cfg.AppID
		c["version"] = s.ids.snowflake()
		if guildID != "" {
			c["guild_id"] = guildID
		}
		if _, ok := c["description"]; !ok {
			c["description"] = ""
		}
		out = append(out, c)
	}
	s.cmds.byScope[guildID] = out
	return out
}

// commandIDLocked returns the id of a command, the same for the same scope,
// type and name, as Discord keeps ids across overwrites.
func (s *Server) commandIDLocked(guildID string, typ int, name string) string {
	key := guildID + "/" + strconv.Itoa(typ) + "/" + name
	id, ok := s.cmds.ids[key]
	if !ok {
		id = s.ids.snowflake()
		s.cmds.ids[key] = id
	}
	return id
}

// getCommands answers GET of the global or guild command list.
func (s *Server) getCommands(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("app") != s.cfg.AppID {
		writeError(w, http.StatusNotFound, 10002, "Unknown Application")
		return
	}
	var body []byte
	s.st.read(func() {
		cmds := s.cmds.byScope[r.PathValue("guild")]
		if cmds == nil {
			cmds = []map[string]any{}
		}
		body, _ = json.Marshal(cmds)
	})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

package discordtest

import "net/http"

// getGuild answers GET /guilds/{id} from the configured state.
func (s *Server) getGuild(w http.ResponseWriter, r *http.Request) {
	g, ok := s.guild(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
		return
	}
	writeJSON(w, http.StatusOK, g.json())
}

// getRoles answers GET /guilds/{id}/roles.
func (s *Server) getRoles(w http.ResponseWriter, r *http.Request) {
	g, ok := s.guild(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
		return
	}
	writeJSON(w, http.StatusOK, g.json()["roles"])
}

// getMember answers GET /guilds/{id}/members/{user}.
func (s *Server) getMember(w http.ResponseWriter, r *http.Request) {
	guildID, userID := r.PathValue("id"), r.PathValue("user")
	if _, ok := s.guild(guildID); !ok {
		writeError(w, http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
		return
	}
	var m Member
	var ok bool
	s.st.read(func() { m, ok = s.world.members[guildID][userID] })
	if !ok {
		writeError(w, http.StatusNotFound, CodeUnknownMember, "Unknown Member")
		return
	}
	writeJSON(w, http.StatusOK, m.json())
}

func (s *Server) guild(id string) (Guild, bool) {
	var g Guild
	var ok bool
	s.st.read(func() { g, ok = s.world.guilds[id] })
	return g, ok
}

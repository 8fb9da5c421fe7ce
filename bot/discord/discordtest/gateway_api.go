package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// errNoSession is returned by dispatches before any client identified.
var errNoSession = errors.New("discordtest: no gateway session has identified yet")

// Dispatch sends an op 0 event of eventType with data d to every gateway
// session. A session whose connection is down gets it on RESUME.
func (s *Server) Dispatch(eventType string, d any) error {
	raw, err := toJSON(d)
	if err != nil {
		return fmt.Errorf("discordtest: encode %s: %w", eventType, err)
	}
	return s.gw.dispatch(eventType, raw)
}

// DispatchInteraction sends INTERACTION_CREATE with payload i (a
// json.RawMessage from SlashCommand, Autocomplete, Component or Click, or
// any value that encodes to an interaction). It registers the interaction
// so its callback is accepted, and its 3 s deadline starts now.
func (s *Server) DispatchInteraction(i any) error {
	raw, err := toJSON(i)
	if err != nil {
		return fmt.Errorf("discordtest: encode interaction: %w", err)
	}
	var regErr error
	s.st.update(func() { regErr = s.registerLocked(raw) })
	if regErr != nil {
		return regErr
	}
	return s.gw.dispatch("INTERACTION_CREATE", raw)
}

func toJSON(v any) (json.RawMessage, error) {
	switch v := v.(type) {
	case json.RawMessage:
		return v, nil
	case []byte:
		return json.RawMessage(v), nil
	}
	return json.Marshal(v)
}

// dispatch numbers, logs and sends one event to every session.
func (g *gateway) dispatch(eventType string, d json.RawMessage) error {
	var sessions []*gwSession
	g.b.read(func() {
		for _, sess := range g.sessions {
			sessions = append(sessions, sess)
		}
	})
	if len(sessions) == 0 {
		return errNoSession
	}
	for _, sess := range sessions {
		sess.mu.Lock()
		_ = sess.sendLocked(sess.conn, eventType, d) // a failed write is replayed on resume
		sess.mu.Unlock()
	}
	return nil
}

// WaitConnected waits until some session has a live connection that got
// READY or RESUMED.
func (s *Server) WaitConnected(timeout time.Duration) error {
	return s.gw.b.wait(timeout, "gateway connection", func() bool { return s.gw.live > 0 })
}

// DropConnection cuts every gateway connection without a close frame, as
// a network failure would, so the client has to reconnect and resume.
func (s *Server) DropConnection() {
	for _, c := range s.gw.connections() {
		s.gw.detach(c)
		_ = c.ws.Close()
	}
}

// RequestReconnect sends op 7 RECONNECT on every connection; discordgo
// then closes and resumes.
func (s *Server) RequestReconnect() {
	for _, c := range s.gw.connections() {
		_ = c.write(frame{Op: opReconnect})
	}
}

// SetHeartbeatACK turns heartbeat ACKs on (the default) or off; with them
// off a client should declare the connection a zombie and reconnect.
func (s *Server) SetHeartbeatACK(on bool) {
	s.gw.b.update(func() { s.gw.noACK = !on })
}

// Identifies returns every IDENTIFY received.
func (s *Server) Identifies() []Identify {
	var out []Identify
	s.gw.b.read(func() { out = slices.Clone(s.gw.identifies) })
	return out
}

// Resumes returns every RESUME received.
func (s *Server) Resumes() []Resume {
	var out []Resume
	s.gw.b.read(func() { out = slices.Clone(s.gw.resumes) })
	return out
}

// Heartbeats counts op 1 heartbeats received.
func (s *Server) Heartbeats() int {
	var n int
	s.gw.b.read(func() { n = s.gw.heartbeats })
	return n
}

func (g *gateway) connections() []*gwConn {
	var out []*gwConn
	g.b.read(func() {
		for c := range g.conns {
			out = append(out, c)
		}
	})
	return out
}

// closeAll refuses new connections and closes the open ones.
func (g *gateway) closeAll() {
	g.b.update(func() { g.closed = true })
	for _, c := range g.connections() {
		_ = c.ws.Close()
	}
}

// guildPayloads returns READY's unavailable guild stubs and the
// GUILD_CREATE payload of each configured guild.
func (s *Server) guildPayloads() (stubs []any, creates []any) {
	stubs = []any{}
	s.st.read(func() {
		for _, id := range slices.Sorted(maps.Keys(s.world.guilds)) {
			stubs = append(stubs, map[string]any{"id": id, "unavailable": true})
			creates = append(creates, s.guildCreateLocked(s.world.guilds[id]))
		}
	})
	return stubs, creates
}

func (s *Server) guildCreateLocked(g Guild) map[string]any {
	gc := g.json()
	channels := []any{}
	for _, id := range slices.Sorted(maps.Keys(s.world.channels)) {
		if c := s.world.channels[id]; c.GuildID == g.ID {
			channels = append(channels, c.json())
		}
	}
	members := []any{}
	for _, id := range slices.Sorted(maps.Keys(s.world.members[g.ID])) {
		members = append(members, s.world.members[g.ID][id].json())
	}
	gc["channels"] = channels
	gc["members"] = members
	gc["member_count"] = len(members)
	gc["joined_at"] = "2024-01-01T00:00:00.000000+00:00"
	gc["large"] = false
	gc["unavailable"] = false
	gc["threads"] = []any{}
	gc["presences"] = []any{}
	gc["voice_states"] = []any{}
	return gc
}

// WaitResumes waits until the gateway has received at least n RESUMEs and
// returns them all.
func (s *Server) WaitResumes(n int, timeout time.Duration) ([]Resume, error) {
	var out []Resume
	err := s.gw.b.wait(timeout, fmt.Sprintf("%d resumes", n), func() bool {
		out = slices.Clone(s.gw.resumes)
		return len(out) >= n
	})
	return out, err
}

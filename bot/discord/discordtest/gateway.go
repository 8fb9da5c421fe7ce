package discordtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway opcodes from Discord's reference.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opReconnect      = 7
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
)

// writeTimeout bounds one websocket write, so a stuck client cannot hang
// a test.
const writeTimeout = 5 * time.Second

// Identify is one IDENTIFY the gateway received.
type Identify struct {
	Token    string
	Intents  int
	Compress bool
}

// Resume is one RESUME the gateway received.
type Resume struct {
	SessionID string
	Seq       int64
	Accepted  bool // false: the gateway answered INVALID_SESSION
}

// frame is one gateway message; s and t are null except in dispatches.
type frame struct {
	Op int     `json:"op"`
	D  any     `json:"d"`
	S  *int64  `json:"s"`
	T  *string `json:"t"`
}

// gateway serves /gw. Its board guards the fields below it; a session's
// own mutex orders its sequence numbers and writes. Lock order: a
// session's mu before the board.
type gateway struct {
	s  *Server
	up websocket.Upgrader

	b          board
	closed     bool
	sessions   map[string]*gwSession
	conns      map[*gwConn]bool
	live       int // sessions with a ready connection
	identifies []Identify
	resumes    []Resume
	heartbeats int
	noACK      bool
}

// gwConn is one websocket connection.
type gwConn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	sess *gwSession // guarded by gateway.b
}

func (c *gwConn) write(f frame) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.ws.WriteJSON(f)
}

func newGateway(s *Server) *gateway {
	return &gateway{
		s:        s,
		up:       websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		sessions: map[string]*gwSession{},
		conns:    map[*gwConn]bool{},
	}
}

// serve runs one connection: HELLO, then the client's frames until it
// goes away.
func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := g.up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &gwConn{ws: ws}
	if !g.add(c) {
		return
	}
	defer g.remove(c)
	hello := map[string]any{"heartbeat_interval": g.s.cfg.HeartbeatInterval.Milliseconds()}
	if c.write(frame{Op: opHello, D: hello}) != nil {
		return
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var in struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(data, &in) != nil {
			g.closeWith(c, 4002, "Error while decoding payload.")
			return
		}
		if !g.handle(c, in.Op, in.D) {
			return
		}
	}
}

// handle answers one client frame and reports whether to keep reading.
func (g *gateway) handle(c *gwConn, op int, d json.RawMessage) bool {
	switch op {
	case opHeartbeat:
		var ack bool
		g.b.update(func() { g.heartbeats++; ack = !g.noACK })
		if ack {
			return c.write(frame{Op: opHeartbeatACK}) == nil
		}
	case opIdentify:
		return g.identify(c, d)
	case opResume:
		return g.resume(c, d)
	}
	return true // presence updates, member requests and the like are ignored
}

// add registers a connection unless the server is closing.
func (g *gateway) add(c *gwConn) bool {
	ok := true
	g.b.update(func() {
		if g.closed {
			ok = false
			return
		}
		g.conns[c] = true
	})
	if !ok {
		_ = c.ws.Close()
	}
	return ok
}

// remove forgets a finished connection.
func (g *gateway) remove(c *gwConn) {
	g.detach(c)
	g.b.update(func() { delete(g.conns, c) })
	_ = c.ws.Close()
}

// closeWith sends a close frame with a gateway close code.
func (g *gateway) closeWith(c *gwConn, code int, text string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	msg := websocket.FormatCloseMessage(code, text)
	_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeTimeout))
}

// tokenOK accepts the token with or without its "Bot " prefix.
func (g *gateway) tokenOK(token string) bool {
	return strings.TrimPrefix(token, "Bot ") == g.s.cfg.BotToken
}

// identify starts a new session: READY, then GUILD_CREATE for each
// configured guild, as Discord does for a bot.
func (g *gateway) identify(c *gwConn, d json.RawMessage) bool {
	var p struct {
		Token    string `json:"token"`
		Intents  int    `json:"intents"`
		Compress bool   `json:"compress"`
	}
	_ = json.Unmarshal(d, &p)
	g.b.update(func() {
		g.identifies = append(g.identifies, Identify{Token: p.Token, Intents: p.Intents, Compress: p.Compress})
	})
	if !g.tokenOK(p.Token) {
		g.closeWith(c, 4004, "Authentication failed.")
		return false
	}
	var already bool
	g.b.read(func() { already = c.sess != nil })
	if already {
		g.closeWith(c, 4005, "Already authenticated.")
		return false
	}
	sess := &gwSession{id: newSessionID()}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	guilds, creates := g.s.guildPayloads()
	ready := map[string]any{
		"v":                  10,
		"user":               g.s.botUser(),
		"guilds":             guilds,
		"session_id":         sess.id,
		"session_type":       "normal",
		"resume_gateway_url": g.s.GatewayURL(),
		"shard":              []int{0, 1},
		"application":        map[string]any{"id": g.s.cfg.AppID, "flags": 0},
		"private_channels":   []any{},
		"relationships":      []any{},
		"presences":          []any{},
		"user_settings":      map[string]any{},
	}
	if sess.sendLocked(c, "READY", ready) != nil {
		return false
	}
	for _, gc := range creates {
		if sess.sendLocked(c, "GUILD_CREATE", gc) != nil {
			return false
		}
	}
	g.attachLocked(sess, c)
	return true
}

// resume reattaches a connection to its session, replays the dispatches
// it missed and sends RESUMED. An unknown session gets INVALID_SESSION,
// after which the client identifies again.
func (g *gateway) resume(c *gwConn, d json.RawMessage) bool {
	var p struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	_ = json.Unmarshal(d, &p)
	var sess *gwSession
	g.b.read(func() { sess = g.sessions[p.SessionID] })
	ok := sess != nil && g.tokenOK(p.Token)
	g.b.update(func() { g.resumes = append(g.resumes, Resume{SessionID: p.SessionID, Seq: p.Seq, Accepted: ok}) })
	if !ok {
		return c.write(frame{Op: opInvalidSession, D: false}) == nil
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	for _, f := range sess.log {
		if *f.S > p.Seq && c.write(f) != nil {
			return false
		}
	}
	if sess.sendLocked(c, "RESUMED", map[string]any{}) != nil {
		return false
	}
	g.attachLocked(sess, c)
	return true
}

// attachLocked makes c the session's live connection, closing any older
// one. The caller holds sess.mu.
func (g *gateway) attachLocked(sess *gwSession, c *gwConn) {
	old := sess.conn
	sess.conn = c
	g.b.update(func() {
		g.sessions[sess.id] = sess
		c.sess = sess
		if old == nil {
			g.live++
		} else {
			old.sess = nil
		}
	})
	if old != nil {
		_ = old.ws.Close()
	}
}

// detach unlinks c from its session, if it is still the live connection.
func (g *gateway) detach(c *gwConn) {
	var sess *gwSession
	g.b.read(func() { sess = c.sess })
	if sess == nil {
		return
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	if sess.conn != c {
		return
	}
	sess.conn = nil
	g.b.update(func() {
		g.live--
		c.sess = nil
	})
}

func newSessionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24.
	return hex.EncodeToString(b[:])
}

// gwSession is one identified session: its sequence, the dispatches sent
// (for resume) and its live connection, if any.
type gwSession struct {
	id   string
	mu   sync.Mutex
	seq  int64
	log  []frame
	conn *gwConn
}

// sendLocked numbers a dispatch, logs it and writes it to c. The caller
// holds s.mu.
func (s *gwSession) sendLocked(c *gwConn, eventType string, d any) error {
	s.seq++
	seq, t := s.seq, eventType
	f := frame{Op: opDispatch, D: d, S: &seq, T: &t}
	s.log = append(s.log, f)
	if c == nil {
		return nil
	}
	if err := c.write(f); err != nil {
		return fmt.Errorf("write %s: %w", eventType, err)
	}
	return nil
}

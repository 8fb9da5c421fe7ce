package discordtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Config sets the fake's identity and timing. Zero fields take the defaults
// noted on each field.
type Config struct {
	AppID    string // DefaultAppID; also the bot user's id, as for modern apps
	BotToken string // DefaultBotToken; REST calls must send "Bot <BotToken>"
	BotName  string // "dubbot-test"
	OwnerID  string // DefaultOwnerID; the application owner

	// HeartbeatInterval is sent in HELLO: 45 s by default, like Discord.
	// Heartbeat tests use something small such as 100 ms.
	HeartbeatInterval time.Duration

	// InteractionDeadline is how long after dispatch an interaction can
	// still be acknowledged: 3 s by default; negative disables the check.
	InteractionDeadline time.Duration
}

func (c Config) withDefaults() Config {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&c.AppID, DefaultAppID)
	def(&c.BotToken, DefaultBotToken)
	def(&c.BotName, "dubbot-test")
	def(&c.OwnerID, DefaultOwnerID)
	if c.HeartbeatInterval <= 0 {
		c.HeartbeatInterval = 45 * time.Second
	}
	if c.InteractionDeadline == 0 {
		c.InteractionDeadline = 3 * time.Second
	}
	return c
}

// Server is a fake Discord listening on loopback. All methods are safe for
// concurrent use.
type Server struct {
	// AppID is the application id, which is also the bot user's id.
	AppID string
	// BotToken is the token REST calls and IDENTIFY must carry.
	BotToken string

	cfg  Config
	ids  idSource
	srv  *httptest.Server
	rest http.Handler
	gw   *gateway

	st     board // guards everything below
	rec    records
	world  world
	faults faults
	inter  interactions
	cmds   commandStore
}

// New starts a fake Discord with default Config.
func New() *Server {
	return NewWith(Config{})
}

// NewWith starts a fake Discord with cfg.
func NewWith(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{AppID: cfg.AppID, BotToken: cfg.BotToken, cfg: cfg}
	s.world = newWorld()
	s.inter = newInteractions()
	s.cmds = newCommandStore()
	s.rest = s.restHandler()
	s.gw = newGateway(s)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Close drops every gateway connection and stops the server.
func (s *Server) Close() {
	s.gw.closeAll()
	s.srv.Close()
}

// URL is the server's base, e.g. "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the REST root to give the bot as DISCORD_API_URL.
func (s *Server) APIURL() string { return s.srv.URL + "/api/v10" }

// GatewayURL is the websocket URL that GET /gateway returns.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gw"
}

// serveHTTP splits traffic between the gateway and the REST API.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/gw" || strings.HasPrefix(r.URL.Path, "/gw/"):
		s.gw.serve(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/"):
		s.rest.ServeHTTP(w, r)
	default:
		writeNotFound(w)
	}
}

// botUser is the bot's user object as Discord sends it.
func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id":            s.cfg.AppID,
		"username":      s.cfg.BotName,
		"discriminator": "0",
		"global_name":   nil,
		"avatar":        nil,
		"bot":           true,
		"public_flags":  0,
	}
}

// userObject is a non-bot user object as Discord sends it.
func userObject(id, name string) map[string]any {
	return map[string]any{
		"id":            id,
		"username":      name,
		"discriminator": "0",
		"global_name":   name,
		"avatar":        nil,
		"public_flags":  0,
	}
}

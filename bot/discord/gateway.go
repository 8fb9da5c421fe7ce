package discord

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"dubbot/bot"
)

// Gateway receives interactions over Discord's websocket gateway and hands
// them to the router; answers go out through REST.
type Gateway struct {
	session    *discordgo.Session
	rest       *REST
	router     *bot.Router
	appID      string
	deferAfter time.Duration
	log        *slog.Logger
	ctx        context.Context
	wg         sync.WaitGroup
	mu         sync.Mutex
	closed     bool
}

// GatewayConfig configures a gateway connection.
type GatewayConfig struct {
	Token  string
	APIURL string // DISCORD_API_URL; the gateway URL is discovered through it
	AppID  string
	Router *bot.Router
	REST   *REST
	Logger *slog.Logger
	// DeferAfter is how long a handler may run before the interaction is
	// deferred; zero means bot.DeferAfter.
	DeferAfter time.Duration
}

// NewGateway prepares a gateway connection; Open connects it.
func NewGateway(cfg GatewayConfig) (*Gateway, error) {
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("create discord session: %w", err)
	}
	rt, err := RewriteTransport(cfg.APIURL, http.DefaultTransport)
	if err != nil {
		return nil, err
	}
	// Open takes no context: the timeout keeps a hanging gateway lookup
	// from hanging start-up.
	s.Client = &http.Client{Transport: rt, Timeout: 20 * time.Second}
	s.Identify.Intents = discordgo.IntentsGuilds
	s.LogLevel = discordgo.LogWarning
	if cfg.DeferAfter <= 0 {
		cfg.DeferAfter = bot.DeferAfter
	}
	g := &Gateway{session: s, rest: cfg.REST, router: cfg.Router, appID: cfg.AppID, deferAfter: cfg.DeferAfter, log: cfg.Logger}
	s.AddHandler(g.onInteraction)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		g.log.Info("gateway ready", slog.String("user", r.User.Username), slog.Int("guilds", len(r.Guilds)))
	})
	return g, nil
}

// Open connects to the gateway. Interactions handled later use ctx as their
// parent, so cancelling it stops new work.
func (g *Gateway) Open(ctx context.Context) error {
	g.ctx = ctx
	if err := g.session.Open(); err != nil {
		return fmt.Errorf("connect to discord gateway: %w", err)
	}
	return nil
}

// Close stops taking interactions, waits for the ones in flight to be
// answered, and disconnects.
func (g *Gateway) Close() error {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.wg.Wait()
	g.session.ShouldReconnectOnError = false
	return g.session.Close()
}

func (g *Gateway) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return
	}
	g.wg.Add(1)
	g.mu.Unlock()
	defer g.wg.Done()
	req, err := ToRequest(ic.Interaction)
	if err != nil {
		g.log.Warn("ignored interaction", slog.Any("error", err))
		return
	}
	t := g.rest.Transport(g.appID, ic.ID, ic.Token)
	if err := g.router.Serve(g.ctx, req, t, g.deferAfter); err != nil {
		g.log.Error("answer interaction", slog.String("command", req.Command), slog.Any("error", err))
	}
}

// RewriteTransport sends requests meant for https://discord.com/api/vN/ to
// base instead (DISCORD_API_URL), so a fake Discord can stand in for the
// real one.
func RewriteTransport(base string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("discord API URL %q is not an absolute URL", base)
	}
	return &rewrite{base: u, next: next}, nil
}

type rewrite struct {
	base *url.URL
	next http.RoundTripper
}

func (rw *rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "discord.com" {
		return rw.next.RoundTrip(req)
	}
	rest := req.URL.Path
	if strings.HasPrefix(rest, "/api/v") {
		if i := strings.Index(rest[len("/api/v"):], "/"); i >= 0 {
			rest = rest[len("/api/v")+i:]
		}
	}
	out := req.Clone(req.Context())
	u := *rw.base
	u.Path = rw.base.Path + rest
	u.RawQuery = req.URL.RawQuery
	out.URL, out.Host = &u, u.Host
	return rw.next.RoundTrip(out)
}

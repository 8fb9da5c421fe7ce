package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dubbot/bot"
	"dubbot/bot/discord"
	"dubbot/config"
	"dubbot/jobs"
	"dubbot/metrics"
	"dubbot/secret"
	"dubbot/store"
	"dubbot/upstream/httpx"
)

// App is the composition root: every long-lived object is built here, by
// hand, and passed to what needs it.
type App struct {
	cfg     *config.Config
	log     *slog.Logger
	db      *store.DB
	box     *secret.Box
	metrics *metrics.Set
	router  *bot.Router
	rest    *discord.REST // nil without DISCORD_TOKEN
	jobs    *jobs.Runner
	owners  owners
	svc     services
	// serving is set while runBot serves, so operator commands sent over
	// the control API know the queue workers are running.
	serving atomic.Bool
	// background counts small store writes started off a command's path;
	// Close waits for them.
	background sync.WaitGroup
}

// consoleUserID is the operator at the console. Discord ids are never 0, so
// it cannot be claimed from Discord.
const consoleUserID = "0"

// openApp opens the store (failing fast with store.ErrLocked when a running
// bot holds it) and builds every service.
func openApp(ctx context.Context, cfg *config.Config, log *slog.Logger, lockTimeout time.Duration) (*App, error) {
	db, err := store.Open(cfg.DataDir, store.Options{LockTimeout: lockTimeout})
	if err != nil {
		return nil, err
	}
	app := &App{cfg: cfg, log: log, db: db, metrics: metrics.NewSet()}
	app.owners.add(consoleUserID)
	if err := app.build(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return app, nil
}

func (a *App) build(ctx context.Context) error {
	key := a.cfg.SecretKey
	if key == nil {
		k, created, err := secret.LoadOrCreateKeyFile(a.cfg.DataDir)
		if err != nil {
			return err
		}
		if created {
			a.log.Info("generated a new secret key", slog.String("file", secret.KeyFileName))
		}
		key = k
	}
	box, err := secret.New(key)
	if err != nil {
		return err
	}
	if err := a.db.CheckKey(box); err != nil {
		return err
	}
	a.box = box
	for _, id := range a.cfg.OwnerIDs {
		a.owners.add(id)
	}
	if a.cfg.DiscordToken != "" {
		// Counted in /metrics like every other upstream; Discord's own
		// limits are handled inside REST.
		a.rest = discord.NewREST(a.cfg.DiscordAPIURL, a.cfg.DiscordToken, httpx.NewClient(nil, a.metrics, 15*time.Second), a.log)
	}
	if err := a.buildServices(); err != nil {
		return err
	}
	router, err := bot.NewRouter(a.commands(), bot.RouterOptions{
		IsOwner:  a.owners.has,
		Logger:   a.log,
		Observer: a.metrics,
		Notices:  a.svc.notify.TakeNotices,
	})
	if err != nil {
		return fmt.Errorf("build command table: %w", err)
	}
	a.router = router
	a.jobs = jobs.New(a.db, a.log, a.metrics, nil, a.jobList()...)
	return nil
}

// Close waits for background writes and releases the store.
func (a *App) Close() error {
	a.background.Wait()
	return a.db.Close()
}

// loadConfig reads settings with flag overrides and builds the logger.
func loadConfig(env *Env, overrides map[string]string) (*config.Config, *slog.Logger, error) {
	cfg, err := config.Load(env.Getenv, overrides)
	if err != nil {
		return nil, nil, err
	}
	return cfg, newLogger(env.Stderr, cfg), nil
}

func newLogger(w io.Writer, cfg *config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// splitCommon takes --data-dir and --http-addr out of args, which every
// subcommand accepts, and returns them as config overrides.
func splitCommon(args []string) (map[string]string, []string, error) {
	flags := map[string]string{"data-dir": "DUBBOT_DATA_DIR", "http-addr": "DUBBOT_HTTP_ADDR"}
	overrides := map[string]string{}
	var rest []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		env, ok := flags[name]
		if !ok || !strings.HasPrefix(arg, "-") {
			rest = append(rest, arg)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, nil, fmt.Errorf("--%s needs a value", name)
			}
			i++
			value = args[i]
		}
		overrides[env] = value
	}
	return overrides, rest, nil
}

// describeOpenError turns store errors into operator advice.
func describeOpenError(err error, cfg *config.Config) string {
	if errors.Is(err, store.ErrLocked) {
		return fmt.Sprintf("another dubbot process is using %s/%s; stop it first, or run this command while it serves its HTTP API on %s", cfg.DataDir, store.FileName, cfg.HTTPAddr)
	}
	return err.Error()
}

// owners are the users allowed owner-only commands. The application's owner
// is learnt while interactions are already being answered, hence the lock.
type owners struct {
	mu  sync.RWMutex
	ids map[string]bool
}

func (o *owners) add(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ids == nil {
		o.ids = map[string]bool{}
	}
	o.ids[id] = true
}

func (o *owners) has(id string) bool {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.ids[id]
}

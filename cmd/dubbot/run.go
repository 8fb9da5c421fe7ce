package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dubbot/bot/console"
	"dubbot/bot/discord"
	"dubbot/bot/interactions"
	"dubbot/config"
	"dubbot/jobs"
	"dubbot/web"
)

// runBot runs the bot until ctx ends: HTTP server, jobs, and the gateway
// when a token is set.
func runBot(ctx context.Context, env *Env, args []string) int {
	overrides, rest, err := splitCommon(args)
	if err != nil || len(rest) > 0 {
		fmt.Fprintf(env.Stderr, "dubbot run: unexpected arguments %v\n", rest)
		return exitUsage
	}
	cfg, log, err := loadConfig(env, overrides)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot:", err)
		return exitFail
	}
	app, err := openApp(ctx, cfg, log, 2*time.Second)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot:", describeOpenError(err, cfg))
		return exitFail
	}
	defer app.Close()
	if err := app.serve(ctx); err != nil {
		log.Error("dubbot stopped", slog.Any("error", err))
		return exitFail
	}
	return exitOK
}

// serve runs until ctx is cancelled, then shuts down in order: stop taking
// interactions (gateway, then the HTTP server), let jobs finish or
// checkpoint, stop the queue workers. Whatever started is stopped the same
// way when start-up fails half-way.
func (a *App) serve(ctx context.Context) (err error) {
	var stops []func()
	defer func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}()
	appID, err := a.resolveApplication(ctx)
	if err != nil {
		return err
	}
	token, err := writeControlToken(a.cfg.DataDir)
	if err != nil {
		return err
	}
	stops = append(stops, func() { os.Remove(filepath.Join(a.cfg.DataDir, controlTokenFile)) })
	if err := a.svc.catalog.Load(); err != nil {
		return err
	}
	if n, err := a.svc.queue.Recover(); err != nil {
		return err
	} else if n > 0 {
		a.log.Info("queue items resumed after a restart", slog.Int("items", n))
	}
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	workersDone := make(chan struct{})
	go func() {
		defer close(workersDone)
		a.svc.queue.Run(workCtx)
	}()
	stops = append(stops, func() {
		// Items in flight are left downloading and resume at the next start.
		stopWork()
		<-workersDone
	})
	a.serving.Store(true)
	stops = append(stops, func() { a.serving.Store(false) })
	if err := a.jobs.Start(ctx); err != nil {
		return err
	}
	stops = append(stops, func() {
		if err := a.jobs.Stop(); err != nil {
			a.log.Warn("stop jobs", slog.Any("error", err))
		}
	})
	srv, err := web.Listen(a.cfg.HTTPAddr, web.Handler(a.routes(ctx, appID, token)), a.log)
	if err != nil {
		return err
	}
	a.log.Info("http server listening", slog.String("addr", srv.Addr()))
	stops = append(stops, func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			a.log.Warn("stop http server", slog.Any("error", err))
		}
	})
	if a.cfg.DiscordToken == "" {
		a.log.Warn("DISCORD_TOKEN is not set: serving HTTP and jobs only")
	} else {
		gw, err := discord.NewGateway(discord.GatewayConfig{
			Token: a.cfg.DiscordToken, APIURL: a.cfg.DiscordAPIURL, AppID: appID,
			Router: a.router, REST: a.rest, Logger: a.log,
		})
		if err == nil {
			err = gw.Open(ctx)
		}
		if err != nil {
			return err
		}
		stops = append(stops, func() {
			if err := gw.Close(); err != nil {
				a.log.Warn("close gateway", slog.Any("error", err))
			}
		})
	}
	<-ctx.Done()
	a.log.Info("shutting down")
	return nil
}

// routes are the HTTP server's handlers.
func (a *App) routes(ctx context.Context, appID, token string) web.Routes {
	routes := web.Routes{
		Health:  a.health,
		Metrics: a.metrics.Registry,
		Control: a.controlHandler(token),
		OAuth:   a.svc.link.Handler(),
	}
	if a.cfg.DiscordPublicKey != nil {
		routes.Interactions = &interactions.Handler{
			PublicKey: a.cfg.DiscordPublicKey, Router: a.router, REST: a.rest,
			AppID: appID, Log: a.log, Context: ctx,
		}
	}
	return routes
}

// resolveApplication learns the application id (when not configured) and
// its owners, who may use owner-only commands.
func (a *App) resolveApplication(ctx context.Context) (string, error) {
	if a.rest == nil {
		return a.cfg.DiscordAppID, nil
	}
	app, err := a.rest.Application(ctx)
	if err != nil {
		if a.cfg.DiscordAppID == "" {
			return "", fmt.Errorf("learn the application id (or set DISCORD_APP_ID): %w", err)
		}
		a.log.Warn("could not read the application's owners", slog.Any("error", err))
		return a.cfg.DiscordAppID, nil
	}
	for _, id := range append(app.Team, app.Owner) {
		if id != "" {
			a.owners.add(id)
		}
	}
	if a.cfg.DiscordAppID != "" {
		return a.cfg.DiscordAppID, nil
	}
	return app.ID, nil
}

func (a *App) health(ctx context.Context) web.Health {
	h := web.Health{OK: true, Store: "ok", Jobs: map[string]web.JobInfo{}}
	if err := a.db.Ping(); err != nil {
		h.OK, h.Store = false, err.Error()
		return h
	}
	runs, err := jobs.LastRuns(a.db)
	if err != nil {
		h.OK, h.Store = false, err.Error()
		return h
	}
	for name, r := range runs {
		h.Jobs[name] = web.JobInfo{LastRun: r.Started, OK: r.Error == "", Error: r.Error, Duration: r.Duration.String()}
	}
	return h
}

// runConsole is the interactive console: on the store directly, or line by
// line through the running bot.
func runConsole(ctx context.Context, env *Env, args []string) int {
	overrides, rest, err := splitCommon(args)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot console:", err)
		return exitUsage
	}
	fs := flag.NewFlagSet("console", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	who := identityFlags(fs)
	if err := fs.Parse(rest); err != nil {
		return exitUsage
	}
	return withApp(ctx, env, overrides, func(cfg *config.Config) int {
		return remoteConsole(ctx, env, cfg, rest)
	}, func(app *App) int {
		identity, err := who()
		if err != nil {
			fmt.Fprintln(env.Stderr, "dubbot console:", err)
			return exitUsage
		}
		if err := console.REPL(ctx, app.router, identity, env.Stdin, env.Stdout); err != nil {
			fmt.Fprintln(env.Stderr, "dubbot console:", err)
			return exitFail
		}
		return exitOK
	})
}

// remoteConsole is the console while a bot holds the store: each line is
// asked of the running bot. Buttons cannot be pressed this way.
func remoteConsole(ctx context.Context, env *Env, cfg *config.Config, identity []string) int {
	fmt.Fprintln(env.Stdout, "dubbot console (through the running bot): type a slash command, or quit.")
	lines, _ := console.ReadLines(env.Stdin)
	for {
		fmt.Fprint(env.Stdout, "> ")
		var line string
		select {
		case <-ctx.Done():
			fmt.Fprintln(env.Stdout)
			return exitOK
		case l, ok := <-lines:
			if !ok {
				fmt.Fprintln(env.Stdout)
				return exitOK
			}
			line = strings.TrimSpace(l)
		}
		switch {
		case line == "":
			continue
		case line == "quit" || line == "exit":
			return exitOK
		}
		args := append(append([]string(nil), identity...), line)
		forward(ctx, cfg, "ask", args, env.Stdout, env.Stdout)
	}
}

// register bulk-overwrites the slash commands with Discord.
func (a *App) register(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("register", flag.ContinueOnError)
	fs.SetOutput(stderr)
	guild := fs.String("guild", "", "register in this server only (takes effect at once)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if a.rest == nil {
		fmt.Fprintln(stderr, "dubbot register: DISCORD_TOKEN is not set")
		return exitFail
	}
	appID, err := a.resolveApplication(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "dubbot register:", err)
		return exitFail
	}
	n, err := a.rest.Register(ctx, appID, *guild, a.router.Registration())
	if err != nil {
		fmt.Fprintln(stderr, "dubbot register:", err)
		return exitFail
	}
	where := "globally (they may take a while to appear)"
	if *guild != "" {
		where = "in server " + *guild
	}
	fmt.Fprintf(stdout, "registered %d commands %s\n", n, where)
	return exitOK
}

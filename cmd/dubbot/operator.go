package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"dubbot/bot"
	"dubbot/bot/console"
	"dubbot/catalog"
	"dubbot/config"
	"dubbot/store"
)

// operatorLockTimeout is how long ask, refresh and queue wait for the store
// before handing their work to the running bot.
const operatorLockTimeout = 300 * time.Millisecond

// runOperator runs ask, refresh or queue: on the store directly when no bot
// holds it, otherwise through the running bot's control API.
func runOperator(ctx context.Context, env *Env, name string, args []string) int {
	overrides, rest, err := splitCommon(args)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot:", err)
		return exitUsage
	}
	return withApp(ctx, env, overrides, func(cfg *config.Config) int {
		return forward(ctx, cfg, name, rest, env.Stdout, env.Stderr)
	}, func(app *App) int {
		return app.operate(ctx, name, rest, env.Stdout, env.Stderr)
	})
}

// withApp loads the settings and opens the app for an operator command. When
// a running bot holds the store, onLocked runs instead (nil: report it).
func withApp(ctx context.Context, env *Env, overrides map[string]string, onLocked func(*config.Config) int, fn func(*App) int) int {
	cfg, log, err := loadConfig(env, overrides)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot:", err)
		return exitFail
	}
	app, err := openApp(ctx, cfg, log, operatorLockTimeout)
	if errors.Is(err, store.ErrLocked) && onLocked != nil {
		return onLocked(cfg)
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "dubbot:", describeOpenError(err, cfg))
		return exitFail
	}
	defer app.Close()
	return fn(app)
}

// operate runs one operator subcommand against this app; the control API
// calls it too, so both paths behave the same.
func (a *App) operate(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	switch name {
	case "ask":
		return a.ask(ctx, args, stdout, stderr)
	case "refresh":
		return a.refresh(ctx, args, stdout, stderr)
	case "queue":
		return a.queueCommand(ctx, args, stdout, stderr)
	case "register":
		return a.register(ctx, args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "dubbot: %s cannot run here\n", name)
	return exitUsage
}

func (a *App) ask(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the interaction response payload Discord would receive")
	complete := fs.Bool("autocomplete", false, "ask for autocomplete choices for the last option typed")
	who := identityFlags(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	identity, err := who()
	if err != nil {
		fmt.Fprintln(stderr, "dubbot ask:", err)
		return exitUsage
	}
	line := strings.Join(fs.Args(), " ")
	if line == "" {
		fmt.Fprintln(stderr, "dubbot ask: give a slash command, for example: dubbot ask '/dub title:frieren'")
		return exitUsage
	}
	run := console.Ask
	if *complete {
		run = console.Complete
	}
	resp, err := run(ctx, a.router, identity, line)
	if err != nil {
		fmt.Fprintln(stderr, "dubbot ask:", err)
		return exitUsage
	}
	if *asJSON {
		if err := console.JSON(stdout, resp); err != nil {
			fmt.Fprintln(stderr, "dubbot ask:", err)
			return exitFail
		}
		return exitOK
	}
	console.Render(stdout, resp)
	return exitOK
}

// identityFlags declares who the console acts as. By default it is the
// operator: a bot owner with every permission.
func identityFlags(fs *flag.FlagSet) func() (console.Identity, error) {
	user := fs.String("user", consoleUserID, "Discord user id to act as")
	guild := fs.String("guild", "", "Discord server id to act in (empty: a DM)")
	channel := fs.String("channel", "", "channel id the command is typed in")
	perms := fs.String("permissions", strconv.FormatInt(int64(bot.PermissionAdministrator), 10), "the member's permission bits")
	return func() (console.Identity, error) {
		p, err := strconv.ParseInt(*perms, 10, 64)
		if err != nil || p < 0 {
			return console.Identity{}, fmt.Errorf("--permissions %q: want the permission bits as a number, e.g. 32 for Manage Server", *perms)
		}
		return console.Identity{UserID: *user, UserName: "console", GuildID: *guild, ChannelID: *channel, Permissions: bot.Permission(p)}, nil
	}
}

// refresh runs jobs once and prints what each found; any failure makes the
// exit code non-zero.
func (a *App) refresh(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	which := "all"
	if len(args) > 0 {
		which = args[0]
	}
	if len(args) > 1 {
		fmt.Fprintln(stderr, "dubbot refresh: give one of dubs, airing, sync, all")
		return exitUsage
	}
	var names []string
	switch which {
	case "all":
		names = refreshOrder
	case jobDubs, jobAiring, jobSync:
		names = []string{which}
	default:
		fmt.Fprintf(stderr, "dubbot refresh: unknown job %q; give one of dubs, airing, sync, all\n", which)
		return exitUsage
	}
	code := exitOK
	for _, name := range names {
		summary, err := a.jobs.RunNow(ctx, name)
		if err != nil {
			fmt.Fprintf(stderr, "%s: FAILED: %v\n", name, err)
			code = exitFail
			continue
		}
		fmt.Fprintf(stdout, "%s: %s\n", name, summary)
	}
	return code
}

// queueCommand is `dubbot queue status|pause|resume|retry|clear|drain|crawl`.
func (a *App) queueCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	action := "status"
	if len(args) > 0 {
		action, args = args[0], args[1:]
	}
	q := a.svc.queue
	var err error
	switch action {
	case "status":
	case "pause", "resume":
		err = q.SetPaused(action == "pause")
	case "retry":
		var n int
		if n, err = q.Retry(); err == nil {
			fmt.Fprintf(stdout, "%d failed items queued again\n", n)
		}
	case "clear":
		var n int
		if n, err = q.Clear(); err == nil {
			fmt.Fprintf(stdout, "%d completed items removed\n", n)
		}
	case "drain":
		err = a.drain(ctx, stdout)
	case "crawl":
		err = a.crawl(args, stdout)
	default:
		fmt.Fprintf(stderr, "dubbot queue: unknown action %q; give one of status, pause, resume, retry, clear, drain, crawl\n", action)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, "dubbot queue:", err)
		return exitFail
	}
	summary, err := queueView{q, a.db}.Summary(20)
	if err != nil {
		fmt.Fprintln(stderr, "dubbot queue:", err)
		return exitFail
	}
	fmt.Fprint(stdout, summary)
	return exitOK
}

func (a *App) crawl(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	pages := fs.Int("pages", 0, "fetch at most this many catalog pages (0: all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pages < 0 {
		return fmt.Errorf("--pages %d: want 0 (all) or more", *pages)
	}
	var first int
	err := a.db.Update(func(tx *store.Tx) (err error) {
		first, err = catalog.StartCrawl(tx, *pages, time.Now())
		return err
	})
	if err != nil {
		return fmt.Errorf("start crawl: %w", err)
	}
	a.svc.queue.Notify()
	if *pages > 0 {
		fmt.Fprintf(stdout, "catalog crawl queued: pages %d to %d\n", first, first+*pages-1)
	} else {
		fmt.Fprintf(stdout, "catalog crawl queued from page %d to the end\n", first)
	}
	return nil
}

// drain works the queue until nothing is left to do. In a running bot the
// workers are already at it, so it waits for them.
func (a *App) drain(ctx context.Context, stdout io.Writer) error {
	if a.serving.Load() {
		return a.svc.queue.WaitEmpty(ctx)
	}
	if _, err := a.svc.queue.Recover(); err != nil {
		return err
	}
	return a.svc.queue.Drain(ctx)
}

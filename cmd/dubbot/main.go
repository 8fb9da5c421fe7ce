// Command dubbot is the English-dub companion bot for Discord: it runs the
// bot, its local console, and the operator's subcommands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `dubbot: the English-dub companion for Discord.

Usage:
  dubbot                      run the bot (or the local console when DISCORD_TOKEN is unset)
  dubbot run                  run the bot: gateway, HTTP server, scheduled jobs
  dubbot console              type slash commands locally, as in Discord's chat box
  dubbot ask [--json] [--user ID] [--guild ID] [--permissions N] [--autocomplete] '/command opt:value'
  dubbot refresh [dubs|airing|sync|all]
  dubbot register [--guild ID]
  dubbot queue [status|pause|resume|retry|clear|drain|crawl [--pages N]]
  dubbot healthcheck          exit 0 when the running bot's /healthz says OK (for Docker)

Settings come from the environment (see README.md); --data-dir and
--http-addr override DUBBOT_DATA_DIR and DUBBOT_HTTP_ADDR.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// Main runs one dubbot invocation and returns its exit code.
func Main(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	name, args := subcommand(args)
	env := &Env{Getenv: getenv, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	switch name {
	case "":
		if getenv("DISCORD_TOKEN") == "" {
			fmt.Fprintln(stderr, "DISCORD_TOKEN is not set, so dubbot starts its local console instead of connecting to Discord.")
			return runConsole(ctx, env, args)
		}
		return runBot(ctx, env, args)
	case "run":
		return runBot(ctx, env, args)
	case "console":
		return runConsole(ctx, env, args)
	case "ask", "refresh", "queue", "register":
		return runOperator(ctx, env, name, args)
	case "healthcheck":
		return healthcheck(ctx, env, args)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "dubbot: unknown subcommand %q\n\n%s", name, usage)
		return exitUsage
	}
}

// subcommand finds the subcommand even after the flags every subcommand
// takes (`dubbot --data-dir d queue status`), and returns the other
// arguments with those flags in front.
func subcommand(args []string) (string, []string) {
	var common []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "-h" || arg == "--help" || arg == "-help":
			return "help", nil
		case strings.HasPrefix(arg, "-"):
			common = append(common, arg)
			if !strings.Contains(arg, "=") && i+1 < len(args) {
				i++
				common = append(common, args[i])
			}
		default:
			return arg, append(common, args[i+1:]...)
		}
	}
	return "", common
}

// Env is the process's outside world, so tests can run Main in-process.
type Env struct {
	Getenv         func(string) string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

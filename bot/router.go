package bot

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"
)

// Observer records what the router did; the metrics package implements it.
type Observer interface {
	ObserveInteraction(command, outcome string, d time.Duration)
}

// RouterOptions configure a Router.
type RouterOptions struct {
	// IsOwner tells whether a user may run OwnerOnly commands.
	IsOwner  func(userID string) bool
	Logger   *slog.Logger
	Observer Observer
	// Notices returns (and forgets) messages waiting for a user, shown
	// privately after their next command.
	Notices func(userID string) []string
}

// Router turns requests into responses using the command table. It enforces
// each command's declared permission so handlers never check it themselves.
type Router struct {
	top        []*Command
	byPath     map[string]*Command
	pathOf     map[*Command]string
	parentOf   map[*Command]*Command
	components map[string]componentRoute
	opts       RouterOptions
}

type componentRoute struct {
	cmd     *Command
	handler Handler
}

var commandName = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)

// NewRouter validates the table against Discord's limits and builds a
// router. A /help command listing the table is added.
func NewRouter(commands []*Command, opts RouterOptions) (*Router, error) {
	if opts.IsOwner == nil {
		opts.IsOwner = func(string) bool { return false }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Router{
		byPath:     map[string]*Command{},
		pathOf:     map[*Command]string{},
		parentOf:   map[*Command]*Command{},
		components: map[string]componentRoute{},
		opts:       opts,
	}
	all := append(append([]*Command(nil), commands...), r.helpCommand())
	for _, c := range all {
		if err := r.add(c, nil); err != nil {
			return nil, err
		}
	}
	r.top = all
	return r, nil
}

func (r *Router) add(c *Command, parent *Command) error {
	path := c.Name
	if parent != nil {
		path = parent.Name + " " + c.Name
		r.parentOf[c] = parent
	}
	if err := validateCommand(c, path); err != nil {
		return err
	}
	if _, dup := r.byPath[path]; dup {
		return fmt.Errorf("command /%s declared twice", path)
	}
	r.byPath[path] = c
	r.pathOf[c] = path
	for prefix, h := range c.Components {
		if strings.Contains(prefix, ":") {
			return fmt.Errorf("/%s: component prefix %q must not contain ':'", path, prefix)
		}
		if _, dup := r.components[prefix]; dup {
			return fmt.Errorf("/%s: component prefix %q declared twice", path, prefix)
		}
		r.components[prefix] = componentRoute{cmd: c, handler: h}
	}
	for _, sub := range c.Subcommands {
		if err := r.add(sub, c); err != nil {
			return err
		}
	}
	return nil
}

func validateCommand(c *Command, path string) error {
	switch {
	case !commandName.MatchString(c.Name):
		return fmt.Errorf("/%s: name must be 1-32 lowercase letters, digits, - or _", path)
	case c.Description == "" || len([]rune(c.Description)) > 100:
		return fmt.Errorf("/%s: description must be 1-100 characters", path)
	case len(c.Options) > 25 || len(c.Subcommands) > 25:
		return fmt.Errorf("/%s: at most 25 options or subcommands", path)
	case len(c.Subcommands) > 0 && (len(c.Options) > 0 || c.Run != nil):
		return fmt.Errorf("/%s: a command group has no options or handler of its own", path)
	case len(c.Subcommands) == 0 && c.Run == nil:
		return fmt.Errorf("/%s: no handler", path)
	}
	seen := map[string]bool{}
	for _, o := range c.Options {
		if !commandName.MatchString(o.Name) || seen[o.Name] {
			return fmt.Errorf("/%s: option %q is badly named or repeated", path, o.Name)
		}
		if o.Description == "" || len([]rune(o.Description)) > 100 {
			return fmt.Errorf("/%s %s: description must be 1-100 characters", path, o.Name)
		}
		if o.Autocomplete && (len(o.Choices) > 0 || c.Autocomplete == nil) {
			return fmt.Errorf("/%s %s: autocomplete needs a handler and no fixed choices", path, o.Name)
		}
		seen[o.Name] = true
	}
	return nil
}

// Commands is the top-level command table, /help included.
func (r *Router) Commands() []*Command { return r.top }

// Lookup finds a command by path ("dub", "sync now").
func (r *Router) Lookup(path string) *Command { return r.byPath[path] }

// Handle answers a request. It never fails: errors and panics become a
// friendly ephemeral message, and are logged.
func (r *Router) Handle(ctx context.Context, req *Request) (resp *Response) {
	start := time.Now()
	label := req.Command
	outcome := "ok"
	defer func() {
		if p := recover(); p != nil {
			r.opts.Logger.Error("handler panicked", slog.String("command", label), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			resp, outcome = r.failure(req, fmt.Errorf("panic: %v", p))
		}
		if r.opts.Observer != nil {
			r.opts.Observer.ObserveInteraction(label, outcome, time.Since(start))
		}
	}()
	cmd, handler, err := r.route(req)
	if req.Kind == KindComponent {
		label = "component"
		if cmd != nil {
			label = r.pathOf[cmd] + " (button)"
		}
	}
	if err == nil {
		err = r.authorize(cmd, req)
	}
	if err != nil {
		outcome = "refused"
		if req.Kind == KindAutocomplete {
			return Choices(nil)
		}
		msg, _ := userMessage(err)
		return Private(msg)
	}
	if req.Kind == KindAutocomplete {
		choices, err := cmd.Autocomplete(ctx, req)
		if err != nil {
			r.opts.Logger.Warn("autocomplete failed", slog.String("command", label), slog.Any("error", err))
			outcome = "error"
		}
		return Choices(choices)
	}
	resp, err = handler(ctx, req)
	if err != nil {
		resp, outcome = r.failure(req, err)
	} else if resp == nil {
		resp, outcome = r.failure(req, fmt.Errorf("handler returned no response"))
	}
	if req.Kind == KindCommand {
		resp.Update = false
	}
	if r.opts.Notices != nil && req.UserID != "" {
		resp.Notices = append(resp.Notices, r.opts.Notices(req.UserID)...)
	}
	return resp
}

func (r *Router) failure(req *Request, err error) (*Response, string) {
	msg, expected := userMessage(err)
	if expected {
		return Private(msg), "user_error"
	}
	r.opts.Logger.Error("handler failed", slog.String("command", req.Command), slog.String("custom_id", req.CustomID), slog.String("user_id", req.UserID), slog.Any("error", err))
	return Private(msg), "error"
}

// route finds the command and handler for a request.
func (r *Router) route(req *Request) (*Command, Handler, error) {
	if req.Kind == KindComponent {
		prefix, _, _ := strings.Cut(req.CustomID, ":")
		route, ok := r.components[prefix]
		if !ok {
			return nil, nil, Errorf("This button is no longer supported. Run the command again.")
		}
		return route.cmd, route.handler, nil
	}
	cmd := r.byPath[req.Command]
	if cmd == nil || cmd.Run == nil {
		return nil, nil, Errorf(fmt.Sprintf("Unknown command /%s. Try /help.", req.Command))
	}
	if req.Kind == KindAutocomplete && cmd.Autocomplete == nil {
		return nil, nil, Errorf("no autocomplete")
	}
	return cmd, cmd.Run, nil
}

// authorize enforces the declared permission and owner rules of the command
// and of its group.
func (r *Router) authorize(cmd *Command, req *Request) error {
	for c := cmd; c != nil; c = r.parentOf[c] {
		if c.OwnerOnly && !r.opts.IsOwner(req.UserID) {
			return Errorf("Only the bot's owners can use this.")
		}
		if c.Permission == 0 {
			continue
		}
		if req.GuildID == "" {
			return Errorf("This command only works in a server.")
		}
		if req.Permissions&PermissionAdministrator == 0 && req.Permissions&c.Permission != c.Permission {
			return Errorf(fmt.Sprintf("You need the **%s** permission to use /%s.", c.Permission.Name(), r.pathOf[cmd]))
		}
	}
	return nil
}

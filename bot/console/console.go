package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"dubbot/bot"
)

// Identity is who the console acts as.
type Identity struct {
	UserID, UserName, GuildID, ChannelID string
	Permissions                          bot.Permission
}

// Ask runs one chat-box line and returns the response.
func Ask(ctx context.Context, r *bot.Router, who Identity, line string) (*bot.Response, error) {
	req, err := Parse(line, r)
	if err != nil {
		return nil, err
	}
	who.apply(req)
	return r.Handle(ctx, req), nil
}

// Complete runs autocomplete for the last option typed on the line.
func Complete(ctx context.Context, r *bot.Router, who Identity, line string) (*bot.Response, error) {
	req, err := Parse(line, r)
	if err != nil {
		return nil, err
	}
	if req.Focused == "" {
		return nil, fmt.Errorf("type an option to complete, for example /dub title:fri")
	}
	who.apply(req)
	req.Kind = bot.KindAutocomplete
	return r.Handle(ctx, req), nil
}

// Press presses a button or menu entry of a previous response.
func Press(ctx context.Context, r *bot.Router, who Identity, t Target) *bot.Response {
	req := &bot.Request{Kind: bot.KindComponent, CustomID: t.CustomID}
	if t.Value != "" {
		req.Values = []string{t.Value}
	}
	who.apply(req)
	return r.Handle(ctx, req)
}

func (who Identity) apply(req *bot.Request) {
	req.UserID, req.UserName, req.GuildID, req.ChannelID = who.UserID, who.UserName, who.GuildID, who.ChannelID
	req.Permissions = who.Permissions
	req.Received = time.Now()
}

// REPL reads chat-box lines from in until EOF and writes responses to out.
// "?/dub title:fri" asks for autocomplete; a number presses that button of
// the last response.
func REPL(ctx context.Context, r *bot.Router, who Identity, in io.Reader, out io.Writer) error {
	fmt.Fprintln(out, "dubbot console: type a slash command (try /help), a number to press a button, ?/cmd opt:text to autocomplete, or quit.")
	lines, readErr := ReadLines(in)
	var last *bot.Response
	for {
		fmt.Fprint(out, "> ")
		var line string
		select {
		case <-ctx.Done(): // Ctrl-C
			fmt.Fprintln(out)
			return nil
		case l, ok := <-lines:
			if !ok {
				fmt.Fprintln(out)
				return readErr()
			}
			line = strings.TrimSpace(l)
		}
		var resp *bot.Response
		var err error
		switch {
		case line == "":
			continue
		case line == "quit" || line == "exit":
			return nil
		case strings.HasPrefix(line, "?"):
			resp, err = Complete(ctx, r, who, strings.TrimPrefix(line, "?"))
		case isNumber(line):
			resp, err = press(ctx, r, who, last, line)
		default:
			resp, err = Ask(ctx, r, who, line)
		}
		if err != nil {
			fmt.Fprintln(out, "error:", err)
			continue
		}
		Render(out, resp)
		if len(resp.Components) > 0 {
			last = resp
		}
	}
}

// ReadLines feeds the lines of in to a channel, so the REPL can also
// notice ctx ending while it waits for the next line.
func ReadLines(in io.Reader) (<-chan string, func() error) {
	lines := make(chan string)
	var err error
	go func() {
		defer close(lines)
		scanner := bufio.NewScanner(in)
		scanner.Buffer(make([]byte, 64<<10), 4<<20)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
		err = scanner.Err()
	}()
	return lines, func() error { return err }
}

func press(ctx context.Context, r *bot.Router, who Identity, last *bot.Response, line string) (*bot.Response, error) {
	n, _ := strconv.Atoi(line)
	if last == nil {
		return nil, fmt.Errorf("nothing to press yet")
	}
	targets := Pressable(last)
	if n < 1 || n > len(targets) {
		return nil, fmt.Errorf("press a number from 1 to %d", len(targets))
	}
	t := targets[n-1]
	if t.URL != "" {
		return bot.Reply("Open " + t.URL + " in your browser."), nil
	}
	return Press(ctx, r, who, t), nil
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

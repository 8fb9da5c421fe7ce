// Package console runs slash commands typed as in Discord's chat box
// (`/dub title:frieren`) through the same router the bot uses, and renders
// the responses as text or as Discord's JSON.
package console

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"dubbot/bot"
)

// Parse turns a chat-box line into a request for the router's commands.
// Option values may be quoted ("two words") or run until the next known
// option name, as in Discord's own chat box.
func Parse(line string, r *bot.Router) (*bot.Request, error) {
	words, err := split(strings.TrimSpace(line))
	if err != nil {
		return nil, err
	}
	if len(words) == 0 || !strings.HasPrefix(words[0].text, "/") || len(words[0].text) < 2 {
		return nil, fmt.Errorf("type a slash command, for example /dub title:frieren (commands: %s)", list(topNames(r)))
	}
	path := strings.ToLower(strings.TrimPrefix(words[0].text, "/"))
	cmd := r.Lookup(path)
	if cmd == nil {
		return nil, fmt.Errorf("unknown command /%s; commands: %s", path, list(topNames(r)))
	}
	words = words[1:]
	for len(cmd.Subcommands) > 0 {
		if len(words) == 0 || words[0].quoted {
			return nil, fmt.Errorf("/%s needs a subcommand: %s", path, list(subNames(cmd)))
		}
		sub := r.Lookup(path + " " + strings.ToLower(words[0].text))
		if sub == nil {
			return nil, fmt.Errorf("unknown subcommand %q for /%s; valid: %s", words[0].text, path, list(subNames(cmd)))
		}
		path, cmd, words = path+" "+strings.ToLower(words[0].text), sub, words[1:]
	}
	raw, order, err := assign(words, cmd, path)
	if err != nil {
		return nil, err
	}
	req := &bot.Request{Kind: bot.KindCommand, Command: path, Options: bot.Options{}}
	for _, opt := range cmd.Options {
		text, given := raw[opt.Name]
		if !given {
			if opt.Required {
				return nil, fmt.Errorf("/%s needs %s: (%s)", path, opt.Name, opt.Description)
			}
			continue
		}
		v, err := convert(opt, text, req)
		if err != nil {
			return nil, fmt.Errorf("/%s %s: %w", path, opt.Name, err)
		}
		req.Options[opt.Name] = v
	}
	if len(order) > 0 {
		req.Focused = order[len(order)-1]
	}
	return req, nil
}

type word struct {
	text   string
	quoted bool // the value part was quoted
}

// split breaks a line into words, keeping quoted runs ("a b" or 'a b')
// together, also after an option name (query:"a b").
func split(line string) ([]word, error) {
	var words []word
	var cur strings.Builder
	quote, quoted, inWord := rune(0), false, false
	flush := func() {
		if inWord {
			words = append(words, word{text: cur.String(), quoted: quoted})
		}
		cur.Reset()
		quoted, inWord = false, false
	}
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'' && cur.Len() == 0 || r == '\'' && strings.HasSuffix(cur.String(), ":"):
			quote, quoted, inWord = r, true, true
		case unicode.IsSpace(r):
			flush()
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("a quote is not closed")
	}
	flush()
	return words, nil
}

var optionPrefix = regexp.MustCompile(`^([\p{L}\p{N}_-]+):`)

// assign gives each word to an option: "name:value" starts an option, and
// following plain words continue its value.
func assign(words []word, cmd *bot.Command, path string) (map[string]string, []string, error) {
	known := map[string]bool{}
	for _, o := range cmd.Options {
		known[o.Name] = true
	}
	raw := map[string]string{}
	var order []string
	current := ""
	for _, w := range words {
		if m := optionPrefix.FindStringSubmatch(w.text); m != nil {
			name := strings.ToLower(m[1])
			switch {
			case known[name]:
				if _, dup := raw[name]; dup {
					return nil, nil, fmt.Errorf("/%s: option %s given twice", path, name)
				}
				current = name
				raw[name] = w.text[len(m[0]):]
				order = append(order, name)
				continue
			case current == "" || looksLikeOption(name, cmd):
				return nil, nil, unknownOption(name, cmd, path)
			}
		}
		if current == "" && len(cmd.Options) == 0 {
			return nil, nil, fmt.Errorf("/%s takes no options; %q is extra", path, w.text)
		}
		if current == "" {
			return nil, nil, fmt.Errorf("/%s: %q is not an option; write name:value (options: %s)", path, w.text, list(optionNames(cmd)))
		}
		if raw[current] == "" {
			raw[current] = w.text
		} else {
			raw[current] += " " + w.text
		}
	}
	return raw, order, nil
}

func unknownOption(name string, cmd *bot.Command, path string) error {
	if len(cmd.Options) == 0 {
		return fmt.Errorf("unknown option %s: /%s takes no options", name, path)
	}
	return fmt.Errorf("unknown option %s for /%s; valid options: %s", name, path, list(optionNames(cmd)))
}

// looksLikeOption tells a mistyped option name ("titel:") from a colon
// inside a value ("watch re:zero").
func looksLikeOption(name string, cmd *bot.Command) bool {
	for _, o := range cmd.Options {
		if editDistance(name, o.Name) <= 2 {
			return true
		}
	}
	return false
}

func convert(opt bot.Option, text string, req *bot.Request) (bot.Value, error) {
	v := bot.Value{Type: opt.Type}
	switch opt.Type {
	case bot.OptionInteger:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return v, fmt.Errorf("%q is not a whole number", text)
		}
		v.Int = n
	case bot.OptionNumber:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return v, fmt.Errorf("%q is not a number", text)
		}
		v.Number = f
	case bot.OptionBoolean:
		switch strings.ToLower(text) {
		case "true", "yes", "on", "1":
			v.Bool = true
		case "false", "no", "off", "0":
		default:
			return v, fmt.Errorf("%q is not true or false", text)
		}
	case bot.OptionChannel, bot.OptionRole, bot.OptionUser:
		id := mentionID(text)
		if id == "" {
			return v, fmt.Errorf("%q is not a %s mention or id", text, opt.Type)
		}
		v.String = id
		resolve(req, opt.Type, id)
	default:
		v.String = text
	}
	if len(opt.Choices) > 0 {
		return matchChoice(opt, v)
	}
	if opt.MinValue != nil && (v.Type == bot.OptionInteger && float64(v.Int) < *opt.MinValue) {
		return v, fmt.Errorf("must be at least %g", *opt.MinValue)
	}
	if opt.MaxValue != nil && (v.Type == bot.OptionInteger && float64(v.Int) > *opt.MaxValue) {
		return v, fmt.Errorf("must be at most %g", *opt.MaxValue)
	}
	return v, nil
}

var mention = regexp.MustCompile(`^(?:<(?:#|@&|@!?))?#?(\d{1,20})>?$`)

func mentionID(text string) string {
	m := mention.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[1]
}

func resolve(req *bot.Request, t bot.OptionType, id string) {
	switch t {
	case bot.OptionChannel:
		if req.Resolved.Channels == nil {
			req.Resolved.Channels = map[string]bot.ResolvedChannel{}
		}
		req.Resolved.Channels[id] = bot.ResolvedChannel{ID: id, Name: id}
	case bot.OptionRole:
		if req.Resolved.Roles == nil {
			req.Resolved.Roles = map[string]bot.ResolvedRole{}
		}
		req.Resolved.Roles[id] = bot.ResolvedRole{ID: id, Name: id}
	}
}

func matchChoice(opt bot.Option, v bot.Value) (bot.Value, error) {
	var names []string
	for _, c := range opt.Choices {
		if strings.EqualFold(c.Name, v.Text()) || strings.EqualFold(fmt.Sprint(c.Value), v.Text()) {
			switch cv := c.Value.(type) {
			case string:
				v.String = cv
			case int:
				v.Int = int64(cv)
			}
			return v, nil
		}
		names = append(names, fmt.Sprint(c.Value))
	}
	return v, fmt.Errorf("%q is not one of: %s", v.Text(), strings.Join(names, ", "))
}

func topNames(r *bot.Router) []string {
	var names []string
	for _, c := range r.Commands() {
		names = append(names, "/"+c.Name)
	}
	return names
}

func subNames(c *bot.Command) []string {
	var names []string
	for _, s := range c.Subcommands {
		names = append(names, s.Name)
	}
	return names
}

func optionNames(c *bot.Command) []string {
	var names []string
	for _, o := range c.Options {
		names = append(names, o.Name)
	}
	return names
}

func list(names []string) string {
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

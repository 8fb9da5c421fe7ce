package console

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"dubbot/bot"
)

// Render writes a response as readable text. Buttons and menu entries are
// numbered so the console can press them.
func Render(w io.Writer, resp *bot.Response) {
	var b strings.Builder
	if resp.Ephemeral {
		b.WriteString("(only you can see this)\n")
	}
	if resp.Content != "" {
		b.WriteString(plain(resp.Content) + "\n")
	}
	for _, e := range resp.Embeds {
		renderEmbed(&b, e)
	}
	for i, c := range Pressable(resp) {
		fmt.Fprintf(&b, "  [%d] %s\n", i+1, c.describe())
	}
	for _, n := range resp.Notices {
		b.WriteString("(only you can see this) " + plain(n) + "\n")
	}
	for _, c := range resp.Choices {
		fmt.Fprintf(&b, "  • %s  (%v)\n", c.Name, c.Value)
	}
	io.WriteString(w, b.String())
}

func renderEmbed(b *strings.Builder, e bot.Embed) {
	if e.Author != nil {
		b.WriteString(plain(e.Author.Name) + "\n")
	}
	if e.Title != "" {
		b.WriteString("== " + plain(e.Title) + " ==\n")
	}
	if e.URL != "" {
		b.WriteString(e.URL + "\n")
	}
	if e.Description != "" {
		b.WriteString(plain(e.Description) + "\n")
	}
	for _, f := range e.Fields {
		fmt.Fprintf(b, "%s: %s\n", plain(f.Name), plain(f.Value))
	}
	if e.Footer != nil {
		b.WriteString("-- " + plain(e.Footer.Text) + "\n")
	}
}

// Target is something the console can press: a button or a menu entry.
type Target struct {
	Label    string
	CustomID string
	Value    string // menu entry value
	URL      string
}

func (t Target) describe() string {
	switch {
	case t.URL != "":
		return t.Label + " → " + t.URL
	case t.Value != "":
		return "select: " + t.Label
	default:
		return t.Label
	}
}

// Pressable lists a response's buttons and menu entries in display order.
func Pressable(resp *bot.Response) []Target {
	var out []Target
	for _, row := range resp.Components {
		for _, c := range row.Components {
			switch c.Type {
			case bot.ComponentButton:
				if !c.Disabled {
					out = append(out, Target{Label: c.Label, CustomID: c.CustomID, URL: c.URL})
				}
			case bot.ComponentStringSelect:
				for _, o := range c.Options {
					out = append(out, Target{Label: o.Label, CustomID: c.CustomID, Value: o.Value})
				}
			}
		}
	}
	return out
}

var (
	discordTime = regexp.MustCompile(`<t:(-?\d+)(?::([tTdDfFRsS]))?>`)
	markdown    = strings.NewReplacer("**", "", "__", "", "`", "")
)

// plain turns Discord markup into terminal text: timestamps become dates in
// the local zone, bold and code marks are dropped.
func plain(s string) string {
	s = discordTime.ReplaceAllStringFunc(s, func(m string) string {
		parts := discordTime.FindStringSubmatch(m)
		unix, _ := strconv.ParseInt(parts[1], 10, 64)
		t := time.Unix(unix, 0)
		if parts[2] == "R" {
			return relative(time.Until(t))
		}
		return t.Format("Mon 2 Jan 2006 15:04 MST")
	})
	return markdown.Replace(s)
}

func relative(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < 0 {
		return (-d).String() + " ago"
	}
	return "in " + d.String()
}

// JSON writes the interaction callback payload Discord would receive.
func JSON(w io.Writer, resp *bot.Response) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(resp.Payload())
}

package bot

import (
	"context"
	"fmt"
	"strings"
)

// helpCommand lists the command table, so /help can never drift from what
// is registered.
func (r *Router) helpCommand() *Command {
	return &Command{
		Name:        "help",
		Description: "What dubbot can do",
		Ephemeral:   true,
		Run: func(ctx context.Context, req *Request) (*Response, error) {
			return &Response{Ephemeral: true, Embeds: []Embed{r.helpEmbed(req)}}, nil
		},
	}
}

func (r *Router) helpEmbed(req *Request) Embed {
	var b strings.Builder
	for _, c := range r.top {
		r.writeHelp(&b, c, c.Name, req)
	}
	return Embed{
		Title:       "dubbot commands",
		Description: strings.TrimSpace(b.String()),
		Color:       ColorBrand,
		Footer:      &EmbedFooter{Text: "Dub data: MAL-Dubs and the MAL forum's simuldub list"},
	}
}

func (r *Router) writeHelp(b *strings.Builder, c *Command, path string, req *Request) {
	if c.OwnerOnly && !r.opts.IsOwner(req.UserID) {
		return
	}
	if len(c.Subcommands) > 0 {
		for _, sub := range c.Subcommands {
			r.writeHelp(b, sub, path+" "+sub.Name, req)
		}
		return
	}
	fmt.Fprintf(b, "**/%s**", path)
	for _, o := range c.Options {
		if o.Required {
			fmt.Fprintf(b, " `%s:`", o.Name)
		} else {
			fmt.Fprintf(b, " `[%s]`", o.Name)
		}
	}
	fmt.Fprintf(b, " — %s", c.Description)
	if parent := r.parentOf[c]; c.Permission != 0 || (parent != nil && parent.Permission != 0) {
		p := c.Permission
		if p == 0 {
			p = parent.Permission
		}
		fmt.Fprintf(b, " _(needs %s)_", p.Name())
	}
	b.WriteString("\n")
}

// Embed colours.
const (
	ColorBrand   = 0x5865F2
	ColorDubbed  = 0x2ECC71
	ColorAiring  = 0x3498DB
	ColorPartial = 0xF1C40F
	ColorNone    = 0x95A5A6
	ColorError   = 0xE74C3C
)

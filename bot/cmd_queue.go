package bot

import (
	"context"
	"fmt"
	"strings"
)

// QueueControl is what /queue needs of the download queue.
type QueueControl interface {
	Summary(maxFailed int) (string, error)
	Paused() bool
	SetPaused(paused bool) error
}

// QueueCommand is the owner-only /queue: counts, a progress bar, and
// pause/resume buttons.
func QueueCommand(q QueueControl) *Command {
	show := func(update bool) (*Response, error) {
		summary, err := q.Summary(5)
		if err != nil {
			return nil, fmt.Errorf("read queue: %w", err)
		}
		toggle := Button(ButtonSecondary, "Pause", "queue:pause")
		if q.Paused() {
			toggle = Button(ButtonSuccess, "Resume", "queue:resume")
		}
		return &Response{
			Update:     update,
			Ephemeral:  true,
			Embeds:     []Embed{{Title: "Download queue", Description: "```\n" + Clip(strings.ReplaceAll(summary, "`", "'"), MaxEmbedDescription-10) + "```", Color: ColorBrand}},
			Components: []Component{Row(toggle, Button(ButtonSecondary, "Refresh", "queue:show"))},
		}, nil
	}
	return &Command{
		Name:        "queue",
		Description: "Download queue status, with pause and resume (bot owners)",
		OwnerOnly:   true,
		Ephemeral:   true,
		Run:         func(ctx context.Context, req *Request) (*Response, error) { return show(false) },
		Components: map[string]Handler{
			"queue": func(ctx context.Context, req *Request) (*Response, error) {
				switch req.CustomID {
				case "queue:pause", "queue:resume":
					if err := q.SetPaused(req.CustomID == "queue:pause"); err != nil {
						return nil, err
					}
				}
				return show(true)
			},
		},
	}
}

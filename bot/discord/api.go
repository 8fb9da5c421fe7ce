package discord

import (
	"context"
	"fmt"
	"sync"

	"dubbot/bot"
)

// Application is the bot's application: its id and who owns it.
type Application struct {
	ID    string
	Owner string
	Team  []string // team members' ids, when a team owns the app
}

// Application reads the application behind the token.
func (r *REST) Application(ctx context.Context) (*Application, error) {
	var body struct {
		ID    string `json:"id"`
		Owner *struct {
			ID string `json:"id"`
		} `json:"owner"`
		Team *struct {
			Members []struct {
				User struct {
					ID string `json:"id"`
				} `json:"user"`
			} `json:"members"`
		} `json:"team"`
	}
	if err := r.Do(ctx, "GET", "/oauth2/applications/@me", nil, &body); err != nil {
		return nil, fmt.Errorf("read application: %w", err)
	}
	app := &Application{ID: body.ID}
	if body.Owner != nil {
		app.Owner = body.Owner.ID
	}
	if body.Team != nil {
		for _, m := range body.Team.Members {
			app.Team = append(app.Team, m.User.ID)
		}
	}
	return app, nil
}

// Register bulk-overwrites the application's commands, globally or (when
// guildID is set, which takes effect at once) in one server.
func (r *REST) Register(ctx context.Context, appID, guildID string, commands []bot.ApplicationCommand) (int, error) {
	path := "/applications/" + appID + "/commands"
	if guildID != "" {
		path = "/applications/" + appID + "/guilds/" + guildID + "/commands"
	}
	var got []map[string]any
	if err := r.Do(ctx, "PUT", path, commands, &got); err != nil {
		return 0, fmt.Errorf("register %d commands: %w", len(commands), err)
	}
	return len(got), nil
}

// Message is a channel message to send.
type Message struct {
	Content         string               `json:"content,omitempty"`
	Embeds          []bot.Embed          `json:"embeds,omitempty"`
	Components      []bot.Component      `json:"components,omitempty"`
	AllowedMentions *bot.AllowedMentions `json:"allowed_mentions,omitempty"`
	// Nonce with EnforceNonce makes Discord drop a resend of the same
	// message, so a post retried after a crash appears once.
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// SendMessage posts a message in a channel and returns its id.
func (r *REST) SendMessage(ctx context.Context, channelID string, m Message) (string, error) {
	var got struct {
		ID string `json:"id"`
	}
	if err := r.Do(ctx, "POST", "/channels/"+channelID+"/messages", m, &got); err != nil {
		return "", err
	}
	return got.ID, nil
}

// DMChannel opens (or finds) the DM channel with a user. Channel ids are
// remembered, so a DM costs one request after the first.
func (r *REST) DMChannel(ctx context.Context, userID string) (string, error) {
	if id, ok := r.dms.get(userID); ok {
		return id, nil
	}
	var got struct {
		ID string `json:"id"`
	}
	if err := r.Do(ctx, "POST", "/users/@me/channels", map[string]string{"recipient_id": userID}, &got); err != nil {
		return "", fmt.Errorf("open DM with user %s: %w", userID, err)
	}
	r.dms.put(userID, got.ID)
	return got.ID, nil
}

// dmCache maps users to their DM channel. It is bounded: past its size it
// starts over, which costs one request per user again.
type dmCache struct {
	mu  sync.Mutex
	ids map[string]string
}

const maxCachedDMs = 10000

func (c *dmCache) get(user string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.ids[user]
	return id, ok
}

func (c *dmCache) put(user, channel string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil || len(c.ids) >= maxCachedDMs {
		c.ids = map[string]string{}
	}
	c.ids[user] = channel
}

// SendDM sends a direct message to a user.
func (r *REST) SendDM(ctx context.Context, userID string, m Message) error {
	channel, err := r.DMChannel(ctx, userID)
	if err != nil {
		return err
	}
	_, err = r.SendMessage(ctx, channel, m)
	return err
}

// interactionTransport answers one interaction over REST.
type interactionTransport struct {
	rest             *REST
	appID, id, token string
}

func (t *interactionTransport) Respond(ctx context.Context, p bot.InteractionResponse) error {
	return t.rest.Do(ctx, "POST", "/interactions/"+t.id+"/"+t.token+"/callback", p, nil)
}

func (t *interactionTransport) EditOriginal(ctx context.Context, d *bot.MessageData) error {
	return t.rest.Do(ctx, "PATCH", "/webhooks/"+t.appID+"/"+t.token+"/messages/@original", d, nil)
}

func (t *interactionTransport) Followup(ctx context.Context, d *bot.MessageData) error {
	return t.rest.Do(ctx, "POST", "/webhooks/"+t.appID+"/"+t.token, d, nil)
}

func (t *interactionTransport) DeleteOriginal(ctx context.Context) error {
	return t.rest.Do(ctx, "DELETE", "/webhooks/"+t.appID+"/"+t.token+"/messages/@original", nil, nil)
}

// Transport answers the interaction with this id and token.
func (r *REST) Transport(appID, id, token string) bot.Transport {
	return &interactionTransport{rest: r, appID: appID, id: id, token: token}
}

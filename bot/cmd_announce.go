package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"dubbot/anime"
	"dubbot/catalog"
	"dubbot/search"
)

// Announcer is what /announce and /watch need of the announcement service
// (announce.Service implements it).
type Announcer interface {
	// BotPermissions are the bot's permissions in a channel; a channel it
	// cannot see gives none, not an error.
	BotPermissions(ctx context.Context, channelID string) (Permission, error)
	// Subscribe saves a server's settings, turned on.
	Subscribe(ctx context.Context, s AnnounceSettings) error
	// Unsubscribe removes them and reports whether there were any.
	Unsubscribe(ctx context.Context, guildID string) (bool, error)
	// Settings reads them, with the state of the last posts.
	Settings(ctx context.Context, guildID string) (AnnounceSettings, bool, error)
	// Test posts a sample announcement where the server's news goes.
	Test(ctx context.Context, guildID string) error
	// Watch and Unwatch add and remove a show from a user's DM list and
	// report whether that changed anything.
	Watch(ctx context.Context, userID string, malID int) (bool, error)
	Unwatch(ctx context.Context, userID string, malID int) (bool, error)
	// Watching lists the MAL ids a user watches.
	Watching(ctx context.Context, userID string) ([]int, error)
}

// AnnounceSettings is a server's announcement subscription as /announce
// sets and shows it.
type AnnounceSettings struct {
	GuildID   string
	ChannelID string
	RoleID    string // "" for no ping
	Events    string // "airing", "new-dubs" or "all"
	SetBy     string
	// Disabled is set when Discord refused a post for good (the channel
	// was deleted, or the bot lost access); DisabledReason says which.
	Disabled       bool
	DisabledReason string
	DisabledAt     time.Time
	LastPost       time.Time
	Pending        int // posts waiting to go out
}

// postPermissions are what the bot needs in an announcement channel, in
// the order a missing one is named.
var postPermissions = []Permission{PermissionViewChannel, PermissionSendMessages, PermissionEmbedLinks}

var announceEvents = []Choice{
	{Name: "New dub episodes", Value: "airing"},
	{Name: "Newly dubbed and newly announced shows", Value: "new-dubs"},
	{Name: "All dub news", Value: "all"},
}

// AnnounceCommand is /announce set|off|status|test, for members with
// Manage Server (the router enforces it).
func AnnounceCommand(svc Announcer) *Command {
	h := &announceHandlers{svc: svc}
	return &Command{
		Name:        "announce",
		Description: "Post dub news in a channel of this server",
		Permission:  PermissionManageServer,
		Ephemeral:   true,
		Subcommands: []*Command{
			{
				Name: "set", Description: "Choose the channel for dub news, and a role to ping",
				Options: []Option{
					{Name: "channel", Description: "Where to post", Type: OptionChannel, Required: true,
						ChannelTypes: []int{ChannelText, ChannelAnnouncement}},
					{Name: "role", Description: "Role to ping with each post (optional)", Type: OptionRole},
					{Name: "events", Description: "Which news to post (default: all)", Type: OptionString, Choices: announceEvents},
				},
				Ephemeral: true, Run: h.set,
			},
			{Name: "off", Description: "Stop posting dub news in this server", Ephemeral: true, Run: h.off},
			{Name: "status", Description: "Where dub news goes, and whether posting works", Ephemeral: true, Run: h.status},
			{Name: "test", Description: "Post a sample announcement now", Ephemeral: true, Run: h.test},
		},
	}
}

type announceHandlers struct{ svc Announcer }

func (h *announceHandlers) set(ctx context.Context, req *Request) (*Response, error) {
	channelID := req.Options.String("channel")
	if ch, ok := req.Resolved.Channels[channelID]; ok && ch.Type != ChannelText && ch.Type != ChannelAnnouncement {
		return nil, Errorf(fmt.Sprintf("I can only post dub news in a text or announcement channel, and <#%s> is neither.", channelID))
	}
	roleID := req.Options.String("role")
	if roleID != "" && roleID == req.GuildID {
		return nil, Errorf("I won't ping @everyone with dub news. Pick a role, or leave the role out.")
	}
	perms, err := h.svc.BotPermissions(ctx, channelID)
	if err != nil {
		return nil, err
	}
	if missing := missingPermission(perms); missing != 0 {
		return nil, Errorf(fmt.Sprintf("I can't post in <#%s>: I'm missing the **%s** permission there. Give it to me in the channel's settings, then run this again.",
			channelID, missing.Name()))
	}
	events := req.Options.String("events")
	if events == "" {
		events = "all"
	}
	set := AnnounceSettings{GuildID: req.GuildID, ChannelID: channelID, RoleID: roleID, Events: events, SetBy: req.UserID}
	if err := h.svc.Subscribe(ctx, set); err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("Done: %s will be posted in <#%s>", eventsWords(events), channelID)
	if roleID != "" {
		msg += fmt.Sprintf(", pinging <@&%s>. The ping works if the role is mentionable or I have **Mention @everyone**", roleID)
	}
	return Private(msg + ". Run `/announce test` to see a sample."), nil
}

// missingPermission is the first permission an announcement needs that
// perms lacks, or 0.
func missingPermission(perms Permission) Permission {
	if perms&PermissionAdministrator != 0 {
		return 0
	}
	for _, p := range postPermissions {
		if perms&p == 0 {
			return p
		}
	}
	return 0
}

func eventsWords(events string) string {
	switch events {
	case "airing":
		return "new dub episodes"
	case "new-dubs":
		return "newly dubbed and newly announced shows"
	}
	return "all dub news"
}

func (h *announceHandlers) off(ctx context.Context, req *Request) (*Response, error) {
	found, err := h.svc.Unsubscribe(ctx, req.GuildID)
	if err != nil {
		return nil, err
	}
	if !found {
		return Private("Dub news wasn't on in this server."), nil
	}
	return Private("Dub news is off in this server. `/announce set` turns it back on."), nil
}

func (h *announceHandlers) status(ctx context.Context, req *Request) (*Response, error) {
	s, found, err := h.svc.Settings(ctx, req.GuildID)
	if err != nil {
		return nil, err
	}
	if !found {
		return Private("Dub news isn't set up in this server. `/announce set` chooses a channel."), nil
	}
	return &Response{Ephemeral: true, Embeds: []Embed{statusEmbed(s)}}, nil
}

func statusEmbed(s AnnounceSettings) Embed {
	role, last := "none", "none yet"
	if s.RoleID != "" {
		role = "<@&" + s.RoleID + ">"
	}
	if !s.LastPost.IsZero() {
		last = Timestamp(s.LastPost, "R")
	}
	state, color := "**On**", ColorDubbed
	if s.Disabled {
		state, color = fmt.Sprintf("**Off** since %s: %s. Fix that, then run `/announce set` again.",
			Timestamp(s.DisabledAt, "R"), s.DisabledReason), ColorNone
	}
	fields := []EmbedField{
		{Name: "Channel", Value: "<#" + s.ChannelID + ">", Inline: true},
		{Name: "Role", Value: role, Inline: true},
		{Name: "News", Value: eventsWords(s.Events), Inline: true},
		{Name: "State", Value: state},
		{Name: "Last post", Value: last, Inline: true},
	}
	if s.Pending > 0 {
		fields = append(fields, EmbedField{Name: "Waiting to post", Value: strconv.Itoa(s.Pending), Inline: true})
	}
	return Embed{Title: "Dub announcements", Color: color, Fields: fields}
}

func (h *announceHandlers) test(ctx context.Context, req *Request) (*Response, error) {
	if err := h.svc.Test(ctx, req.GuildID); err != nil {
		return nil, err
	}
	s, _, err := h.svc.Settings(ctx, req.GuildID)
	if err != nil {
		return nil, err
	}
	return Private(fmt.Sprintf("Posted a sample announcement in <#%s>.", s.ChannelID)), nil
}

// WatchCommand is /watch add|list|remove: DMs about the dub news of the
// shows a user picks. Discord does not let a command take options and
// subcommands at once, so adding is /watch add rather than /watch title:.
func (a *Anime) WatchCommand(svc Announcer) *Command {
	w := &watchHandlers{svc: svc, anime: a}
	title := func(desc string) []Option {
		return []Option{{Name: "title", Description: desc, Type: OptionString, Required: true, Autocomplete: true, MaxLength: 200}}
	}
	return &Command{
		Name:        "watch",
		Description: "Get a DM when a show gets dub news",
		Ephemeral:   true,
		Subcommands: []*Command{
			{Name: "add", Description: "DM me new dub episodes and dub news of this show",
				Options: title("Title, MyAnimeList id or link"), Ephemeral: true, Run: w.add, Autocomplete: a.autocompleteTitle},
			{Name: "list", Description: "The shows you get dub news for", Ephemeral: true, Run: w.list},
			{Name: "remove", Description: "Stop DMs about a show",
				Options: title("One of the shows you watch"), Ephemeral: true, Run: w.remove, Autocomplete: w.autocompleteWatched},
		},
	}
}

type watchHandlers struct {
	svc   Announcer
	anime *Anime
}

func (w *watchHandlers) add(ctx context.Context, req *Request) (*Response, error) {
	id, err := w.resolve(ctx, strings.TrimSpace(req.Options.String("title")))
	if err != nil {
		return nil, err
	}
	added, err := w.svc.Watch(ctx, req.UserID, id)
	if err != nil {
		return nil, err
	}
	name := "**" + escape.Replace(w.title(id)) + "**"
	if !added {
		return Private(fmt.Sprintf("You already get DMs about %s.", name)), nil
	}
	msg := fmt.Sprintf("I'll DM you when %s gets a new dub episode or dub news.", name)
	if w.anime.Dubs != nil {
		msg += fmt.Sprintf(" Right now: %s.", w.anime.Dubs.Info(id).Status)
	}
	return Private(msg + " If your DMs are closed to me, I'll tell you here instead."), nil
}

// resolve finds the show a title option names: a MAL id (what autocomplete
// sends), a MyAnimeList link, or a title that searches to one clear match.
func (w *watchHandlers) resolve(ctx context.Context, input string) (int, error) {
	if input == "" {
		return 0, Errorf("Tell me a title, for example `/watch add title:frieren`.")
	}
	if id, ok := malID(input); ok {
		return id, w.known(ctx, id)
	}
	results := w.anime.Catalog.Index().Search(input, search.Filter{}, 5)
	if search.Good(results) {
		return results[0].Anime.ID, nil
	}
	if len(results) > 0 {
		return 0, Errorf(fmt.Sprintf("I'm not sure which show you mean by **%s**. Pick one from the suggestions as you type.", escape.Replace(Clip(input, 100))))
	}
	return 0, Errorf(fmt.Sprintf("I couldn't find an anime called **%s**. Check the spelling, or paste its MyAnimeList link.", escape.Replace(Clip(input, 100))))
}

// known checks that MyAnimeList has the id; when the check itself fails
// the id is taken on trust.
func (w *watchHandlers) known(ctx context.Context, id int) error {
	if _, ok := w.anime.Catalog.Get(id); ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 8*time.Second)
	defer cancel()
	_, err := w.anime.Catalog.Details(ctx, id)
	if errors.Is(err, catalog.ErrUnknown) {
		return Errorf(fmt.Sprintf("MyAnimeList has no anime with id %d.", id))
	}
	if err != nil && w.anime.Log != nil {
		w.anime.Log.Warn("details unavailable for /watch", slog.Int("mal_id", id), slog.Any("error", err))
	}
	return nil
}

func (w *watchHandlers) title(id int) string {
	if a, ok := w.anime.Catalog.Get(id); ok {
		return a.DisplayTitle()
	}
	return "MyAnimeList anime " + strconv.Itoa(id)
}

func (w *watchHandlers) list(ctx context.Context, req *Request) (*Response, error) {
	ids, err := w.svc.Watching(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return Private("You don't watch any show yet. `/watch add` picks one."), nil
	}
	lines := make([]string, 0, len(ids))
	for _, id := range ids {
		lines = append(lines, fmt.Sprintf("• [%s](%s)", escape.Replace(Clip(w.title(id), 80)), anime.MALURL(id)))
	}
	return &Response{Ephemeral: true, Embeds: []Embed{{
		Title:       fmt.Sprintf("Shows you get dub news for (%d)", len(ids)),
		Description: JoinLines(lines, MaxEmbedDescription),
		Color:       ColorBrand,
	}}}, nil
}

func (w *watchHandlers) remove(ctx context.Context, req *Request) (*Response, error) {
	input := strings.TrimSpace(req.Options.String("title"))
	ids, err := w.svc.Watching(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	id, ok := w.pickWatched(input, ids)
	if !ok {
		return Private(fmt.Sprintf("You don't watch **%s**. `/watch list` shows what you do.", escape.Replace(Clip(input, 100)))), nil
	}
	if _, err := w.svc.Unwatch(ctx, req.UserID, id); err != nil {
		return nil, err
	}
	return Private(fmt.Sprintf("No more DMs about **%s**.", escape.Replace(w.title(id)))), nil
}

// pickWatched finds the watched show an input names: its id (what
// autocomplete sends), its link, or its title.
func (w *watchHandlers) pickWatched(input string, ids []int) (int, bool) {
	if id, ok := malID(input); ok {
		for _, watched := range ids {
			if watched == id {
				return id, true
			}
		}
		return 0, false
	}
	watched := map[int]bool{}
	for _, id := range ids {
		if strings.EqualFold(w.title(id), input) {
			return id, true
		}
		watched[id] = true
	}
	// Any name the index knows, typos included, among the watched shows.
	f := search.Filter{Dubbed: func(id int) bool { return watched[id] }}
	if results := w.anime.Catalog.Index().Search(input, f, 1); len(results) > 0 {
		return results[0].Anime.ID, true
	}
	return 0, false
}

// autocompleteWatched suggests the caller's watched shows whose title
// contains what they typed.
func (w *watchHandlers) autocompleteWatched(ctx context.Context, req *Request) ([]Choice, error) {
	ids, err := w.svc.Watching(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	typed := strings.ToLower(strings.TrimSpace(req.Options.String(req.Focused)))
	var choices []Choice
	for _, id := range ids {
		title := w.title(id)
		if typed == "" || strings.Contains(strings.ToLower(title), typed) {
			choices = append(choices, Choice{Name: Clip(title, 100), Value: strconv.Itoa(id)})
		}
		if len(choices) == search.MaxAutocomplete {
			break
		}
	}
	return choices, nil
}

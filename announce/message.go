package announce

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"dubbot/anime"
	"dubbot/bot"
	"dubbot/bot/discord"
	"dubbot/dubs"
	"dubbot/store"
)

// Embed colours by kind.
const (
	colorEpisode   = 0x2E86DE
	colorNewDub    = 0x27AE60
	colorCompleted = 0x8E44AD
	colorAnnounced = 0xF39C12
	colorDigest    = 0x7F8C8D
)

// delivery is an entry made ready to send, or marked to skip.
type delivery struct {
	skip    bool
	channel string // for a server
	msg     discord.Message
	notice  string // for a watcher whose DMs are closed
}

// prepare builds an entry's message for its target as the target is now:
// a server that unsubscribed, turned off or narrowed its filter since the
// entry was planned, or a watcher who stopped watching, is skipped.
func (s *Service) prepare(e *entry) (delivery, error) {
	if e.Target[0] == targetUser {
		return s.prepareDM(e)
	}
	sub, found, err := s.subscription(e.targetID())
	if err != nil {
		return delivery{}, err
	}
	if !found || sub.Disabled || (e.Post.Kind != KindDigest && !sub.Events.Wants(e.Post.Kind)) {
		return delivery{skip: true}, nil
	}
	msg := s.message(e.Post, sub.RoleID)
	msg.Nonce, msg.EnforceNonce = Nonce(e.Target, e.Post.ID), true
	return delivery{channel: sub.ChannelID, msg: msg}, nil
}

func (s *Service) prepareDM(e *entry) (delivery, error) {
	if s.cfg.DM == nil {
		return delivery{skip: true}, nil
	}
	if e.Post.Kind != KindDigest {
		var still bool
		err := s.db.View(func(tx *store.Tx) error {
			var err error
			still, err = watching(tx, e.targetID(), e.Post.MALID)
			return err
		})
		if err != nil || !still {
			return delivery{skip: err == nil}, err
		}
	}
	msg := s.message(e.Post, "")
	msg.Nonce, msg.EnforceNonce = Nonce(e.Target, e.Post.ID), true
	return delivery{msg: msg, notice: s.headline(e.Post) + " " + s.link(e.Post)}, nil
}

// message is a post as Discord shows it: a one-line headline (with the
// role mention, when set) over one embed. Mentions are limited to that
// role, so a title can never ping anyone.
func (s *Service) message(p Post, roleID string) discord.Message {
	m := discord.Message{
		Content:         s.headline(p),
		Embeds:          []bot.Embed{s.embed(p)},
		AllowedMentions: &bot.AllowedMentions{Parse: []string{}},
	}
	if roleID != "" {
		m.Content = "<@&" + roleID + "> " + m.Content
		m.AllowedMentions.Roles = []string{roleID}
	}
	return m
}

// headline is the post in one line of text.
func (s *Service) headline(p Post) string {
	title := "**" + bot.EscapeMarkdown(s.title(p)) + "**"
	switch p.Kind {
	case dubs.EpisodeAired:
		if len(p.Episodes) > 1 {
			return fmt.Sprintf("New dub episodes: %s, episodes %s", title, episodeRange(p.Episodes))
		}
		return fmt.Sprintf("New dub episode: %s, episode %s", title, episodeRange(p.Episodes))
	case dubs.NewlyDubbed:
		return "Now dubbed in English: " + title
	case dubs.DubCompleted:
		return "English dub complete: " + title
	case dubs.DubAnnounced:
		if !p.Date.IsZero() {
			return fmt.Sprintf("English dub announced: %s, from %s", title, bot.Timestamp(p.Date, "D"))
		}
		return "English dub announced: " + title
	case KindDigest:
		n := len(p.Items) + p.More
		return fmt.Sprintf("Dub news from while I was away: %d %s", n, plural(n, "update", "updates"))
	}
	return "Dub news: " + title
}

// embed is the card of a post: title, what happened, cover, where it
// streams, and the MyAnimeList link.
func (s *Service) embed(p Post) bot.Embed {
	if p.Kind == KindDigest {
		return s.digestEmbed(p)
	}
	a, cached := s.lookup(p.MALID)
	e := bot.Embed{
		Title:       bot.Clip(s.title(p), bot.MaxEmbedTitle),
		Description: s.describe(p),
		Color:       kindColor(p.Kind),
		Timestamp:   p.Found.UTC().Format(time.RFC3339),
		Footer:      &bot.EmbedFooter{Text: source(p.Kind)},
	}
	if p.MALID > 0 {
		e.URL = anime.MALURL(p.MALID)
	}
	if cached && strings.HasPrefix(a.ImageURL, "https://") {
		e.Thumbnail = &bot.EmbedImage{URL: a.ImageURL}
	}
	if links := bot.StreamingLinks(a); links != "" {
		e.Fields = append(e.Fields, bot.EmbedField{Name: "Where to watch", Value: links})
	}
	return e
}

func (s *Service) describe(p Post) string {
	switch p.Kind {
	case dubs.EpisodeAired:
		what := "Episode " + episodeRange(p.Episodes) + " of the English dub is out"
		if len(p.Episodes) > 1 {
			what = "Episodes " + episodeRange(p.Episodes) + " of the English dub are out"
		}
		if p.Total > 0 && len(p.Episodes) > 0 {
			what += fmt.Sprintf(" (%d of %d dubbed)", p.Episodes[len(p.Episodes)-1], p.Total)
		}
		return what + "."
	case dubs.NewlyDubbed:
		return "This show now has an English dub."
	case dubs.DubCompleted:
		return "The English dub is complete: every episode is dubbed."
	case dubs.DubAnnounced:
		d := "An English dub was announced"
		if !p.Date.IsZero() {
			d += ", releasing " + bot.Timestamp(p.Date, "D")
		}
		d += "."
		if p.Section != "" {
			d += "\n-# Listed under " + bot.EscapeMarkdown(p.Section)
		}
		return d
	}
	return ""
}

func (s *Service) digestEmbed(p Post) bot.Embed {
	lines := make([]string, 0, len(p.Items))
	for _, item := range p.Items {
		lines = append(lines, "• "+s.headline(item))
	}
	desc := bot.JoinLines(lines, bot.MaxEmbedDescription-100)
	if p.More > 0 {
		desc += fmt.Sprintf("\n… and %d more", p.More)
	}
	return bot.Embed{
		Title:       "Dub news from while I was away",
		Description: desc,
		Color:       colorDigest,
		Footer:      &bot.EmbedFooter{Text: "News older than a day is summed up here instead of posted one by one."},
	}
}

// title is the show's name: the cached English title when there is one,
// else the event's, else its MyAnimeList id.
func (s *Service) title(p Post) string {
	if a, ok := s.lookup(p.MALID); ok && a.DisplayTitle() != "" {
		return a.DisplayTitle()
	}
	if p.Title != "" {
		return p.Title
	}
	return "MyAnimeList anime " + strconv.Itoa(p.MALID)
}

func (s *Service) link(p Post) string {
	if p.MALID <= 0 {
		return ""
	}
	return anime.MALURL(p.MALID)
}

func (s *Service) lookup(id int) (anime.Anime, bool) {
	if s.cfg.Catalog == nil || id <= 0 {
		return anime.Anime{}, false
	}
	return s.cfg.Catalog.Get(id)
}

func kindColor(k dubs.EventKind) int {
	switch k {
	case dubs.EpisodeAired:
		return colorEpisode
	case dubs.NewlyDubbed:
		return colorNewDub
	case dubs.DubCompleted:
		return colorCompleted
	case dubs.DubAnnounced:
		return colorAnnounced
	}
	return colorDigest
}

func source(k dubs.EventKind) string {
	if k == dubs.NewlyDubbed || k == dubs.DubCompleted {
		return "Dub data: MAL-Dubs"
	}
	return "Dub data: the MAL forum's simuldub list"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

package bot

import (
	"fmt"

	"dubbot/anime"
	"strings"
	"time"
	"unicode/utf8"
)

// Discord's embed limits, for everything the bot posts.
const (
	MaxEmbedTitle       = 256
	MaxEmbedDescription = 4096
	MaxFieldValue       = 1024
	maxLabel            = 80 // buttons and select options
	// maxEmbedTotal is what a message's embeds may hold in all (6,000),
	// less room for titles, field names and the footer.
	maxEmbedTotal = 5400
)

// Clip shortens s to at most n characters, marking the cut with "…".
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Timestamp renders t for Discord's client, in the viewer's time zone;
// style "R" is relative ("in 3 hours"), "F" a full date and time.
func Timestamp(t time.Time, style string) string {
	return fmt.Sprintf("<t:%d:%s>", t.Unix(), style)
}

// JoinLines joins up to max characters' worth of lines, ending with "… and
// N more" (counted in max) when some do not fit.
func JoinLines(lines []string, max int) string {
	var b strings.Builder
	for i, l := range lines {
		more := fmt.Sprintf("… and %d more", len(lines)-i)
		if b.Len()+len(l)+1+len(more) > max {
			b.WriteString(more)
			break
		}
		b.WriteString(l + "\n")
	}
	return strings.TrimSpace(b.String())
}

// escape keeps titles from being read as Discord markdown or mentions.
var escape = strings.NewReplacer("*", "\\*", "_", "\\_", "`", "\\`", "~", "\\~", "|", "\\|", ">", "\\>", "[", "\\[", "]", "\\]", "@", "@\u200b")

// EscapeMarkdown keeps text from upstreams (titles, names) from being read
// as Discord markdown or mentions.
func EscapeMarkdown(s string) string { return escape.Replace(s) }

// maxStreamingLinks keeps the streaming field short.
const maxStreamingLinks = 5

// StreamingLinks lists where an anime streams as markdown links, "" when
// unknown.
func StreamingLinks(an anime.Anime) string {
	var links []string
	for _, s := range an.Streaming {
		if s.Name != "" && strings.HasPrefix(s.URL, "https://") && len(links) < maxStreamingLinks {
			links = append(links, fmt.Sprintf("[%s](%s)", escape.Replace(s.Name), s.URL))
		}
	}
	return Clip(strings.Join(links, " · "), MaxFieldValue)
}

package listsync

import (
	"context"
	"errors"
	"fmt"

	"dubbot/upstream/anilist"
	"dubbot/upstream/httpx"
	"dubbot/upstream/mal"
)

// describe words an error for the user's sync log and /sync status: which
// site failed and whether it fixes itself, without internals.
func describe(err error) string {
	switch {
	case isUnauthorized(err):
		return "MyAnimeList no longer accepts dubbot's access: use /link mal to authorize it again"
	case errors.Is(err, ErrNotLinked):
		return "link both MyAnimeList and AniList first (/link mal, /link anilist)"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "the sync ran out of time; the next one goes on from there"
	}
	if e, ok := errors.AsType[*mal.HTTPError](err); ok {
		return siteAnswer("MyAnimeList", e.Status, e.Message, e.Retryable())
	}
	if e, ok := errors.AsType[*anilist.Error](err); ok {
		return siteAnswer("AniList", e.Status, e.Message, e.Status == 429 || e.Status >= 500)
	}
	if httpx.Retryable(err) {
		return "could not reach MyAnimeList or AniList; the next sync tries again"
	}
	return "something went wrong on dubbot's side; the next sync tries again"
}

// maxMessage caps how much of a site's error message the log keeps.
const maxMessage = 200

// siteAnswer words an HTTP error answer of one of the sites.
func siteAnswer(site string, status int, msg string, passing bool) string {
	s := fmt.Sprintf("%s answered HTTP %d", site, status)
	if r := []rune(msg); len(r) > maxMessage {
		msg = string(r[:maxMessage]) + "…"
	}
	if msg != "" {
		s += " (" + msg + ")"
	}
	if passing {
		return s + "; the next sync tries again"
	}
	return s
}

package announce

import (
	"errors"
	"log/slog"
	"net/http"

	"dubbot/bot/discord"
	"dubbot/notify"
)

// targetGone reports whether Discord refused a channel post for good: the
// channel is deleted (404, 10003), or the bot lost access or a permission
// there (403, 50001 or 50013). Yagpdb's message queue disables a feed on
// the same answers.
func targetGone(err error) bool {
	switch discord.ErrorCode(err) {
	case discord.CodeUnknownChannel, discord.CodeMissingAccess, discord.CodeMissingPermissions:
		return true
	}
	var apiErr *discord.APIError
	return errors.As(err, &apiErr) && (apiErr.Status == http.StatusNotFound || apiErr.Status == http.StatusForbidden)
}

// passing reports whether a failure may go away by itself: a rate limit
// that outlasted the client's retries, a server error, or no answer at
// all. Any other answer from Discord (400 and the like) would only repeat.
func passing(err error) bool {
	var apiErr *discord.APIError
	if !errors.As(err, &apiErr) {
		return true
	}
	return apiErr.Status == http.StatusTooManyRequests || apiErr.Status >= 500
}

// badToken reports a 401: the bot token itself is refused.
func badToken(err error) bool {
	var apiErr *discord.APIError
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized
}

func isDMsClosed(err error) bool { return errors.Is(err, notify.ErrDMsClosed) }

func errAttrs(e *entry, err error) []any {
	return []any{
		slog.String("target", e.Target), slog.String("post", e.Post.ID),
		slog.Int("attempts", e.Attempts), slog.Any("error", err),
	}
}

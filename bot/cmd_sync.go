package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"dubbot/listsync"
	"dubbot/syncer"
	"dubbot/upstream/mal"
)

// ListSync is what /sync needs of the AniList → MyAnimeList sync.
type ListSync interface {
	SetAuto(userID string, on bool) error
	SetMirrorDeletes(userID string, on bool) error
	Sync(ctx context.Context, userID string, preview bool) (listsync.Run, error)
	Status(userID string) (listsync.Status, error)
	Log(userID string, n int) ([]listsync.Run, error)
}

// syncLogRuns is how many runs /sync log shows unless asked otherwise.
const syncLogRuns = 5

// SyncCommand is /sync on|off|now|preview|status|log. Every answer is
// private: it is about the caller's own lists.
func SyncCommand(s ListSync) *Command {
	h := syncHandlers{s: s}
	sub := func(name, desc string, run Handler, opts ...Option) *Command {
		return &Command{Name: name, Description: desc, Ephemeral: true, Run: run, Options: opts}
	}
	return &Command{
		Name:        "sync",
		Description: "Keep your MyAnimeList in step with your AniList",
		Ephemeral:   true,
		Subcommands: []*Command{
			sub("on", "Sync your AniList to MyAnimeList every 25 minutes", h.on,
				Option{Name: "deletes", Description: "Also delete from MyAnimeList what you delete on AniList", Type: OptionBoolean}),
			sub("off", "Stop syncing automatically", h.off),
			sub("now", "Sync now", h.now),
			sub("preview", "Show what a sync would change, without changing anything", h.preview),
			sub("status", "Your sync settings and the last sync", h.status),
			sub("log", "What the last syncs changed, skipped and why", h.log,
				Option{Name: "runs", Description: "How many syncs to show (1-10)", Type: OptionInteger, MinValue: Float(1), MaxValue: Float(10)}),
		},
	}
}

// syncHandlers answers the /sync subcommands.
type syncHandlers struct{ s ListSync }

func (h syncHandlers) on(ctx context.Context, req *Request) (*Response, error) {
	if err := h.s.SetAuto(req.UserID, true); err != nil {
		return nil, syncError(err)
	}
	deletes := ""
	if on, given := req.Options.Bool("deletes"); given {
		if err := h.s.SetMirrorDeletes(req.UserID, on); err != nil {
			return nil, err
		}
		deletes = " Entries you delete on AniList stay on MyAnimeList."
		if on {
			deletes = " Entries you delete on AniList will be deleted on MyAnimeList too."
		}
	}
	return Private("Auto-sync is **on**: your AniList changes reach MyAnimeList within about 25 minutes." +
		deletes + " Use `/sync now` to sync right away, `/sync preview` to see what would change."), nil
}

func (h syncHandlers) off(ctx context.Context, req *Request) (*Response, error) {
	if err := h.s.SetAuto(req.UserID, false); err != nil {
		return nil, err
	}
	return Private("Auto-sync is **off**. `/sync now` still syncs when you ask."), nil
}

func (h syncHandlers) now(ctx context.Context, req *Request) (*Response, error) {
	return h.sync(ctx, req, false)
}

func (h syncHandlers) preview(ctx context.Context, req *Request) (*Response, error) {
	return h.sync(ctx, req, true)
}

func (h syncHandlers) sync(ctx context.Context, req *Request, preview bool) (*Response, error) {
	run, err := h.s.Sync(ctx, req.UserID, preview)
	if run.At.IsZero() {
		return nil, syncError(err)
	}
	title := "Sync done"
	switch {
	case preview:
		title = "Sync preview: nothing was changed"
	case err != nil:
		title = "Sync stopped"
	}
	lines := syncRunLines(run)
	if preview && run.Counts.Updated+run.Counts.Deleted > 0 {
		lines = append(lines, "", "Run `/sync now` to make these changes.")
	}
	color := ColorDubbed
	if err != nil || len(run.Errors) > 0 || run.Counts.Failed > 0 {
		color = ColorError
	}
	return &Response{Ephemeral: true, Embeds: []Embed{{
		Title: title, Description: JoinLines(lines, MaxEmbedDescription), Color: color,
	}}}, nil
}

func (h syncHandlers) status(ctx context.Context, req *Request) (*Response, error) {
	st, err := h.s.Status(req.UserID)
	if err != nil {
		return nil, err
	}
	return &Response{Ephemeral: true, Embeds: []Embed{syncStatusEmbed(st)}}, nil
}

func (h syncHandlers) log(ctx context.Context, req *Request) (*Response, error) {
	n := syncLogRuns
	if v, ok := req.Options.Int("runs"); ok {
		n = int(min(max(v, 1), 10))
	}
	runs, err := h.s.Log(req.UserID, n)
	if err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		return Private("No syncs yet. Turn auto-sync on with `/sync on`, or sync once with `/sync now`."), nil
	}
	var lines []string
	for i, run := range runs {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, syncRunLines(run)...)
	}
	return &Response{Ephemeral: true, Embeds: []Embed{{
		Title: "Sync log", Description: JoinLines(lines, MaxEmbedDescription), Color: ColorBrand,
		Footer: &EmbedFooter{Text: "Newest first; the last 50 syncs are kept"},
	}}}, nil
}

// syncError turns the sync's expected failures into messages for the user.
func syncError(err error) error {
	switch {
	case errors.Is(err, listsync.ErrNotLinked):
		return Errorf("Link both accounts first: `/link mal` and `/link anilist`.")
	case errors.Is(err, listsync.ErrReauthorize):
		return Errorf("MyAnimeList no longer accepts dubbot's access. Use `/link mal` to authorize it again; syncing picks up where it stopped.")
	}
	return err
}

// syncStatusEmbed shows /sync status: settings, links, last and next sync,
// and what needs the user's attention.
func syncStatusEmbed(st listsync.Status) Embed {
	onOff := map[bool]string{true: "on", false: "off"}
	linked := map[bool]string{true: "linked", false: "not linked"}
	fields := []EmbedField{
		{Name: "Auto-sync", Value: onOff[st.Auto], Inline: true},
		{Name: "Mirror deletions", Value: onOff[st.MirrorDeletes], Inline: true},
		{Name: "Accounts", Value: fmt.Sprintf("MyAnimeList %s, AniList %s", linked[st.MALLinked], linked[st.AniListLinked])},
		{Name: "Last sync", Value: syncWhen(st.LastRun, "never"), Inline: true},
	}
	if !st.NextCheck.IsZero() && !st.Paused {
		fields = append(fields, EmbedField{Name: "Next check", Value: Timestamp(st.NextCheck, "R"), Inline: true})
	}
	if st.Paused {
		fields = append(fields, EmbedField{Name: "Paused", Value: "MyAnimeList no longer accepts dubbot's access: use `/link mal` to authorize it again."})
	}
	if st.LastError != "" && !st.Paused {
		fields = append(fields, EmbedField{Name: "Last problem", Value: Clip(st.LastError, MaxFieldValue)})
	}
	if st.Pending {
		fields = append(fields, EmbedField{Name: "Pending", Value: "Some changes could not be written yet; the next sync tries again."})
	}
	return Embed{Title: "AniList → MyAnimeList sync", Color: ColorBrand, Fields: fields}
}

// syncWhen is a relative time, or never for the zero time.
func syncWhen(t time.Time, never string) string {
	if t.IsZero() {
		return never
	}
	return Timestamp(t, "R")
}

// syncRunLines renders one run: a heading, then a line per change, skip and error.
func syncRunLines(run listsync.Run) []string {
	head := fmt.Sprintf("**%s** · %s", Timestamp(run.At, "f"), syncTriggerName(run.Trigger))
	if run.Full {
		head += " · every entry compared"
	}
	lines := []string{head}
	for _, c := range run.Changes {
		lines = append(lines, syncChangeLine(c))
	}
	for _, sk := range run.Skipped {
		lines = append(lines, fmt.Sprintf("⏭ %s: skipped, %s", escape.Replace(sk.Title), sk.Reason))
	}
	for _, e := range run.Errors {
		lines = append(lines, "⚠ "+e)
	}
	if run.Counts.Omitted > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more not kept in the log", run.Counts.Omitted))
	}
	if len(lines) == 1 {
		lines = append(lines, "Nothing to change: MyAnimeList matches AniList.")
	}
	return lines
}

// syncTriggerName says in the log what started a run.
func syncTriggerName(t listsync.Trigger) string {
	switch t {
	case listsync.TriggerAuto:
		return "auto-sync"
	case listsync.TriggerPreview:
		return "preview"
	}
	return "/sync now"
}

// syncChangeLine renders one entry's change: "Frieren: status watching → completed, score 7 → 9".
func syncChangeLine(c listsync.Change) string {
	title := escape.Replace(c.Title)
	switch {
	case c.Error != "":
		return fmt.Sprintf("⚠ %s: not written, %s", title, c.Error)
	case c.Deleted:
		return fmt.Sprintf("🗑 %s: deleted from MyAnimeList", title)
	}
	parts := make([]string, 0, len(c.Fields))
	for _, f := range c.Fields {
		name := syncFieldName(f.Field, c.Media)
		if c.Added {
			parts = append(parts, name+" "+syncFieldValue(f.Field, f.New))
		} else {
			parts = append(parts, fmt.Sprintf("%s %s → %s", name, syncFieldValue(f.Field, f.Old), syncFieldValue(f.Field, f.New)))
		}
	}
	verb := "✏"
	if c.Added {
		verb = "➕"
	}
	return fmt.Sprintf("%s %s: %s", verb, title, strings.Join(parts, ", "))
}

// syncFieldName is how the sync log names a MAL field for the media type.
func syncFieldName(f syncer.Field, m mal.Media) string {
	manga := m == mal.Manga
	switch f {
	case syncer.FieldProgress:
		return map[bool]string{false: "episodes", true: "chapters"}[manga]
	case syncer.FieldRepeating:
		return map[bool]string{false: "rewatching", true: "rereading"}[manga]
	case syncer.FieldRepeatCount:
		return map[bool]string{false: "times rewatched", true: "times reread"}[manga]
	case syncer.FieldStartDate:
		return "started"
	case syncer.FieldFinishDate:
		return "finished"
	}
	return string(f)
}

// syncFieldValue shows a logged value: statuses in words, unset as "none".
func syncFieldValue(f syncer.Field, v string) string {
	switch {
	case v == "" || (f == syncer.FieldScore && v == "0"):
		return "none"
	case f == syncer.FieldRepeating:
		return map[string]string{"true": "yes", "false": "no"}[v]
	case f == syncer.FieldStatus:
		return strings.ReplaceAll(v, "_", " ")
	}
	return v
}

package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"dubbot/anime"
	"dubbot/catalog"
	"dubbot/dubs"
	"dubbot/search"
)

// Anime is what the anime commands (/dub, /search, /airing) need.
type Anime struct {
	Dubs    *dubs.Service
	Catalog *catalog.Catalog
	// Fallback searches upstream when the local index has no good match;
	// nil means no fallback.
	Fallback catalog.Searcher
	// QueueDetails queues details fetches for ids found upstream.
	QueueDetails func(ids []int)
	// AniList maps AniList anime ids to MAL ids, for pasted AniList links;
	// nil means such links are not understood.
	AniList interface {
		AnimeMALID(ctx context.Context, id int) (int, error)
	}
	Log *slog.Logger
}

var (
	malURL     = regexp.MustCompile(`myanimelist\.net/anime(?:/|\.php\?id=)(\d+)`)
	aniListURL = regexp.MustCompile(`anilist\.co/anime/(\d+)`)
	bareID     = regexp.MustCompile(`^\d{1,7}$`)
)

// DubCommand is /dub title:<text | MAL id | MAL URL>.
func (a *Anime) DubCommand() *Command {
	return &Command{
		Name:        "dub",
		Description: "Is this anime dubbed in English? Status, episodes and where it streams",
		Options: []Option{{Name: "title", Description: "Title, MyAnimeList id or link", Type: OptionString,
			Required: true, Autocomplete: true, MaxLength: 200}},
		Run:          a.runDub,
		Autocomplete: a.autocompleteTitle,
		Components: map[string]Handler{
			"dub": a.dubButton, // dub:<mal id>, a candidate of an ambiguous title
		},
	}
}

func (a *Anime) runDub(ctx context.Context, req *Request) (*Response, error) {
	input := strings.TrimSpace(req.Options.String("title"))
	if input == "" {
		return nil, Errorf("Tell me a title, for example `/dub title:frieren`.")
	}
	if m := aniListURL.FindStringSubmatch(input); m != nil {
		return a.fromAniList(ctx, m[1])
	}
	results := a.Catalog.Index().Search(input, search.Filter{}, 5)
	if id, ok := malID(input); ok && !titledLike(results, input) {
		// A MAL id or link, or a choice picked from autocomplete; but a
		// typed "86" means the show called 86, not anime #86.
		return a.card(ctx, id, nil, false)
	}
	if search.Good(results) {
		return a.card(ctx, results[0].Anime.ID, results[1:], false)
	}
	found, err := a.searchUpstream(ctx, input)
	if err != nil {
		a.Log.Warn("upstream search failed", slog.String("query", input), slog.Any("error", err))
	}
	if len(found) > 0 {
		others := make([]search.Result, 0, len(found)-1)
		for _, f := range found[1:] {
			others = append(others, search.Result{Anime: f})
		}
		return a.card(ctx, found[0].ID, others, false)
	}
	if len(results) > 0 {
		return a.card(ctx, results[0].Anime.ID, results[1:], false)
	}
	return Private(fmt.Sprintf("I couldn't find an anime called **%s**. Check the spelling, or paste its MyAnimeList link.", escape.Replace(Clip(input, 100)))), nil
}

// fromAniList answers for a pasted AniList link through its MAL id.
func (a *Anime) fromAniList(ctx context.Context, rawID string) (*Response, error) {
	id, err := strconv.Atoi(rawID)
	if a.AniList == nil || err != nil {
		return nil, Errorf("I can't read that AniList link. Try the title, or the MyAnimeList link.")
	}
	malID, err := a.AniList.AnimeMALID(ctx, id)
	if err != nil {
		a.Log.Warn("resolve AniList link", slog.Int("anilist_id", id), slog.Any("error", err))
		return nil, Errorf("AniList didn't answer about that link just now. Try the title instead.")
	}
	if malID == 0 {
		return Private("That AniList entry has no MyAnimeList page, and my dub data is keyed by MyAnimeList ids."), nil
	}
	return a.card(ctx, malID, nil, false)
}

// titledLike reports whether the best result's title is exactly input.
func titledLike(results []search.Result, input string) bool {
	return len(results) > 0 && search.Normalize(results[0].Matched) == search.Normalize(input)
}

func malID(input string) (int, bool) {
	if m := malURL.FindStringSubmatch(input); m != nil {
		id, err := strconv.Atoi(m[1])
		return id, err == nil && id > 0
	}
	if bareID.MatchString(input) {
		id, err := strconv.Atoi(input)
		return id, err == nil && id > 0
	}
	return 0, false
}

// searchUpstream asks the upstream search and queues details of what it
// found, so the next search finds them locally.
func (a *Anime) searchUpstream(ctx context.Context, query string) ([]anime.Anime, error) {
	if a.Fallback == nil {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 8*time.Second)
	defer cancel()
	found, err := a.Fallback.Search(ctx, query, 10)
	if err != nil {
		return nil, err
	}
	var ids []int
	var fresh []anime.Anime
	for _, f := range found {
		if _, cached := a.Catalog.Get(f.ID); !cached {
			f.Source = catalog.SourceCatalogPage
			fresh = append(fresh, f)
			ids = append(ids, f.ID)
		}
	}
	if err := a.Catalog.Put(fresh...); err != nil {
		a.Log.Warn("cache search results", slog.String("query", query), slog.Any("error", err))
	}
	if len(ids) > 0 && a.QueueDetails != nil {
		a.QueueDetails(ids)
	}
	return found, nil
}

func (a *Anime) dubButton(ctx context.Context, req *Request) (*Response, error) {
	_, arg, _ := strings.Cut(req.CustomID, ":")
	id, err := strconv.Atoi(arg)
	if err != nil || id <= 0 {
		return nil, Errorf("That button is broken. Run /dub again.")
	}
	return a.card(ctx, id, nil, true)
}

// card is the /dub answer for one anime, with buttons for other candidates.
func (a *Anime) card(ctx context.Context, id int, others []search.Result, update bool) (*Response, error) {
	details, err := a.Catalog.Details(ctx, id)
	if errors.Is(err, catalog.ErrUnknown) {
		return Private(fmt.Sprintf("MyAnimeList has no anime with id %d.", id)), nil
	}
	if err != nil {
		a.Log.Warn("details unavailable", slog.Int("mal_id", id), slog.Any("error", err))
		details = anime.Anime{ID: id, Title: fmt.Sprintf("MyAnimeList anime %d", id)}
	}
	resp := &Response{Update: update, Embeds: []Embed{a.dubEmbed(details)}}
	var buttons []Component
	seen := map[int]bool{id: true} // Discord refuses repeated custom_ids
	for _, o := range others {
		if len(buttons) == 4 {
			break
		}
		if seen[o.Anime.ID] {
			continue
		}
		seen[o.Anime.ID] = true
		buttons = append(buttons, Button(ButtonSecondary, Clip(search.ChoiceName(o.Anime), maxLabel), "dub:"+strconv.Itoa(o.Anime.ID)))
	}
	buttons = append(buttons, LinkButton("MyAnimeList", details.URL()))
	resp.Components = []Component{Row(buttons...)}
	return resp, nil
}

func (a *Anime) dubEmbed(an anime.Anime) Embed {
	info := a.Dubs.Info(an.ID)
	e := Embed{
		Title:  Clip(an.DisplayTitle(), MaxEmbedTitle),
		URL:    an.URL(),
		Color:  statusColor(info.Status),
		Fields: []EmbedField{{Name: "English dub", Value: dubLine(info) + a.dataNote(info)}},
	}
	var sub []string
	if an.English != "" && an.Title != an.English {
		sub = append(sub, escape.Replace(an.Title))
	}
	if an.Japanese != "" {
		sub = append(sub, escape.Replace(an.Japanese))
	}
	if facts := animeFacts(an); facts != "" {
		sub = append(sub, facts)
	}
	e.Description = Clip(strings.Join(sub, "\n"), MaxEmbedDescription)
	if an.ImageURL != "" {
		e.Thumbnail = &EmbedImage{URL: an.ImageURL}
	}
	if streams := StreamingLinks(an); streams != "" {
		e.Fields = append(e.Fields, EmbedField{Name: "Where it streams", Value: streams})
	}
	e.Footer = &EmbedFooter{Text: "Dub data: MAL-Dubs and the MAL forum's simuldub list"}
	return e
}

func statusColor(s anime.DubStatus) int {
	switch s {
	case anime.DubAiring:
		return ColorAiring
	case anime.DubDubbed:
		return ColorDubbed
	case anime.DubPartial:
		return ColorPartial
	}
	return ColorNone
}

func dubLine(info dubs.Info) string {
	switch info.Status {
	case anime.DubAiring:
		s := info.Airing
		line := fmt.Sprintf("**Dub airing**: %d", s.Episodes)
		if s.TotalKnown() {
			line += fmt.Sprintf(" of %d", s.Total)
		}
		line += fmt.Sprintf(" episodes dubbed; new dub episodes on %ss", s.Weekday)
		if n := info.Next; n != nil {
			line += fmt.Sprintf("\nNext: episode %d %s", n.Episode, Timestamp(n.At, "R"))
		}
		switch {
		case s.Suspended:
			line += "\nDub production is suspended for now."
		case !s.Resumes.IsZero():
			line += "\nResumes " + s.Resumes.Format("January 2, 2006") + "."
		}
		return line
	case anime.DubPartial:
		return "**Partial dub**: only part of it has an English dub."
	case anime.DubDubbed:
		return "**Dubbed**: an English dub exists."
	}
	return "**No English dub known.**"
}

// dataNote explains an empty answer before the dub list was ever read.
func (a *Anime) dataNote(info dubs.Info) string {
	if dubbed, partial, airing := a.Dubs.Counts(); info.Status == anime.DubNone && dubbed+partial+airing == 0 {
		return "\n_(I haven't loaded the dub list yet; ask again in a few minutes.)_"
	}
	return ""
}

func animeFacts(an anime.Anime) string {
	var facts []string
	if an.Type != "" {
		facts = append(facts, an.Type)
	}
	if an.Year > 0 {
		facts = append(facts, strconv.Itoa(an.Year))
	}
	if an.Episodes > 0 {
		facts = append(facts, fmt.Sprintf("%d episodes", an.Episodes))
	}
	if an.Status != "" {
		facts = append(facts, an.Status)
	}
	return strings.Join(facts, " · ")
}

// autocompleteTitle suggests titles for any title option: each choice
// names the title, year and type, and its value is the MAL id.
func (a *Anime) autocompleteTitle(ctx context.Context, req *Request) ([]Choice, error) {
	typed := req.Options.String(req.Focused)
	results := a.Catalog.Index().Autocomplete(typed, search.Filter{}, search.MaxAutocomplete)
	choices := make([]Choice, 0, len(results))
	for _, r := range results {
		choices = append(choices, Choice{Name: search.ChoiceName(r.Anime), Value: strconv.Itoa(r.Anime.ID)})
	}
	return choices, nil
}

package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"dubbot/search"
)

const (
	searchPageSize = 10
	maxQueryLen    = 60 // keeps the page buttons' custom_id under 100 characters
)

var searchTypes = []Choice{
	{Name: "TV", Value: "tv"}, {Name: "Movie", Value: "movie"}, {Name: "OVA", Value: "ova"},
	{Name: "ONA", Value: "ona"}, {Name: "Special", Value: "special"},
}

// SearchCommand is /search query:<text> [dubbed] [type] [year].
func (a *Anime) SearchCommand() *Command {
	return &Command{
		Name:        "search",
		Description: "Search anime by title, with dub badges",
		Options: []Option{
			{Name: "query", Description: "Title to look for", Type: OptionString, Required: true, Autocomplete: true, MaxLength: maxQueryLen},
			{Name: "dubbed", Description: "Only anime with an English dub", Type: OptionBoolean},
			{Name: "type", Description: "Only this type", Type: OptionString, Choices: searchTypes},
			{Name: "year", Description: "Only this year", Type: OptionInteger, MinValue: Float(1917), MaxValue: Float(2100)},
		},
		Run:          a.runSearch,
		Autocomplete: a.autocompleteTitle,
		Components: map[string]Handler{
			"search":  a.searchPage, // search:<page>:<flags>:<query>
			"dubpick": a.dubPick,    // select menu: value is a MAL id
		},
	}
}

// searchState is everything a results page needs, so page buttons keep
// working after a restart: it lives in the custom_id.
type searchState struct {
	Page   int
	Dubbed bool
	Type   string
	Year   int
	Query  string
}

func (s searchState) customID(page int) string {
	flags := ""
	if s.Dubbed {
		flags += "d"
	}
	return fmt.Sprintf("search:%d:%s,%s,%d:%s", page, flags, s.Type, s.Year, s.Query)
}

func parseSearchID(id string) (searchState, bool) {
	parts := strings.SplitN(id, ":", 4)
	if len(parts) != 4 || parts[0] != "search" {
		return searchState{}, false
	}
	page, err := strconv.Atoi(parts[1])
	flags := strings.Split(parts[2], ",")
	if err != nil || page < 0 || len(flags) != 3 {
		return searchState{}, false
	}
	year, _ := strconv.Atoi(flags[2])
	return searchState{Page: page, Dubbed: flags[0] == "d", Type: flags[1], Year: year, Query: parts[3]}, true
}

func (a *Anime) runSearch(ctx context.Context, req *Request) (*Response, error) {
	q := strings.TrimSpace(req.Options.String("query"))
	if q == "" {
		return nil, Errorf("Tell me what to look for, for example `/search query:frieren`.")
	}
	st := searchState{Page: 1, Type: req.Options.String("type"), Query: Clip(q, maxQueryLen)}
	st.Dubbed, _ = req.Options.Bool("dubbed")
	if y, ok := req.Options.Int("year"); ok {
		st.Year = int(y)
	}
	if id, ok := malID(q); ok && !titledLike(a.Catalog.Index().Search(q, search.Filter{}, 1), q) {
		// An id picked from autocomplete, or pasted: show its card.
		return a.card(ctx, id, nil, false)
	}
	return a.resultsPage(ctx, st, false)
}

func (a *Anime) searchPage(ctx context.Context, req *Request) (*Response, error) {
	st, ok := parseSearchID(req.CustomID)
	if !ok {
		return nil, Errorf("That button is broken. Run /search again.")
	}
	return a.resultsPage(ctx, st, true)
}

func (a *Anime) resultsPage(ctx context.Context, st searchState, update bool) (*Response, error) {
	f := search.Filter{Type: st.Type, Year: st.Year}
	if st.Dubbed {
		f.Dubbed = a.Dubs.Dubbed
	}
	results := a.Catalog.Index().Search(st.Query, f, search.MaxSearch)
	if !search.Good(results) && st.Page == 1 && !update {
		if _, err := a.searchUpstream(ctx, st.Query); err == nil {
			results = a.Catalog.Index().Search(st.Query, f, search.MaxSearch)
		}
	}
	if len(results) == 0 {
		return &Response{Update: update, Ephemeral: true, Content: fmt.Sprintf("No anime found for **%s**%s.", escape.Replace(st.Query), filterText(st))}, nil
	}
	pages := (len(results) + searchPageSize - 1) / searchPageSize
	st.Page = min(max(st.Page, 1), pages)
	shown := results[(st.Page-1)*searchPageSize : min(st.Page*searchPageSize, len(results))]
	var lines []string
	menu := Component{Type: ComponentStringSelect, CustomID: "dubpick", Placeholder: "Open a result's dub card"}
	for i, r := range shown {
		an := r.Anime
		lines = append(lines, fmt.Sprintf("%d. [%s](%s) · %s · **%s**", (st.Page-1)*searchPageSize+i+1,
			escape.Replace(Clip(an.DisplayTitle(), 90)), an.URL(), facts(an.Type, an.Year), a.Dubs.Status(an.ID).Badge()))
		menu.Options = append(menu.Options, SelectOption{Label: Clip(search.ChoiceName(an), maxLabel), Value: strconv.Itoa(an.ID)})
	}
	e := Embed{
		Title:       Clip("Results for "+st.Query, MaxEmbedTitle),
		Description: JoinLines(lines, MaxEmbedDescription),
		Color:       ColorBrand,
		Footer:      &EmbedFooter{Text: fmt.Sprintf("Page %d of %d · %s%s", st.Page, pages, plural(len(results), "result"), filterText(st))},
	}
	// Page numbers past either end (on disabled buttons) keep the two
	// custom_ids distinct, as Discord requires; resultsPage clamps them.
	prev := Button(ButtonSecondary, "◀ Previous", st.customID(st.Page-1))
	next := Button(ButtonSecondary, "Next ▶", st.customID(st.Page+1))
	prev.Disabled, next.Disabled = st.Page == 1, st.Page == pages
	return &Response{
		Update:     update,
		Embeds:     []Embed{e},
		Components: []Component{Row(menu), Row(prev, next)},
	}, nil
}

// plural writes a count with its noun: "1 result", "2 results".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func facts(typ string, year int) string {
	parts := []string{}
	if typ != "" {
		parts = append(parts, typ)
	}
	if year > 0 {
		parts = append(parts, strconv.Itoa(year))
	}
	if len(parts) == 0 {
		return "?"
	}
	return strings.Join(parts, ", ")
}

func filterText(st searchState) string {
	var f []string
	if st.Dubbed {
		f = append(f, "dubbed only")
	}
	if st.Type != "" {
		f = append(f, st.Type)
	}
	if st.Year > 0 {
		f = append(f, strconv.Itoa(st.Year))
	}
	if len(f) == 0 {
		return ""
	}
	return " (" + strings.Join(f, ", ") + ")"
}

func (a *Anime) dubPick(ctx context.Context, req *Request) (*Response, error) {
	if len(req.Values) != 1 {
		return nil, Errorf("Pick one result.")
	}
	id, ok := malID(req.Values[0])
	if !ok {
		return nil, Errorf("That choice is broken. Run /search again.")
	}
	return a.card(ctx, id, nil, false)
}

// Package anime holds the domain types every other package speaks: an anime's
// details, its dub status, and the events the dub jobs record. It imports
// nothing but the standard library.
package anime

import (
	"strconv"
	"time"
)

// Anime is what the bot knows about one MyAnimeList anime, whichever upstream
// (Jikan, the MAL API, a catalog page) it came from.
type Anime struct {
	ID       int      `json:"mal_id"`
	Title    string   `json:"title"`              // main (usually romaji) title
	English  string   `json:"english,omitempty"`  // official English title
	Japanese string   `json:"japanese,omitempty"` // title in Japanese script
	Synonyms []string `json:"synonyms,omitempty"` // other names, short forms
	Type     string   `json:"type,omitempty"`     // TV, Movie, OVA, ONA, Special, Music; "" when unknown
	Year     int      `json:"year,omitempty"`     // first broadcast year; 0 when unknown
	Episodes int      `json:"episodes,omitempty"` // 0 when unknown
	// Status is the airing status as Jikan words it: "Finished Airing",
	// "Currently Airing" or "Not yet aired"; "" when unknown.
	Status    string    `json:"status,omitempty"`
	Members   int       `json:"members,omitempty"` // people with it on their MAL list
	Score     float64   `json:"score,omitempty"`
	ImageURL  string    `json:"image_url,omitempty"`
	Streaming []Link    `json:"streaming,omitempty"`
	FetchedAt time.Time `json:"fetched_at"`
	// Source names the upstream the record came from ("jikan", "mal",
	// "catalog"); a catalog-page record is thinner than a details record.
	Source string `json:"source,omitempty"`
}

// Link is a named URL, such as a streaming service.
type Link struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// URL is the anime's MyAnimeList page.
func (a *Anime) URL() string { return MALURL(a.ID) }

// MALURL is the MyAnimeList page of an anime id.
func MALURL(id int) string { return "https://myanimelist.net/anime/" + strconv.Itoa(id) }

// DisplayTitle prefers the English title, which is what dub watchers know.
func (a *Anime) DisplayTitle() string {
	if a.English != "" {
		return a.English
	}
	return a.Title
}

// Airing reports whether the show is still airing in Japan.
func (a *Anime) Airing() bool { return a.Status == StatusAiring }

// Airing statuses as Jikan spells them.
const (
	StatusFinished = "Finished Airing"
	StatusAiring   = "Currently Airing"
	StatusUpcoming = "Not yet aired"
)

// DubStatus is the answer to "is this anime dubbed?".
type DubStatus int

// Dub statuses, in the order /dub checks them (airing wins over partial, which
// wins over dubbed).
const (
	DubNone    DubStatus = iota // no English dub known
	DubDubbed                   // MAL-Dubs lists it as dubbed
	DubPartial                  // MAL-Dubs lists it as incomplete
	DubAiring                   // on the currently-streaming simuldub list
)

// String is the status as users read it.
func (s DubStatus) String() string {
	switch s {
	case DubDubbed:
		return "Dubbed"
	case DubPartial:
		return "Partial dub"
	case DubAiring:
		return "Dub airing"
	default:
		return "No English dub known"
	}
}

// Badge is the short label used in search results.
func (s DubStatus) Badge() string {
	switch s {
	case DubDubbed:
		return "dubbed"
	case DubPartial, DubAiring:
		return "in progress"
	default:
		return "no dub"
	}
}

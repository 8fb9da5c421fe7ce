package jikan

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dubbot/anime"
)

// source is what records from Jikan say in anime.Anime.Source.
const source = "jikan"

// document is a decoded answer that can tell whether it holds what the bot
// needs.
type document interface {
	check() error
}

// animeDoc is the answer of /anime/{id}/full.
type animeDoc struct {
	Data *animeJSON `json:"data"`
}

func (d *animeDoc) check() error {
	if d.Data == nil {
		return errors.New("no data object")
	}
	if d.Data.MalID <= 0 {
		return errors.New("data has no mal_id")
	}
	return nil
}

// pageDoc is the answer of /anime with page or q.
type pageDoc struct {
	Data       []animeJSON     `json:"data"`
	Pagination *paginationJSON `json:"pagination"`
}

func (d *pageDoc) check() error {
	if d.Pagination == nil {
		return errors.New("no pagination object")
	}
	for i := range d.Data {
		if d.Data[i].MalID <= 0 {
			return fmt.Errorf("data[%d] has no mal_id", i)
		}
	}
	return nil
}

func (d *pageDoc) toPage(fetched time.Time) Page {
	p := Page{
		Items:    make([]anime.Anime, len(d.Data)),
		HasNext:  d.Pagination.HasNextPage,
		LastPage: d.Pagination.LastVisiblePage,
		Current:  d.Pagination.CurrentPage,
	}
	for i := range d.Data {
		p.Items[i] = d.Data[i].toAnime(fetched)
	}
	return p
}

// animeJSON is the part of Jikan's anime resource the bot keeps. Missing
// strings and numbers come as null, which leaves the zero value.
type animeJSON struct {
	MalID         int         `json:"mal_id"`
	Images        imagesJSON  `json:"images"`
	Titles        []titleJSON `json:"titles"`
	Title         string      `json:"title"`
	TitleEnglish  string      `json:"title_english"`
	TitleJapanese string      `json:"title_japanese"`
	TitleSynonyms []string    `json:"title_synonyms"`
	Type          string      `json:"type"`
	Episodes      int         `json:"episodes"`
	Status        string      `json:"status"`
	Aired         airedJSON   `json:"aired"`
	Score         float64     `json:"score"`
	Members       int         `json:"members"`
	Year          int         `json:"year"`
	Streaming     []linkJSON  `json:"streaming"` // only in /anime/{id}/full
}

type imagesJSON struct {
	JPG  imageJSON `json:"jpg"`
	WebP imageJSON `json:"webp"`
}

type imageJSON struct {
	ImageURL      string `json:"image_url"`
	LargeImageURL string `json:"large_image_url"`
}

type titleJSON struct {
	Type  string `json:"type"` // Default, English, Japanese, Synonym, or a language
	Title string `json:"title"`
}

type airedJSON struct {
	Prop struct {
		From struct {
			Year int `json:"year"`
		} `json:"from"`
	} `json:"prop"`
}

type linkJSON struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type paginationJSON struct {
	LastVisiblePage int  `json:"last_visible_page"`
	HasNextPage     bool `json:"has_next_page"`
	CurrentPage     int  `json:"current_page"`
}

// toAnime maps a Jikan record to the domain type, stamped with when it was
// fetched.
func (w *animeJSON) toAnime(fetched time.Time) anime.Anime {
	a := anime.Anime{
		ID:        w.MalID,
		Type:      strings.TrimSpace(w.Type),
		Year:      cmp.Or(w.Year, w.Aired.Prop.From.Year),
		Episodes:  w.Episodes,
		Status:    strings.TrimSpace(w.Status),
		Members:   w.Members,
		Score:     w.Score,
		ImageURL:  cmp.Or(w.Images.JPG.LargeImageURL, w.Images.JPG.ImageURL, w.Images.WebP.LargeImageURL, w.Images.WebP.ImageURL),
		Streaming: w.links(),
		FetchedAt: fetched,
		Source:    source,
	}
	w.fillTitles(&a)
	return a
}

// fillTitles prefers the titles[] array, which newer Jikan versions fill,
// and falls back to the legacy title_* fields. Titles in other languages
// (German, Spanish, French) are left out: nobody searches an English dub by
// them.
func (w *animeJSON) fillTitles(a *anime.Anime) {
	var synonyms []string
	for _, t := range w.Titles {
		title := strings.TrimSpace(t.Title)
		switch t.Type {
		case "Default":
			a.Title = cmp.Or(a.Title, title)
		case "English":
			a.English = cmp.Or(a.English, title)
		case "Japanese":
			a.Japanese = cmp.Or(a.Japanese, title)
		case "Synonym":
			synonyms = append(synonyms, title)
		}
	}
	a.Title = cmp.Or(a.Title, strings.TrimSpace(w.Title))
	a.English = cmp.Or(a.English, strings.TrimSpace(w.TitleEnglish))
	a.Japanese = cmp.Or(a.Japanese, strings.TrimSpace(w.TitleJapanese))
	for _, s := range append(synonyms, w.TitleSynonyms...) {
		s = strings.TrimSpace(s)
		if s != "" && s != a.Title && s != a.English && !slices.Contains(a.Synonyms, s) {
			a.Synonyms = append(a.Synonyms, s)
		}
	}
}

func (w *animeJSON) links() []anime.Link {
	var links []anime.Link
	for _, l := range w.Streaming {
		if l.Name != "" && l.URL != "" {
			links = append(links, anime.Link{Name: l.Name, URL: l.URL})
		}
	}
	return links
}

package jikantest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"dubbot/anime"
)

// PerPage is how many anime a page holds unless the request asks for fewer,
// as on Jikan.
const PerPage = 25

func (s *Server) handleAnime(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestException", "Invalid or incomplete request. Make sure your parameters are correct.")
		return
	}
	i, ok := slices.BinarySearchFunc(s.catalog, id, func(a anime.Anime, id int) int { return a.ID - id })
	if !ok {
		writeError(w, http.StatusNotFound, "BadResponseException", "Resource does not exist")
		return
	}
	full := strings.HasSuffix(r.URL.Path, "/full")
	writeJSON(w, http.StatusOK, map[string]any{"data": toWire(s.catalog[i], full)})
}

// handleList serves /anime?page=&limit=&q=: the catalog by id, or the anime
// with a title containing q, paginated like Jikan.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := intParam(q.Get("page"), 1)
	if err != nil || page < 1 {
		writeError(w, http.StatusBadRequest, "ValidationException", "The page must be at least 1.")
		return
	}
	limit, err := intParam(q.Get("limit"), PerPage)
	if err != nil || limit < 1 || limit > PerPage {
		writeError(w, http.StatusBadRequest, "ValidationException", "The limit must be between 1 and 25.")
		return
	}
	matches := s.search(q.Get("q"))
	last := max(1, (len(matches)+limit-1)/limit)
	start := min((page-1)*limit, len(matches))
	items := matches[start:min(start+limit, len(matches))]
	data := make([]wireAnime, len(items))
	for i, a := range items {
		data[i] = toWire(a, false)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"pagination": map[string]any{
			"last_visible_page": last,
			"has_next_page":     page < last,
			"current_page":      page,
			"items":             map[string]int{"count": len(items), "total": len(matches), "per_page": limit},
		},
		"data": data,
	})
}

func intParam(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}

// search returns the catalog entries with a title containing query, ignoring
// case; all of them for an empty query.
func (s *Server) search(query string) []anime.Anime {
	query = strings.ToLower(strings.TrimSpace(query))
	if query == "" {
		return s.catalog
	}
	var out []anime.Anime
	for _, a := range s.catalog {
		titles := append([]string{a.Title, a.English, a.Japanese}, a.Synonyms...)
		if slices.ContainsFunc(titles, func(t string) bool { return strings.Contains(strings.ToLower(t), query) }) {
			out = append(out, a)
		}
	}
	return out
}

// wireAnime is an anime as Jikan v4 writes it, with null where Jikan has
// nothing to say.
type wireAnime struct {
	MalID         int                  `json:"mal_id"`
	URL           string               `json:"url"`
	Images        map[string]wireImage `json:"images"`
	Approved      bool                 `json:"approved"`
	Titles        []wireTitle          `json:"titles"`
	Title         string               `json:"title"`
	TitleEnglish  *string              `json:"title_english"`
	TitleJapanese *string              `json:"title_japanese"`
	TitleSynonyms []string             `json:"title_synonyms"`
	Type          *string              `json:"type"`
	Episodes      *int                 `json:"episodes"`
	Status        string               `json:"status"`
	Airing        bool                 `json:"airing"`
	Aired         wireAired            `json:"aired"`
	Score         *float64             `json:"score"`
	Members       int                  `json:"members"`
	Year          *int                 `json:"year"`
	Streaming     *[]anime.Link        `json:"streaming,omitempty"` // only on /full
}

type wireImage struct {
	ImageURL      *string `json:"image_url"`
	SmallImageURL *string `json:"small_image_url"`
	LargeImageURL *string `json:"large_image_url"`
}

type wireTitle struct {
	Type  string `json:"type"`
	Title string `json:"title"`
}

type wireAired struct {
	Prop struct {
		From struct {
			Year *int `json:"year"`
		} `json:"from"`
	} `json:"prop"`
}

func toWire(a anime.Anime, full bool) wireAnime {
	img := wireImage{ImageURL: orNull(a.ImageURL), LargeImageURL: orNull(a.ImageURL)}
	w := wireAnime{
		MalID:         a.ID,
		URL:           a.URL(),
		Images:        map[string]wireImage{"jpg": img, "webp": img},
		Approved:      true,
		Titles:        wireTitles(a),
		Title:         a.Title,
		TitleEnglish:  orNull(a.English),
		TitleJapanese: orNull(a.Japanese),
		TitleSynonyms: append([]string{}, a.Synonyms...),
		Type:          orNull(a.Type),
		Episodes:      orNull(a.Episodes),
		Status:        a.Status,
		Airing:        a.Airing(),
		Score:         orNull(a.Score),
		Members:       a.Members,
		Year:          orNull(a.Year),
	}
	w.Aired.Prop.From.Year = orNull(a.Year)
	if full {
		links := append([]anime.Link{}, a.Streaming...)
		w.Streaming = &links
	}
	return w
}

func wireTitles(a anime.Anime) []wireTitle {
	titles := []wireTitle{{"Default", a.Title}}
	for _, s := range a.Synonyms {
		titles = append(titles, wireTitle{"Synonym", s})
	}
	if a.Japanese != "" {
		titles = append(titles, wireTitle{"Japanese", a.Japanese})
	}
	if a.English != "" {
		titles = append(titles, wireTitle{"English", a.English})
	}
	return titles
}

// orNull is nil for the zero value, which Jikan writes as null.
func orNull[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func writeError(w http.ResponseWriter, status int, kind, message string) {
	writeJSON(w, status, map[string]any{"status": status, "type": kind, "message": message, "error": nil})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

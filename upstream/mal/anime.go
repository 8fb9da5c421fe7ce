package mal

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"dubbot/anime"
)

// detailFields are the fields Anime maps onto anime.Anime.
const detailFields = "id,title,alternative_titles,start_season,num_episodes,media_type,status,main_picture,num_list_users,mean"

// details is the answer of /anime/{id}.
type details struct {
	ID                int    `json:"id"`
	Title             string `json:"title"`
	AlternativeTitles struct {
		Synonyms []string `json:"synonyms"`
		En       string   `json:"en"`
		Ja       string   `json:"ja"`
	} `json:"alternative_titles"`
	StartSeason struct {
		Year int `json:"year"`
	} `json:"start_season"`
	NumEpisodes  int     `json:"num_episodes"`
	MediaType    string  `json:"media_type"`
	Status       string  `json:"status"`
	NumListUsers int     `json:"num_list_users"`
	Mean         float64 `json:"mean"`
	MainPicture  struct {
		Medium string `json:"medium"`
		Large  string `json:"large"`
	} `json:"main_picture"`
}

// Anime returns an anime's details. It needs a user token or WithClientID.
func (c *Client) Anime(ctx context.Context, id int) (anime.Anime, error) {
	var d details
	u := c.base + "/anime/" + strconv.Itoa(id) + "?" + url.Values{"fields": {detailFields}}.Encode()
	if err := c.get(ctx, u, &d); err != nil {
		return anime.Anime{}, fmt.Errorf("mal anime %d: %w", id, err)
	}
	if d.ID != id {
		return anime.Anime{}, fmt.Errorf("mal anime %d: answer is for id %d", id, d.ID)
	}
	return d.anime(c.now()), nil
}

// anime maps the details onto the shared type.
func (d *details) anime(now time.Time) anime.Anime {
	img := d.MainPicture.Large
	if img == "" {
		img = d.MainPicture.Medium
	}
	return anime.Anime{
		ID:        d.ID,
		Title:     d.Title,
		English:   d.AlternativeTitles.En,
		Japanese:  d.AlternativeTitles.Ja,
		Synonyms:  d.AlternativeTitles.Synonyms,
		Type:      mediaTypes[d.MediaType],
		Year:      d.StartSeason.Year,
		Episodes:  d.NumEpisodes,
		Status:    airingStatuses[d.Status],
		Members:   d.NumListUsers,
		Score:     d.Mean,
		ImageURL:  img,
		FetchedAt: now,
		Source:    "mal",
	}
}

// mediaTypes maps MAL's media_type onto anime.Anime's Jikan-style Type;
// "unknown" and anything new map to "".
var mediaTypes = map[string]string{
	"tv": "TV", "movie": "Movie", "ova": "OVA", "ona": "ONA", "special": "Special",
	"tv_special": "Special", "music": "Music", "cm": "Special", "pv": "Special",
}

// airingStatuses maps MAL's status onto anime.Anime's Jikan-style Status.
var airingStatuses = map[string]string{
	"finished_airing":  anime.StatusFinished,
	"currently_airing": anime.StatusAiring,
	"not_yet_aired":    anime.StatusUpcoming,
}

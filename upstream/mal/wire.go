package mal

import "time"

// listPage is a page of /users/@me/animelist or /mangalist.
type listPage struct {
	Data []struct {
		Node struct {
			ID          int    `json:"id"`
			Title       string `json:"title"`
			NumEpisodes int    `json:"num_episodes"`
			NumChapters int    `json:"num_chapters"`
			NumVolumes  int    `json:"num_volumes"`
		} `json:"node"`
		ListStatus wireStatus `json:"list_status"`
	} `json:"data"`
	Paging struct {
		Next string `json:"next"`
	} `json:"paging"`
}

// appendTo adds the page's entries, skipping rows without an id.
func (p *listPage) appendTo(entries []ListEntry, m Media) []ListEntry {
	for _, d := range p.Data {
		if d.Node.ID <= 0 {
			continue
		}
		e := ListEntry{ID: d.Node.ID, Title: d.Node.Title, Status: d.ListStatus.status(m)}
		if m == Anime {
			e.Total = d.Node.NumEpisodes
		} else {
			e.Total, e.TotalVolumes = d.Node.NumChapters, d.Node.NumVolumes
		}
		entries = append(entries, e)
	}
	return entries
}

// wireStatus is a list_status object; anime and manga name fields apart.
type wireStatus struct {
	Status             Status `json:"status"`
	Score              int    `json:"score"`
	NumEpisodesWatched int    `json:"num_episodes_watched"`
	NumChaptersRead    int    `json:"num_chapters_read"`
	NumVolumesRead     int    `json:"num_volumes_read"`
	IsRewatching       bool   `json:"is_rewatching"`
	IsRereading        bool   `json:"is_rereading"`
	NumTimesRewatched  int    `json:"num_times_rewatched"`
	NumTimesReread     int    `json:"num_times_reread"`
	StartDate          string `json:"start_date"`
	FinishDate         string `json:"finish_date"`
	UpdatedAt          string `json:"updated_at"`
}

// status maps the wire fields of media m onto ListStatus.
func (w *wireStatus) status(m Media) ListStatus {
	s := ListStatus{
		Status:     w.Status,
		Score:      w.Score,
		StartDate:  w.StartDate,
		FinishDate: w.FinishDate,
	}
	if t, err := time.Parse(time.RFC3339, w.UpdatedAt); err == nil {
		s.UpdatedAt = t.UTC()
	}
	if m == Anime {
		s.Progress, s.Repeating, s.RepeatCount = w.NumEpisodesWatched, w.IsRewatching, w.NumTimesRewatched
	} else {
		s.Progress, s.Volumes, s.Repeating, s.RepeatCount = w.NumChaptersRead, w.NumVolumesRead, w.IsRereading, w.NumTimesReread
	}
	return s
}

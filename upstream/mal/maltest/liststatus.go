package maltest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"dubbot/upstream/mal"
)

// names are the wire names of one media type's list_status fields.
type names struct {
	progress, repeating, repeatCount, progressWrite string
	writable                                        []string
}

var wire = map[mal.Media]names{
	mal.Anime: {
		progress: "num_episodes_watched", repeating: "is_rewatching", repeatCount: "num_times_rewatched",
		progressWrite: "num_watched_episodes",
		writable: []string{"status", "score", "num_watched_episodes", "is_rewatching", "num_times_rewatched",
			"start_date", "finish_date", "priority", "rewatch_value", "tags", "comments"},
	},
	mal.Manga: {
		progress: "num_chapters_read", repeating: "is_rereading", repeatCount: "num_times_reread",
		progressWrite: "num_chapters_read",
		writable: []string{"status", "score", "num_chapters_read", "num_volumes_read", "is_rereading", "num_times_reread",
			"start_date", "finish_date", "priority", "reread_value", "tags", "comments"},
	},
}

// statusJSON is a list_status object: MAL's default fields plus the
// requested extra ones (nil extra means a PATCH answer, which has all).
func statusJSON(m mal.Media, st mal.ListStatus, extra []string) map[string]any {
	n := wire[m]
	out := map[string]any{
		"status": st.Status, "score": st.Score, n.progress: st.Progress, n.repeating: st.Repeating,
		"updated_at": st.UpdatedAt.Format(time.RFC3339),
	}
	if m == mal.Manga {
		out["num_volumes_read"] = st.Volumes
	}
	optional := map[string]any{n.repeatCount: st.RepeatCount, "start_date": st.StartDate, "finish_date": st.FinishDate}
	for name, v := range optional {
		if extra != nil && !slices.Contains(extra, name) {
			continue
		}
		if s, ok := v.(string); ok && s == "" {
			continue // MAL leaves unset dates out
		}
		out[name] = v
	}
	return out
}

// patch updates or creates an entry from a form body, rejecting unknown
// fields and bad values with 400 as MAL does, and capping progress at the
// title's total.
func (s *Server) patch(m mal.Media, endpoint string) func(http.ResponseWriter, *http.Request, *user) {
	return func(w http.ResponseWriter, r *http.Request, u *user) {
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil || id <= 0 || r.ParseForm() != nil {
			writeError(w, http.StatusBadRequest, "invalid_parameters", "bad id or body")
			return
		}
		s.lastForm[endpoint] = r.PostForm
		st, ok := u.lists[m][id]
		if !ok {
			st.Status = map[mal.Media]mal.Status{mal.Anime: mal.PlanToWatch, mal.Manga: mal.PlanToRead}[m]
		}
		if err := apply(&st, m, r.PostForm); err != nil {
			writeError(w, http.StatusBadRequest, "invalid_parameters", err.Error())
			return
		}
		t := s.titles[m][id]
		if t.Total > 0 {
			st.Progress = min(st.Progress, t.Total)
		}
		if t.TotalVolumes > 0 {
			st.Volumes = min(st.Volumes, t.TotalVolumes)
		}
		st.UpdatedAt = s.tick()
		u.lists[m][id] = st
		writeJSON(w, http.StatusOK, statusJSON(m, st, nil))
	}
}

// apply sets the form's fields on st.
func apply(st *mal.ListStatus, m mal.Media, form url.Values) error {
	n := wire[m]
	for name, vals := range form {
		if !slices.Contains(n.writable, name) {
			return fmt.Errorf("unknown field %q", name)
		}
		if err := applyField(st, m, n, name, vals[0]); err != nil {
			return fmt.Errorf("%s=%q: %w", name, vals[0], err)
		}
	}
	return nil
}

func applyField(st *mal.ListStatus, m mal.Media, n names, name, v string) error {
	var err error
	switch name {
	case "status":
		st.Status = mal.Status(v)
		if !st.Status.ValidFor(m) {
			return fmt.Errorf("not a %s status", m)
		}
	case "score":
		st.Score, err = count(v, 10)
	case n.progressWrite:
		st.Progress, err = count(v, 1<<20)
	case "num_volumes_read":
		st.Volumes, err = count(v, 1<<20)
	case n.repeating:
		st.Repeating, err = strconv.ParseBool(v)
	case n.repeatCount:
		st.RepeatCount, err = count(v, 1<<20)
	case "start_date", "finish_date":
		if v != "" {
			_, err = time.Parse(time.DateOnly, v)
		}
		if name == "start_date" {
			st.StartDate = v
		} else {
			st.FinishDate = v
		}
	}
	return err
}

func count(v string, max int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, fmt.Errorf("want an integer 0..%d", max)
	}
	return n, nil
}

func (s *Server) delete(m mal.Media) func(http.ResponseWriter, *http.Request, *user) {
	return func(w http.ResponseWriter, r *http.Request, u *user) {
		id, _ := strconv.Atoi(r.PathValue("id"))
		if _, ok := u.lists[m][id]; !ok {
			writeError(w, http.StatusNotFound, "not_found", "")
			return
		}
		delete(u.lists[m], id)
		writeJSON(w, http.StatusOK, []any{})
	}
}

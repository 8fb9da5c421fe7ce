package forum

// Rise is a show whose dubbed-episode counter went up between two reads:
// episodes From+1 through To are new.
type Rise struct {
	MALID int    `json:"mal_id"`
	Title string `json:"title"`
	From  int    `json:"from"`
	To    int    `json:"to"`
}

// EpisodeRises compares two reads of the schedule and lists the shows whose
// counter rose, in next's page order. A show missing from either read, or
// whose counter stayed or fell (a correction), is no rise. A show listed on
// two days counts once, with its highest counter.
func EpisodeRises(prev, next *Schedule) []Rise {
	if prev == nil || next == nil {
		return nil
	}
	before := highest(prev.Shows)
	after := highest(next.Shows)
	var rises []Rise
	for _, s := range next.Shows {
		from, ok := before[s.MALID]
		to := after[s.MALID]
		if !ok || to <= from {
			continue
		}
		rises = append(rises, Rise{MALID: s.MALID, Title: s.Title, From: from, To: to})
		delete(after, s.MALID) // once per show
	}
	return rises
}

// highest maps each show to its highest counter.
func highest(shows []Show) map[int]int {
	m := make(map[int]int, len(shows))
	for _, s := range shows {
		if cur, ok := m[s.MALID]; !ok || s.Episodes > cur {
			m[s.MALID] = s.Episodes
		}
	}
	return m
}

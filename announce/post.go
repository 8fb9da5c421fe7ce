package announce

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dubbot/dubs"
)

// KindDigest is the kind of a post summing up events found while the bot
// was not announcing.
const KindDigest dubs.EventKind = "digest"

// maxDigestItems bounds the lines of one digest; the rest are counted.
const maxDigestItems = 30

// Post is one announcement: one event, the new episodes of one show found
// by one refresh, or a digest of older posts.
type Post struct {
	ID       string         `json:"id"`
	Kind     dubs.EventKind `json:"kind"`
	MALID    int            `json:"mal_id,omitempty"`
	Title    string         `json:"title,omitempty"`
	Episodes []int          `json:"episodes,omitempty"`
	Total    int            `json:"total,omitempty"`
	Date     time.Time      `json:"date,omitzero"`
	Section  string         `json:"section,omitempty"`
	Found    time.Time      `json:"found"`
	// Events are the ids of the events the post announces.
	Events []string `json:"events,omitempty"`
	// Items are a digest's posts; More counts those left out.
	Items []Post `json:"items,omitempty"`
	More  int    `json:"more,omitempty"`
}

// groupPosts turns events into posts, oldest first: the episodes of one
// show from one refresh (one Batch) become one post, every other event
// its own.
func groupPosts(events []dubs.Event) []Post {
	byKey := map[string]*Post{}
	var order []string
	for _, ev := range events {
		key := ev.ID
		if ev.Kind == dubs.EpisodeAired {
			key = fmt.Sprintf("%s|%s|%d", dubs.EpisodeAired, ev.Batch, ev.MALID)
		}
		p, ok := byKey[key]
		if !ok {
			p = &Post{Kind: ev.Kind, MALID: ev.MALID, Title: ev.Title, Total: ev.Total,
				Date: ev.Date, Section: ev.Section, Found: ev.Found}
			byKey[key] = p
			order = append(order, key)
		}
		p.Events = append(p.Events, ev.ID)
		if ev.Episode > 0 {
			p.Episodes = append(p.Episodes, ev.Episode)
		}
		p.Total = max(p.Total, ev.Total)
		if ev.Found.Before(p.Found) {
			p.Found = ev.Found
		}
	}
	posts := make([]Post, 0, len(order))
	for _, key := range order {
		p := byKey[key]
		slices.Sort(p.Episodes)
		p.ID = postID(p)
		posts = append(posts, *p)
	}
	slices.SortStableFunc(posts, func(a, b Post) int {
		return cmp.Or(a.Found.Compare(b.Found), cmp.Compare(a.ID, b.ID))
	})
	return posts
}

// postID is a post's stable id: its event's id, or for an episode range
// "episode/<mal id>/<first>-<last>".
func postID(p *Post) string {
	if len(p.Events) == 1 {
		return p.Events[0]
	}
	if p.Kind == dubs.EpisodeAired && len(p.Episodes) > 0 {
		return fmt.Sprintf("%s/%d/%d-%d", dubs.EpisodeAired, p.MALID, p.Episodes[0], p.Episodes[len(p.Episodes)-1])
	}
	return digestID(p.Events)
}

// digestID names a digest by the events it covers, so planning it again
// from the same events gives the same id.
func digestID(eventIDs []string) string {
	ids := slices.Clone(eventIDs)
	slices.Sort(ids)
	sum := sha256.Sum256([]byte(strings.Join(ids, "\n")))
	return string(KindDigest) + "/" + hex.EncodeToString(sum[:8])
}

// digest sums up posts in one; nil when there are none.
func digest(posts []Post) *Post {
	if len(posts) == 0 {
		return nil
	}
	d := &Post{Kind: KindDigest, Found: posts[0].Found}
	for _, p := range posts {
		d.Events = append(d.Events, p.Events...)
		if len(d.Items) < maxDigestItems {
			p.Events = nil // the digest lists them once
			d.Items = append(d.Items, p)
		} else {
			d.More++
		}
	}
	d.ID = digestID(d.Events)
	return d
}

// episodeRange words episode numbers: "6", "6–7", or "6, 8" when they
// are not consecutive.
func episodeRange(eps []int) string {
	switch {
	case len(eps) == 0:
		return ""
	case len(eps) == 1:
		return strconv.Itoa(eps[0])
	case eps[len(eps)-1]-eps[0] == len(eps)-1:
		return fmt.Sprintf("%d–%d", eps[0], eps[len(eps)-1])
	}
	parts := make([]string, len(eps))
	for i, e := range eps {
		parts[i] = strconv.Itoa(e)
	}
	return strings.Join(parts, ", ")
}

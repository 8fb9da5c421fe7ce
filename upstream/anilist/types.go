package anilist

// MediaType says which of a user's two lists an entry belongs to.
type MediaType string

// Media types as AniList spells them.
const (
	Anime MediaType = "ANIME"
	Manga MediaType = "MANGA"
)

// ListStatus is the status of a list entry, as AniList spells it.
type ListStatus string

// List statuses. Repeating (a rewatch or reread) is a status of its own on
// AniList, separate from Current.
const (
	Current   ListStatus = "CURRENT"
	Planning  ListStatus = "PLANNING"
	Completed ListStatus = "COMPLETED"
	Dropped   ListStatus = "DROPPED"
	Paused    ListStatus = "PAUSED"
	Repeating ListStatus = "REPEATING"
)

// User is the owner of the token a client sends.
type User struct {
	ID   int
	Name string
	// ScoreFormat is how the user scores (POINT_100, POINT_10_DECIMAL,
	// POINT_10, POINT_5, POINT_3). Entry.Score is POINT_100 whatever it is.
	ScoreFormat string
}

// Entry is one entry of a user's list.
type Entry struct {
	MediaID      int // AniList media id; unique across anime and manga
	MALID        int // MyAnimeList id of the media; 0 when AniList has none
	Type         MediaType
	TitleRomaji  string
	TitleEnglish string // "" when AniList has no English title
	// Episodes, Chapters and Volumes are the media's totals; 0 when unknown
	// (still airing or publishing).
	Episodes int
	Chapters int
	Volumes  int

	Status ListStatus
	// Score is on AniList's 0–100 scale whatever format the user scores in;
	// 0 means unscored.
	Score           float64
	Progress        int // episodes watched, or chapters read
	ProgressVolumes int // volumes read (manga)
	Repeat          int // how many times the user rewatched or reread it
	StartedAt       Date
	CompletedAt     Date
	UpdatedAt       int64 // unix seconds of the entry's last change
}

// Title is the name to show people: the English title when AniList has one.
func (e *Entry) Title() string {
	if e.TitleEnglish != "" {
		return e.TitleEnglish
	}
	return e.TitleRomaji
}

// Date is an AniList FuzzyDate: any part may be unknown, and is 0 then.
type Date struct {
	Year, Month, Day int
}

// ListUpdate says that a user's entry for a media changed at UpdatedAt.
type ListUpdate struct {
	UserID    int
	MediaID   int
	UpdatedAt int64 // unix seconds
}

// UpdatesPage is one page of RecentUpdates, newest first.
type UpdatesPage struct {
	Updates     []ListUpdate
	HasNextPage bool
}

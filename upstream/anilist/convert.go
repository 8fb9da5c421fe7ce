package anilist

import "dubbot/upstream/anilist/internal/gql"

// appendEntries adds the entries of one chunk that seen has not had yet: an
// entry is repeated in every custom list it belongs to.
func appendEntries(entries []Entry, seen map[int]bool, col gql.UserListMediaListCollection, t MediaType) []Entry {
	for _, group := range col.Lists {
		for i := range group.Entries {
			e := &group.Entries[i]
			if e.MediaId == 0 || seen[e.MediaId] {
				continue
			}
			seen[e.MediaId] = true
			entries = append(entries, entryFrom(e, t))
		}
	}
	return entries
}

// entryFrom maps a generated list entry onto Entry.
func entryFrom(e *gql.UserListMediaListCollectionListsMediaListGroupEntriesMediaList, t MediaType) Entry {
	m := &e.Media
	return Entry{
		MediaID:         e.MediaId,
		MALID:           m.IdMal,
		Type:            t,
		TitleRomaji:     m.Title.Romaji,
		TitleEnglish:    m.Title.English,
		Episodes:        m.Episodes,
		Chapters:        m.Chapters,
		Volumes:         m.Volumes,
		Status:          ListStatus(e.Status),
		Score:           e.Score,
		Progress:        e.Progress,
		ProgressVolumes: e.ProgressVolumes,
		Repeat:          e.Repeat,
		StartedAt:       Date{Year: e.StartedAt.Year, Month: e.StartedAt.Month, Day: e.StartedAt.Day},
		CompletedAt:     Date{Year: e.CompletedAt.Year, Month: e.CompletedAt.Month, Day: e.CompletedAt.Day},
		UpdatedAt:       int64(e.UpdatedAt),
	}
}

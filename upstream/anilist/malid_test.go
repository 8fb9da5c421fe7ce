package anilist_test

import (
	"context"
	"testing"

	"dubbot/upstream/anilist"
	"dubbot/upstream/anilist/anilisttest"
)

func TestAnimeMALID(t *testing.T) {
	fake := anilisttest.New(t)
	fake.SetMALID(16498, 16498)
	fake.SetMALID(999, 0)
	c := anilist.New(fake.Endpoint(), nil)
	if id, err := c.AnimeMALID(context.Background(), 16498); err != nil || id != 16498 {
		t.Errorf("AnimeMALID(16498) = %d, %v", id, err)
	}
	if id, err := c.AnimeMALID(context.Background(), 999); err != nil || id != 0 {
		t.Errorf("AnimeMALID(999) = %d, %v; want 0 for a null idMal", id, err)
	}
	if _, err := c.AnimeMALID(context.Background(), 5); err == nil {
		t.Error("unknown AniList id gave no error")
	}
}

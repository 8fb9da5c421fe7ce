package search

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"dubbot/anime"
)

// maxLine bounds one JSONL record; real records are a few kilobytes.
const maxLine = 1 << 20

// LoadJSONL reads anime, one JSON object per line; blank lines are skipped.
// Errors name the line.
func LoadJSONL(r io.Reader) ([]anime.Anime, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var out []anime.Anime
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var a anime.Anime
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("anime JSONL line %d: %w", line, err)
		}
		if a.ID <= 0 {
			return nil, fmt.Errorf("anime JSONL line %d: mal_id %d is not a MyAnimeList id", line, a.ID)
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read anime JSONL after %d records: %w", len(out), err)
	}
	return out, nil
}

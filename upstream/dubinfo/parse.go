package dubinfo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrEmpty means the file parsed but lists no dubbed ids at all, which the
// real file never does: treat it like a broken download.
var ErrEmpty = errors.New("dubInfo lists no dubbed ids")

// Parse reads dubInfo.json strictly: it must be a JSON object whose "dubbed"
// key is a non-empty array of positive integer ids; "incomplete" is optional.
// Other keys ("_license", "_origin", "total", "lost", "upcoming", ...) are
// ignored, whatever their type.
func Parse(data []byte) (*List, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("dubInfo is not a JSON object: %w", err)
	}
	if top == nil {
		return nil, errors.New("dubInfo is null, not a JSON object")
	}
	raw, ok := top["dubbed"]
	if !ok {
		return nil, errors.New(`dubInfo has no "dubbed" array`)
	}
	dubbed, err := parseIDs("dubbed", raw)
	if err != nil {
		return nil, err
	}
	if len(dubbed) == 0 {
		return nil, ErrEmpty
	}
	var incomplete []int
	if raw, ok := top["incomplete"]; ok && !isNull(raw) {
		if incomplete, err = parseIDs("incomplete", raw); err != nil {
			return nil, err
		}
	}
	return New(dubbed, incomplete), nil
}

// parseIDs reads one id array. Each element is checked by hand because
// encoding/json would accept 1.0 into a json.Number and "12" into a string
// option, and the file must hold plain integers only.
func parseIDs(key string, raw json.RawMessage) ([]int, error) {
	if isNull(raw) {
		return nil, fmt.Errorf("dubInfo %q is null, not an array", key)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, fmt.Errorf("dubInfo %q is not an array: %w", key, err)
	}
	ids := make([]int, 0, len(elems))
	for i, elem := range elems {
		id, err := parseID(elem)
		if err != nil {
			return nil, fmt.Errorf("dubInfo %s[%d]: %w", key, i, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// parseID accepts only a JSON integer literal greater than zero.
func parseID(elem json.RawMessage) (int, error) {
	text := bytes.TrimSpace(elem)
	for _, c := range text {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%s is not a positive integer id", quote(text))
		}
	}
	id, err := strconv.Atoi(string(text))
	if err != nil {
		return 0, fmt.Errorf("%s is out of range for an id", quote(text))
	}
	if id == 0 {
		return 0, errors.New("0 is not a valid id")
	}
	return id, nil
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// quote shows a bad JSON value in an error, shortened so that a huge one
// cannot flood the log.
func quote(b []byte) string {
	const limit = 40
	if len(b) > limit {
		return strings.ToValidUTF8(string(b[:limit]), "") + "..."
	}
	return string(b)
}

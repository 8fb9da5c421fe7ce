package jikan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// decode reads exactly one JSON value from body into dst. Unknown fields are
// fine (Jikan adds them), but a cut-off, malformed or mistyped document,
// anything after it, or one without what the bot needs, is an error naming
// the URL.
func decode(target string, body []byte, dst document) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("decode %s: %w", target, explain(err, len(body)))
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("decode %s: data after the JSON document at byte %d", target, dec.InputOffset())
	}
	if err := dst.check(); err != nil {
		return fmt.Errorf("decode %s: %w", target, err)
	}
	return nil
}

// explain turns encoding/json's errors into what a reader of logs needs.
func explain(err error, size int) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("empty body: %w", err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated JSON after %d bytes: %w", size, err)
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return fmt.Errorf("malformed JSON at byte %d: %w", se.Offset, err)
	}
	return err
}

package httpx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
)

// ErrBodyTooLarge is returned by ReadBody for a body over its limit.
var ErrBodyTooLarge = errors.New("body too large")

// ReadBody reads resp's whole body, failing rather than truncating when it
// is longer than limit bytes. The caller still closes the body.
func ReadBody(resp *http.Response, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, min(limit, math.MaxInt64-1)+1))
	if err != nil {
		return nil, fmt.Errorf("read body of %s: %w", responseURL(resp), err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("read body of %s: over %d bytes: %w", responseURL(resp), limit, ErrBodyTooLarge)
	}
	return b, nil
}

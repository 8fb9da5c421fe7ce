// Package queue is the persistent download queue: every background fetch
// (anime details, catalog pages) is an item in bbolt, worked by a few
// workers under each upstream's shared rate limit, retried with backoff, and
// never lost: an item's effect and its completion commit in one transaction.
package queue

import (
	"encoding/json"
	"fmt"
	"time"

	"dubbot/store"
)

// Priority orders pending items; lower runs first.
type Priority uint8

// Priorities.
const (
	High Priority = iota
	Normal
	Low
)

func (p Priority) String() string {
	switch p {
	case High:
		return "high"
	case Normal:
		return "normal"
	default:
		return "low"
	}
}

// ParsePriority reads "high", "normal" or "low".
func ParsePriority(s string) (Priority, error) {
	switch s {
	case "high":
		return High, nil
	case "normal", "":
		return Normal, nil
	case "low":
		return Low, nil
	}
	return Normal, fmt.Errorf("priority %q: want high, normal or low", s)
}

// Status is where an item is in its life.
type Status string

// Statuses.
const (
	Pending     Status = "pending"
	Downloading Status = "downloading"
	Completed   Status = "completed"
	Failed      Status = "failed"
)

// Item is one unit of work.
type Item struct {
	Key       string          `json:"key"`
	Kind      string          `json:"kind"`
	Payload   json.RawMessage `json:"payload,omitempty"`
	Priority  Priority        `json:"priority"`
	Status    Status          `json:"status"`
	Attempts  int             `json:"attempts"`
	LastError string          `json:"last_error,omitempty"`
	Progress  int             `json:"progress"` // 0-100 where the kind can tell
	Added     time.Time       `json:"added"`
	Started   time.Time       `json:"started,omitzero"`
	Completed time.Time       `json:"completed,omitzero"`
	// NotBefore delays a retry (backoff or Retry-After).
	NotBefore time.Time `json:"not_before,omitzero"`
	// Seq is the enqueue order, so items of one priority run oldest first.
	Seq uint64 `json:"seq"`
}

func readyKey(p Priority, seq uint64) string {
	return string([]byte{byte(p)}) + store.IDKey(seq)
}

func getItem(tx *store.Tx, key string) (*Item, error) {
	var it Item
	ok, err := tx.Get(store.BucketQueue, key, &it)
	if err != nil || !ok {
		return nil, err
	}
	return &it, nil
}

// putItem writes an item and keeps the ready index in step with its status.
func putItem(tx *store.Tx, it *Item, prev *Item) error {
	if prev != nil && prev.Status == Pending {
		if err := tx.Delete(store.BucketQueueReady, readyKey(prev.Priority, prev.Seq)); err != nil {
			return err
		}
	}
	if it.Status == Pending {
		if err := tx.PutRaw(store.BucketQueueReady, readyKey(it.Priority, it.Seq), []byte(it.Key)); err != nil {
			return err
		}
	}
	return tx.Put(store.BucketQueue, it.Key, it)
}

// Request is what a caller asks the queue to do.
type Request struct {
	Key      string
	Kind     string
	Payload  any
	Priority Priority
}

// EnqueueTx adds work inside the caller's transaction, so work found by a
// job (or by another item) is recorded together with the job's own changes.
// A key already pending keeps one copy, at the higher of the two priorities;
// a key already downloading is left alone; a completed or failed key is
// queued afresh. It reports whether the item is now pending anew.
func EnqueueTx(tx *store.Tx, r Request, now time.Time) (bool, error) {
	if r.Key == "" || r.Kind == "" {
		return false, fmt.Errorf("enqueue: key and kind are required (key %q, kind %q)", r.Key, r.Kind)
	}
	payload, err := json.Marshal(r.Payload)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: encode payload: %w", r.Key, err)
	}
	prev, err := getItem(tx, r.Key)
	if err != nil {
		return false, err
	}
	if prev != nil {
		switch prev.Status {
		case Downloading:
			return false, nil
		case Pending:
			if r.Priority >= prev.Priority {
				return false, nil
			}
			raised := *prev
			raised.Priority = r.Priority
			return false, putItem(tx, &raised, prev)
		}
	}
	seq, err := tx.NextSequence(store.BucketQueue)
	if err != nil {
		return false, err
	}
	it := &Item{Key: r.Key, Kind: r.Kind, Payload: payload, Priority: r.Priority, Status: Pending, Added: now.UTC(), Seq: seq}
	return true, putItem(tx, it, prev)
}

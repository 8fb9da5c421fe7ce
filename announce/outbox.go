package announce

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"dubbot/store"
)

// Outbox key prefixes; see the package comment.
const (
	markPrefix    = "e/"
	pendingPrefix = "q/"
	donePrefix    = "d/"
)

// Target kinds, the first letter of a target.
const (
	targetGuild = 'g'
	targetUser  = 'u'
)

func guildTarget(guildID string) string { return string(targetGuild) + guildID }
func userTarget(userID string) string   { return string(targetUser) + userID }

func markKey(eventID string) string { return markPrefix + eventID }

func pendingKey(target, postID string) string {
	return pendingPrefix + target + "/" + postID
}

func doneKey(at time.Time, target, postID string) string {
	return fmt.Sprintf("%s%012d/%s/%s", donePrefix, at.Unix(), target, postID)
}

// nonceLen is Discord's limit on a message nonce.
const nonceLen = 25

// Nonce is the message nonce of an outbox entry: derived from its key, so a
// resend after a crash carries the same nonce and Discord, told to enforce
// it, returns the first message instead of posting again.
func Nonce(target, postID string) string {
	sum := sha256.Sum256([]byte(pendingKey(target, postID)))
	return hex.EncodeToString(sum[:])[:nonceLen]
}

// mark records that an event was planned, and into which post.
type mark struct {
	Post    string    `json:"post"`
	Planned time.Time `json:"planned"`
}

// entry is a pending outbox entry: the intent to send Post to Target.
type entry struct {
	Target    string    `json:"target"`
	Post      Post      `json:"post"`
	Created   time.Time `json:"created"`
	Attempts  int       `json:"attempts,omitempty"`
	NextTry   time.Time `json:"next_try,omitzero"`
	LastError string    `json:"last_error,omitempty"`
}

func (e *entry) key() string { return pendingKey(e.Target, e.Post.ID) }

// targetID is the guild or user id of the entry's target.
func (e *entry) targetID() string { return e.Target[1:] }

// Outcomes of a finished entry.
const (
	stateSent    = "sent"
	stateNotice  = "notice"  // the watcher's DMs are closed; kept as a notice
	stateSkipped = "skipped" // the target unsubscribed or stopped watching
	stateFailed  = "failed"
)

// record is a finished entry, kept for Retention.
type record struct {
	State     string    `json:"state"`
	Channel   string    `json:"channel,omitempty"`
	MessageID string    `json:"message_id,omitempty"`
	Error     string    `json:"error,omitempty"`
	At        time.Time `json:"at"`
}

// finish replaces a pending entry by its record; for a post in a server it
// also notes the time on the subscription. It is idempotent, as Batch
// requires.
func finish(tx *store.Tx, e *entry, rec record) error {
	if err := tx.Delete(store.BucketOutbox, e.key()); err != nil {
		return err
	}
	if err := tx.Put(store.BucketOutbox, doneKey(rec.At, e.Target, e.Post.ID), rec); err != nil {
		return err
	}
	if rec.State != stateSent || e.Target[0] != targetGuild {
		return nil
	}
	var sub Subscription
	found, err := tx.Get(store.BucketSubscriptions, e.targetID(), &sub)
	if err != nil || !found || !rec.At.After(sub.LastPost) {
		return err
	}
	sub.LastPost = rec.At
	return tx.Put(store.BucketSubscriptions, e.targetID(), sub)
}

// postpone stores a failed attempt of an entry that is still pending.
func postpone(tx *store.Tx, e *entry) error {
	raw, err := tx.GetRaw(store.BucketOutbox, e.key())
	if err != nil || raw == nil {
		return err // finished or dropped meanwhile
	}
	return tx.Put(store.BucketOutbox, e.key(), e)
}

// dropPending deletes a target's pending entries and counts them.
func dropPending(tx *store.Tx, target string) (int, error) {
	var keys []string
	err := tx.ForEach(store.BucketOutbox, pendingPrefix+target+"/", func(key string, _ []byte) error {
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if err := tx.Delete(store.BucketOutbox, k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// pendingEntries reads the pending entries, grouped by target in key
// order, each target's oldest post first.
func pendingEntries(tx *store.Tx) ([][]entry, error) {
	var groups [][]entry
	last := ""
	err := tx.ForEach(store.BucketOutbox, pendingPrefix, func(key string, raw []byte) error {
		var e entry
		if err := decode(raw, &e); err != nil {
			return fmt.Errorf("decode outbox entry %s: %w", key, err)
		}
		if e.Target != last {
			groups = append(groups, nil)
			last = e.Target
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], e)
		return nil
	})
	for _, g := range groups {
		sortEntries(g)
	}
	return groups, err
}

func decode(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w (%.60q)", err, strings.TrimSpace(string(raw)))
	}
	return nil
}

// sortEntries orders one target's entries by when their news was found.
func sortEntries(es []entry) {
	slices.SortStableFunc(es, func(a, b entry) int {
		return cmp.Or(a.Post.Found.Compare(b.Post.Found), cmp.Compare(a.Post.ID, b.Post.ID))
	})
}

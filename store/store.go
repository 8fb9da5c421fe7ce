// Package store owns the bbolt file that holds all of dubbot's state.
//
// The file is dubbot.db in the data directory. Buckets, one per record kind,
// with JSON values unless noted (an "<8-byte id>" is big-endian, so keys
// sort numerically):
//
//	meta            schema_version (8 bytes) · key_check (sealed bytes)
//	anime           <8-byte MAL id> → anime.Anime
//	dubs            list → the last good dub list · validators → ETag/Last-Modified · meta → fetch times
//	airing          schedule → the last good airing schedule and exact next releases
//	events          <event id> → dubs.Event (ids are deterministic: kind/show/episode)
//	queue           <item key> → queue.Item
//	queue_ready     <priority byte><8-byte seq> → item key, for pending items only
//	queue_meta      paused → bool
//	crawl           jikan → the catalog crawl cursor
//	oauth_states    state/<sha256> and ticket/<sha256> → pending sign-in (verifier sealed)
//	links           <discord user>/<provider> → linked account (tokens sealed)
//	users           notify/<discord user> → DM refusal and pending notices
//	sync            u/<discord user> → sync settings and cursor · s/<discord user>/<8-byte AniList media id> → last synced entry
//	sync_log        <discord user>/<8-byte seq> → one sync run (the last 50 kept)
//	subscriptions   <guild id> → announcement subscription
//	watchers        <MAL id>/<discord user> → watch entry
//	outbox          e/<event id> → planned mark · q/<target>/<post> → pending post · d/<unix>/<target>/<post> → delivered
//	jobs            <job name> → last run
//
// Every logical change is one Update transaction, so a crash leaves either
// the old state or the new one.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileName is the store's file name inside the data directory.
const FileName = "dubbot.db"

// Bucket names; see the package comment for what each holds.
const (
	BucketMeta          = "meta"
	BucketAnime         = "anime"
	BucketDubs          = "dubs"
	BucketAiring        = "airing"
	BucketEvents        = "events"
	BucketQueue         = "queue"
	BucketQueueReady    = "queue_ready"
	BucketQueueMeta     = "queue_meta"
	BucketCrawl         = "crawl"
	BucketOAuthStates   = "oauth_states"
	BucketLinks         = "links"
	BucketUsers         = "users"
	BucketSync          = "sync"
	BucketSyncLog       = "sync_log"
	BucketSubscriptions = "subscriptions"
	BucketWatchers      = "watchers"
	BucketOutbox        = "outbox"
	BucketJobs          = "jobs"
)

var allBuckets = []string{
	BucketMeta, BucketAnime, BucketDubs, BucketAiring, BucketEvents, BucketQueue, BucketQueueReady, BucketQueueMeta,
	BucketCrawl, BucketOAuthStates, BucketLinks, BucketUsers, BucketSync,
	BucketSyncLog, BucketSubscriptions, BucketWatchers, BucketOutbox, BucketJobs,
}

// ErrLocked means another process (usually a running bot) holds the file.
var ErrLocked = errors.New("the store is in use by another dubbot process")

// DB is an open store.
type DB struct {
	bolt *bolt.DB
	path string
}

// Options tune Open.
type Options struct {
	// LockTimeout bounds the wait for another process to release the file.
	LockTimeout time.Duration
}

// Open opens (creating if needed) dubbot.db in dir, creates missing buckets
// and runs pending migrations. It fails with ErrLocked, never hangs, when
// another process holds the file.
func Open(dir string, opts Options) (*DB, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{bolt: bdb, path: path}
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return migrate(&Tx{tx: tx}, migrations)
	}); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("prepare %s: %w", path, err)
	}
	return db, nil
}

// Path is the store file's path.
func (db *DB) Path() string { return db.path }

// Close closes the file, releasing its lock.
func (db *DB) Close() error { return db.bolt.Close() }

// Ping checks that the store answers a read.
func (db *DB) Ping() error {
	return db.View(func(tx *Tx) error {
		_, err := tx.SchemaVersion()
		return err
	})
}

// View runs fn in a read-only transaction. Values read are only valid inside
// fn unless decoded (Get copies by decoding JSON).
func (db *DB) View(fn func(*Tx) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Update runs fn in a read-write transaction; an error rolls it back.
func (db *DB) Update(fn func(*Tx) error) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Batch is Update for many goroutines writing small changes at once; fn may
// run more than once, so it must be idempotent.
func (db *DB) Batch(fn func(*Tx) error) error {
	return db.bolt.Batch(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Tx is a transaction with JSON helpers over named buckets.
type Tx struct{ tx *bolt.Tx }

func (t *Tx) bucket(name string) (*bolt.Bucket, error) {
	b := t.tx.Bucket([]byte(name))
	if b == nil {
		return nil, fmt.Errorf("bucket %s does not exist", name)
	}
	return b, nil
}

// Get decodes the JSON value at key into v and reports whether it existed.
func (t *Tx) Get(bucket, key string, v any) (bool, error) {
	raw, err := t.GetRaw(bucket, key)
	if err != nil || raw == nil {
		return false, err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("decode %s/%s: %w", bucket, key, err)
	}
	return true, nil
}

// Put stores v as JSON at key.
func (t *Tx) Put(bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", bucket, key, err)
	}
	return t.PutRaw(bucket, key, raw)
}

// GetRaw returns a copy of the bytes at key, or nil when absent.
func (t *Tx) GetRaw(bucket, key string) ([]byte, error) {
	b, err := t.bucket(bucket)
	if err != nil {
		return nil, err
	}
	v := b.Get([]byte(key))
	if v == nil {
		return nil, nil
	}
	return append([]byte(nil), v...), nil
}

// PutRaw stores bytes at key.
func (t *Tx) PutRaw(bucket, key string, value []byte) error {
	b, err := t.bucket(bucket)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(key), value); err != nil {
		return fmt.Errorf("write %s/%s: %w", bucket, key, err)
	}
	return nil
}

// Delete removes key; a missing key is not an error.
func (t *Tx) Delete(bucket, key string) error {
	b, err := t.bucket(bucket)
	if err != nil {
		return err
	}
	return b.Delete([]byte(key))
}

// ForEach calls fn for each key with the given prefix, in key order. The raw
// value is only valid during the call. To delete while scanning, collect the
// keys first and delete after.
func (t *Tx) ForEach(bucket, prefix string, fn func(key string, raw []byte) error) error {
	b, err := t.bucket(bucket)
	if err != nil {
		return err
	}
	c := b.Cursor()
	p := []byte(prefix)
	for k, v := c.Seek(p); k != nil && hasPrefix(k, p); k, v = c.Next() {
		if err := fn(string(k), v); err != nil {
			return err
		}
	}
	return nil
}

// OnCommit runs fn after the transaction commits, and not at all if it
// rolls back: for in-memory state that must only show what is on disk.
func (t *Tx) OnCommit(fn func()) { t.tx.OnCommit(fn) }

// Count is the number of keys in a bucket.
func (t *Tx) Count(bucket string) (int, error) {
	b, err := t.bucket(bucket)
	if err != nil {
		return 0, err
	}
	return b.Stats().KeyN, nil
}

// NextSequence returns the bucket's next sequence number (1, 2, ...).
func (t *Tx) NextSequence(bucket string) (uint64, error) {
	b, err := t.bucket(bucket)
	if err != nil {
		return 0, err
	}
	return b.NextSequence()
}

func hasPrefix(k, p []byte) bool {
	return len(k) >= len(p) && string(k[:len(p)]) == string(p)
}

// IDKey encodes an integer id as an 8-byte big-endian key, so keys sort
// numerically.
func IDKey(id uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], id)
	return string(b[:])
}

// KeyID decodes a key written by IDKey.
func KeyID(key string) uint64 {
	if len(key) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64([]byte(key))
}

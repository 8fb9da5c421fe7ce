package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dubbot/secret"
)

func openTemp(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(dir, Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenCreatesDirAndSchema(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	db := openTemp(t, dir)
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatalf("store file not created: %v", err)
	}
	var v uint64
	if err := db.View(func(tx *Tx) (err error) { v, err = tx.SchemaVersion(); return }); err != nil {
		t.Fatal(err)
	}
	if want := migrations[len(migrations)-1].Version; v != want {
		t.Errorf("schema version = %d, want %d", v, want)
	}
}

func TestOpenLockedFailsFast(t *testing.T) {
	dir := t.TempDir()
	openTemp(t, dir)
	start := time.Now()
	_, err := Open(dir, Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open err = %v, want ErrLocked", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("second Open waited %v", waited)
	}
}

func TestMigrationsRunOnceInOrder(t *testing.T) {
	db := openTemp(t, t.TempDir())
	var ran []uint64
	list := append(append([]Migration(nil), migrations...),
		Migration{Version: 2, Name: "two", Apply: func(tx *Tx) error { ran = append(ran, 2); return tx.Put(BucketJobs, "m2", 2) }},
		Migration{Version: 3, Name: "three", Apply: func(tx *Tx) error { ran = append(ran, 3); return nil }},
	)
	for i := 0; i < 2; i++ {
		if err := db.Update(func(tx *Tx) error { return migrate(tx, list) }); err != nil {
			t.Fatal(err)
		}
	}
	if len(ran) != 2 || ran[0] != 2 || ran[1] != 3 {
		t.Errorf("migrations ran %v, want [2 3] once", ran)
	}
	// A failing migration leaves the version where it was.
	bad := append(list, Migration{Version: 4, Name: "fails", Apply: func(*Tx) error { return errors.New("boom") }})
	if err := db.Update(func(tx *Tx) error { return migrate(tx, bad) }); err == nil {
		t.Fatal("failing migration did not fail")
	}
	var v uint64
	db.View(func(tx *Tx) (err error) { v, err = tx.SchemaVersion(); return })
	if v != 3 {
		t.Errorf("version after failed migration = %d, want 3", v)
	}
	// A store newer than the code is refused.
	if err := db.Update(func(tx *Tx) error { return migrate(tx, migrations) }); err == nil {
		t.Error("older code accepted a newer store")
	}
}

func TestJSONRoundTripAndPrefixScan(t *testing.T) {
	db := openTemp(t, t.TempDir())
	type rec struct{ N int }
	err := db.Update(func(tx *Tx) error {
		for _, k := range []string{"a/1", "a/2", "b/1"} {
			if err := tx.Put(BucketJobs, k, rec{N: len(k)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	db.View(func(tx *Tx) error {
		return tx.ForEach(BucketJobs, "a/", func(k string, _ []byte) error { keys = append(keys, k); return nil })
	})
	if len(keys) != 2 || keys[0] != "a/1" || keys[1] != "a/2" {
		t.Errorf("prefix scan = %v", keys)
	}
	var got rec
	var ok bool
	db.View(func(tx *Tx) (err error) { ok, err = tx.Get(BucketJobs, "b/1", &got); return })
	if !ok || got.N != 3 {
		t.Errorf("Get = %v %v", got, ok)
	}
	if IDKey(5) >= IDKey(256) || KeyID(IDKey(123456)) != 123456 {
		t.Error("IDKey does not sort numerically or round-trip")
	}
}

func TestSealedTokenNeverOnDiskAndWrongKeyRefused(t *testing.T) {
	dir := t.TempDir()
	box, _ := secret.New(bytes.Repeat([]byte{1}, secret.KeySize))
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckKey(box); err != nil {
		t.Fatal(err)
	}
	const token = "plaintext-refresh-token-XYZ"
	sealed, _ := box.Seal([]byte(token), "links/1/mal")
	if err := db.Update(func(tx *Tx) error { return tx.PutRaw(BucketLinks, "1/mal", sealed) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(token)) {
		t.Fatal("store file contains the plaintext token")
	}
	db, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wrong, _ := secret.New(bytes.Repeat([]byte{2}, secret.KeySize))
	if err := db.CheckKey(wrong); !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("CheckKey(wrong) = %v, want ErrKeyMismatch", err)
	}
	if err := db.CheckKey(box); err != nil {
		t.Fatalf("CheckKey(right) = %v", err)
	}
}

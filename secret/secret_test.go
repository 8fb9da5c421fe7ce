package secret

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpenRoundTrip(t *testing.T) {
	box := mustBox(t, bytes.Repeat([]byte{7}, KeySize))
	sealed, err := box.Seal([]byte("mal-access-token-123"), "links/1/mal")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("mal-access-token-123")) {
		t.Fatal("sealed bytes contain the plaintext")
	}
	got, err := box.Open(sealed, "links/1/mal")
	if err != nil || string(got) != "mal-access-token-123" {
		t.Fatalf("Open = %q, %v", got, err)
	}
}

func TestOpenFailsClearly(t *testing.T) {
	box := mustBox(t, bytes.Repeat([]byte{7}, KeySize))
	other := mustBox(t, bytes.Repeat([]byte{8}, KeySize))
	sealed, err := box.Seal([]byte("token"), "ctx")
	if err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	cases := map[string]func() ([]byte, error){
		"wrong key":     func() ([]byte, error) { return other.Open(sealed, "ctx") },
		"wrong context": func() ([]byte, error) { return box.Open(sealed, "other") },
		"tampered":      func() ([]byte, error) { return box.Open(tampered, "ctx") },
		"truncated":     func() ([]byte, error) { return box.Open(sealed[:5], "ctx") },
	}
	for name, open := range cases {
		got, err := open()
		if !errors.Is(err, ErrWrongKey) || got != nil {
			t.Errorf("%s: Open = %q, %v; want nil, ErrWrongKey", name, got, err)
		}
	}
}

func TestParseKey(t *testing.T) {
	hexKey := strings.Repeat("ab", 32)
	for _, ok := range []string{hexKey, " " + hexKey + "\n", "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s="} {
		if k, err := ParseKey(ok); err != nil || len(k) != KeySize {
			t.Errorf("ParseKey(%q) = %d bytes, %v", ok, len(k), err)
		}
	}
	for _, bad := range []string{"", "short", strings.Repeat("ab", 31), "zz" + hexKey[2:]} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) succeeded, want error", bad)
		}
	}
}

func TestKeyFileCreatedOnceWith0600(t *testing.T) {
	dir := t.TempDir()
	k1, created, err := LoadOrCreateKeyFile(dir)
	if err != nil || !created {
		t.Fatalf("first load: created=%v err=%v", created, err)
	}
	info, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %o, want 600", perm)
	}
	k2, created, err := LoadOrCreateKeyFile(dir)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("second load: created=%v err=%v same=%v", created, err, bytes.Equal(k1, k2))
	}
}

func mustBox(t *testing.T, key []byte) *Box {
	t.Helper()
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConcurrentFirstStartsAgreeOnOneKey(t *testing.T) {
	dir := t.TempDir()
	keys := make(chan []byte, 8)
	for range 8 {
		go func() {
			k, _, err := LoadOrCreateKeyFile(dir)
			if err != nil {
				t.Error(err)
			}
			keys <- k
		}()
	}
	first := <-keys
	for range 7 {
		if k := <-keys; !bytes.Equal(k, first) {
			t.Fatal("two processes starting at once ended with different keys")
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d files, want only the key file", len(entries))
	}
}

// Package secret seals tokens with AES-256-GCM before they reach the store,
// so no plaintext token is ever written to disk.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the key length in bytes (AES-256).
const KeySize = 32

// KeyFileName is the generated key's file name, beside the store.
const KeyFileName = "secret.key"

// ErrWrongKey means a sealed value did not open: the key differs from the one
// that sealed it, or the bytes were altered.
var ErrWrongKey = errors.New("cannot decrypt: wrong secret key or corrupted data")

// Box seals and opens values with one key.
type Box struct{ aead cipher.AEAD }

// New makes a Box from a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("make AES cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("make GCM: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext. context binds the ciphertext to its place (for
// example "links/123/mal"), so a sealed value copied elsewhere fails to open.
func (b *Box) Seal(plaintext []byte, context string) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("read random nonce: %w", err)
	}
	return b.aead.Seal(nonce, nonce, plaintext, []byte(context)), nil
}

// Open decrypts a value made by Seal with the same context.
func (b *Box) Open(sealed []byte, context string) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, fmt.Errorf("sealed value is %d bytes, too short: %w", len(sealed), ErrWrongKey)
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], []byte(context))
	if err != nil {
		return nil, ErrWrongKey
	}
	return plain, nil
}

// ParseKey reads a key written as 64 hex characters or as base64 of 32 bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == KeySize {
		return k, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, errors.New("want 32 bytes written as 64 hex characters or base64 (for example the output of `openssl rand -hex 32`)")
}

// LoadOrCreateKeyFile reads the key file in dir, creating it with a new
// random key (mode 0600) when it does not exist. created reports whether a
// new key was generated.
func LoadOrCreateKeyFile(dir string) (key []byte, created bool, err error) {
	path := filepath.Join(dir, KeyFileName)
	raw, err := os.ReadFile(path)
	if err == nil {
		k, perr := ParseKey(string(raw))
		if perr != nil {
			return nil, false, fmt.Errorf("read key file %s: %w", path, perr)
		}
		return k, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("read key file %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("create directory for key file %s: %w", path, err)
	}
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, false, fmt.Errorf("generate key: %w", err)
	}
	if err := writeKeyFile(dir, path, key); errors.Is(err, os.ErrExist) {
		// Another process made the key first: use theirs.
		return LoadOrCreateKeyFile(dir)
	} else if err != nil {
		return nil, false, err
	}
	return key, true, nil
}

// writeKeyFile puts the key in place durably: tokens sealed with it reach
// the disk with an fsync, so the key must too, or a power cut could leave
// them unreadable. It is written to a temporary file, synced, then linked
// into place, which fails if another process got there first.
func writeKeyFile(dir, path string, key []byte) error {
	tmp, err := os.CreateTemp(dir, KeyFileName+".tmp*")
	if err != nil {
		return fmt.Errorf("create key file in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("create key file %s: %w", path, err)
	}
	if _, err := tmp.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("write key file %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write key file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write key file %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return fmt.Errorf("create key file %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the new name durable; not every filesystem supports it
		d.Close()
	}
	return nil
}

package store

import (
	"errors"
	"fmt"
)

// Sealer is what the store needs of the secrets helper to check the key.
type Sealer interface {
	Seal(plaintext []byte, context string) ([]byte, error)
	Open(sealed []byte, context string) ([]byte, error)
}

const (
	keyCheckKey     = "key_check"
	keyCheckContext = "meta/key_check"
	keyCheckValue   = "dubbot key check"
)

// ErrKeyMismatch means the configured secret key is not the one that sealed
// the tokens already in the store.
var ErrKeyMismatch = errors.New("the secret key does not match the one this store was written with (check DUBBOT_SECRET_KEY or the secret.key file)")

// CheckKey proves that box opens what earlier runs sealed, so a wrong key
// fails at start with a clear error instead of as garbage tokens later. On a
// new store it records a check value sealed with box.
func (db *DB) CheckKey(box Sealer) error {
	return db.Update(func(tx *Tx) error {
		sealed, err := tx.GetRaw(BucketMeta, keyCheckKey)
		if err != nil {
			return err
		}
		if sealed == nil {
			fresh, err := box.Seal([]byte(keyCheckValue), keyCheckContext)
			if err != nil {
				return fmt.Errorf("seal key check: %w", err)
			}
			return tx.PutRaw(BucketMeta, keyCheckKey, fresh)
		}
		plain, err := box.Open(sealed, keyCheckContext)
		if err != nil || string(plain) != keyCheckValue {
			return ErrKeyMismatch
		}
		return nil
	})
}

package store

import (
	"encoding/binary"
	"fmt"
)

const keySchemaVersion = "schema_version"

// Migration moves the store from Version-1 to Version.
type Migration struct {
	Version uint64
	Name    string
	Apply   func(*Tx) error
}

// migrations is the ordered list of schema changes. Version 1 is the initial
// layout, created by Open's bucket creation; later changes append here.
var migrations = []Migration{
	{Version: 1, Name: "initial layout", Apply: func(*Tx) error { return nil }},
}

// SchemaVersion is the version the store's data is at (0 for a new file).
func (t *Tx) SchemaVersion() (uint64, error) {
	raw, err := t.GetRaw(BucketMeta, keySchemaVersion)
	if err != nil || raw == nil {
		return 0, err
	}
	if len(raw) != 8 {
		return 0, fmt.Errorf("schema version is %d bytes, want 8", len(raw))
	}
	return binary.BigEndian.Uint64(raw), nil
}

// migrate applies every pending migration and the version bump in the
// caller's transaction, so a crash leaves the old version or the new one.
func migrate(t *Tx, list []Migration) error {
	current, err := t.SchemaVersion()
	if err != nil {
		return err
	}
	latest := uint64(0)
	if n := len(list); n > 0 {
		latest = list[n-1].Version
	}
	if current > latest {
		return fmt.Errorf("store schema version %d is newer than this dubbot understands (%d): upgrade dubbot", current, latest)
	}
	for _, m := range list {
		if m.Version <= current {
			continue
		}
		if err := m.Apply(t); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], m.Version)
		if err := t.PutRaw(BucketMeta, keySchemaVersion, b[:]); err != nil {
			return err
		}
	}
	return nil
}

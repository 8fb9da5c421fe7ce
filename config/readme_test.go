package config

import (
	"os"
	"strings"
	"testing"
)

// The README's settings table is rendered from the option table; this keeps
// the two from drifting.
func TestReadmeHasTheSettingsTable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), Markdown()) {
		t.Error("README.md's settings table differs from config.Markdown(); paste the new table in")
	}
}

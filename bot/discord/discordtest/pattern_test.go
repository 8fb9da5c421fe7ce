package discordtest

import (
	"strings"
	"testing"
)

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pattern, method, path string
		want                  bool
	}{
		{"/channels/{id}/messages", "POST", "/channels/1/messages", true},
		{"/channels/*/messages", "GET", "/channels/1/messages", true},
		{"POST /channels/{id}/messages", "GET", "/channels/1/messages", false},
		{"post /channels/{id}/messages", "POST", "/channels/1/messages", true},
		{"/channels/{id}", "GET", "/channels/1/messages", false},
		{"/channels/{id}/messages", "GET", "/channels/1", false},
		{"/webhooks/{rest...}", "PATCH", "/webhooks/1/t/messages/@original", true},
		{"PATCH /webhooks/{a}/{t}/messages/@original", "PATCH", "/webhooks/1/t/messages/@original", true},
		{"PATCH /webhooks/{a}/{t}/messages/@original", "PATCH", "/webhooks/1/t/messages/9", false},
		{"/api/v9/users/@me", "GET", "/users/@me", true},
		{"/users/@me", "GET", "/users/@me/", true},
	}
	for _, tc := range tests {
		if got := parsePattern(tc.pattern).match(tc.method, tc.path); got != tc.want {
			t.Errorf("%q matches %s %s = %v, want %v", tc.pattern, tc.method, tc.path, got, tc.want)
		}
	}
}

func TestStripAPIPrefix(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"/api/v10/users/@me", "/users/@me", true},
		{"/api/v9", "/", true},
		{"/api/v/users", "/api/v/users", false},
		{"/api/v9x/users", "/api/v9x/users", false},
		{"/gw/", "/gw/", false},
	}
	for _, tc := range tests {
		if got, ok := stripAPIPrefix(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("stripAPIPrefix(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzPattern checks that any text parses without panicking and that a
// literal path always matches itself.
func FuzzPattern(f *testing.F) {
	for _, seed := range []string{"/channels/{id}/messages", "POST /a/*/b", "/{x...}", "", " ", "GET", "/api/v10/", "//a//"} {
		f.Add(seed, "/channels/1/messages")
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		_ = parsePattern(pattern).match("GET", path)
		// Wildcards are not literal, and request paths never keep the
		// /api/vN prefix, which patterns drop.
		if _, versioned := stripAPIPrefix(path); versioned || strings.ContainsAny(path, "{}*") {
			return
		}
		if !newPattern("", path).match("DELETE", path) {
			t.Errorf("literal pattern %q does not match itself", path)
		}
	})
}

package discordtest

import (
	"strings"
)

// pattern selects requests for latency and failure scripting. The path is
// relative to the API root ("/channels/{id}/messages"); a segment "*" or
// "{name}" matches any one segment, and a last segment "{name...}" matches
// the rest of the path. An empty method matches every method.
type pattern struct {
	method string
	segs   []string
}

// parsePattern reads "[METHOD ]/path". A leading "/api/v{N}" is dropped, so
// patterns copied from discordgo's endpoint URLs work too.
func parsePattern(s string) pattern {
	method, p, found := strings.Cut(strings.TrimSpace(s), " ")
	if !found {
		method, p = "", method
	}
	return newPattern(method, p)
}

// newPattern builds a pattern from a method ("" for any) and a path.
func newPattern(method, path string) pattern {
	path, _ = stripAPIPrefix(path)
	return pattern{method: strings.ToUpper(method), segs: splitPath(path)}
}

// match reports whether a request with this method and API-relative path
// is selected.
func (p pattern) match(method, path string) bool {
	if p.method != "" && p.method != method {
		return false
	}
	segs := splitPath(path)
	for i, want := range p.segs {
		if isRestWildcard(want) && i == len(p.segs)-1 {
			return true
		}
		if i >= len(segs) || !segmentMatches(want, segs[i]) {
			return false
		}
	}
	return len(segs) == len(p.segs)
}

// String gives the pattern back in "[METHOD ]/path" form for messages.
func (p pattern) String() string {
	path := "/" + strings.Join(p.segs, "/")
	if p.method == "" {
		return path
	}
	return p.method + " " + path
}

func segmentMatches(want, got string) bool {
	if want == "*" || (strings.HasPrefix(want, "{") && strings.HasSuffix(want, "}")) {
		return true
	}
	return want == got
}

func isRestWildcard(seg string) bool {
	return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "...}")
}

// splitPath splits "/a/b/" into ["a" "b"], ignoring empty segments.
func splitPath(p string) []string {
	return strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
}

// stripAPIPrefix turns "/api/v10/users/@me" into "/users/@me". It reports
// false when the path has no /api/v{N} prefix and returns it unchanged.
func stripAPIPrefix(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/api/v")
	if !ok {
		return p, false
	}
	digits := 0
	for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
		digits++
	}
	if digits == 0 {
		return p, false
	}
	rest = rest[digits:]
	if rest == "" {
		return "/", true
	}
	if rest[0] != '/' {
		return p, false
	}
	return rest, true
}

package discordtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// RewriteTransport returns an http.RoundTripper that sends requests for
// https://discord.com/api/v{N}/<rest> to <base>/<rest> (base is e.g.
// "http://127.0.0.1:PORT/api/v10") and every other request unchanged,
// through http.DefaultTransport. Set it as a discordgo Session's
// Client.Transport; discordgo builds its URLs from package constants, so
// this is the one place to redirect it.
func RewriteTransport(base string) http.RoundTripper {
	u, err := url.Parse(strings.TrimSuffix(base, "/"))
	if err == nil && (u.Scheme == "" || u.Host == "") {
		err = fmt.Errorf("want an absolute URL, got %q", base)
	}
	return &rewriteTransport{base: u, err: err, next: http.DefaultTransport}
}

type rewriteTransport struct {
	base *url.URL
	err  error
	next http.RoundTripper
}

// RoundTrip rewrites Discord API URLs and leaves the caller's request
// untouched, as the RoundTripper contract asks.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rest, ok := discordAPIPath(req.URL)
	if !ok {
		return t.next.RoundTrip(req)
	}
	if t.err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("rewrite Discord API base: %w", t.err)
	}
	out := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host = t.base.Scheme, t.base.Host
	u.RawPath = t.base.EscapedPath() + rest
	var err error
	if u.Path, err = url.PathUnescape(u.RawPath); err != nil {
		return nil, fmt.Errorf("rewrite %s: %w", req.URL.Redacted(), err)
	}
	out.URL, out.Host = &u, ""
	return t.next.RoundTrip(out)
}

// discordAPIPath returns the escaped path after /api/v{N} for a request to
// https://discord.com, e.g. "/users/@me".
func discordAPIPath(u *url.URL) (string, bool) {
	if u.Scheme != "https" || !strings.EqualFold(u.Host, "discord.com") {
		return "", false
	}
	return stripAPIPrefix(u.EscapedPath())
}

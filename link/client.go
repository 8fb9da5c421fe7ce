package link

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Client returns an HTTP client that sends the user's access token to the
// provider's API, refreshing and storing it as needed; give it to mal.New or
// anilist.New. It fails with ErrNotLinked or ErrReauthRequired (wrapped).
//
// A 401 (AniList: also "Invalid token") is answered by refreshing once and
// retrying once; if the fresh token is refused too, the link is marked as
// needing re-authorization, the user is DMed, and the refusal is returned
// as it came, so callers need not call ReportUnauthorized themselves.
func (s *Service) Client(ctx context.Context, userID string, p Provider) (*http.Client, error) {
	if _, err := s.accessToken(ctx, userID, p, ""); err != nil {
		return nil, err
	}
	api, err := url.Parse(s.api[p])
	if err != nil {
		return nil, fmt.Errorf("parse %s API URL: %w", p.Title(), err)
	}
	base := s.httpFor(p)
	return &http.Client{
		Transport: &transport{s: s, userID: userID, p: p, host: api.Host, base: transportOrDefault(base.Transport)},
		Timeout:   base.Timeout,
	}, nil
}

// transport adds a link's token to requests for the provider's API.
type transport struct {
	s      *Service
	userID string
	p      Provider
	host   string // tokens go to this host only, whatever a redirect says
	base   http.RoundTripper
}

// maxReplayBody bounds a request body kept for the retry after a refresh.
const maxReplayBody = 1 << 20

// maxPeek bounds how much of an AniList 400 is read to look for "Invalid token".
const maxPeek = 64 << 10

// RoundTrip sends req with the token, refreshing and retrying once when
// the provider refuses it.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != t.host {
		closeBody(req)
		return nil, fmt.Errorf("link: refusing to send a %s token to %s", t.p.Title(), req.URL.Host)
	}
	req, err := replayable(req)
	if err != nil {
		return nil, err
	}
	ctx := req.Context()
	access, err := t.s.accessToken(ctx, t.userID, t.p, "")
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := t.send(req, req.Body, access)
	if err != nil || !t.refused(resp) {
		return resp, err
	}
	drain(resp)
	if access, err = t.s.accessToken(ctx, t.userID, t.p, access); err != nil {
		return nil, err
	}
	body, err := rewind(req)
	if err != nil {
		return nil, err
	}
	if resp, err = t.send(req, body, access); err != nil || !t.refused(resp) {
		return resp, err
	}
	// A token minted a moment ago was refused: nothing left to try.
	if err := t.s.markReauth(ctx, t.userID, t.p, fmt.Sprintf(reasonRefused, t.p.Title())); err != nil {
		t.s.log.Error("mark link as needing re-authorization", slogUser(t.userID, t.p), slogErr(err))
	}
	return resp, nil
}

func (t *transport) send(req *http.Request, body io.ReadCloser, access string) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Body = body
	r.Header.Set("Authorization", "Bearer "+access)
	return t.base.RoundTrip(r)
}

// refused reports whether the provider rejected the token. AniList answers
// a bad token with 400 and the message "Invalid token"; that answer's body
// is read to tell, and put back for the caller.
func (t *transport) refused(resp *http.Response) bool {
	if resp.StatusCode == http.StatusUnauthorized {
		return true
	}
	if t.p != AniList || resp.StatusCode != http.StatusBadRequest {
		return false
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, maxPeek))
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(head), errReader{err}, resp.Body), resp.Body}
	return strings.Contains(strings.ToLower(string(head)), `"invalid token"`)
}

// replayable makes sure req's body can be sent twice, buffering it if its
// maker did not provide GetBody.
func replayable(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return req, nil
	}
	b, err := io.ReadAll(io.LimitReader(req.Body, maxReplayBody+1))
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(b) > maxReplayBody {
		return nil, errors.New("link: request body too large to resend after a token refresh")
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return r, nil
}

// rewind returns a fresh copy of req's body for the retry.
func rewind(req *http.Request) (io.ReadCloser, error) {
	if req.GetBody == nil {
		return req.Body, nil // nil or NoBody
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("rewind request body: %w", err)
	}
	return body, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// drain lets the connection be reused before the retry.
func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxPeek))
	resp.Body.Close()
}

type readCloser struct {
	io.Reader
	io.Closer
}

// errReader replays a read error met while peeking, after the bytes read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

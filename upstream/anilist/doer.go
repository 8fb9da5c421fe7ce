package anilist

import (
	"net/http"
)

// doer sends genqlient's requests, adding the bearer token when the client
// has one, and turns every non-200 answer into an *Error before genqlient
// sees it, so the Retry-After header is not lost.
type doer struct {
	http  *http.Client
	token string
}

// Do implements graphql.Doer.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	req.Header.Set("Accept", "application/json")
	if d.token != "" {
		req.Header.Set("Authorization", "Bearer "+d.token)
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	return nil, responseError(resp)
}

package amocrm

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin/internal/crm"
	"github.com/onemin/onemin/internal/ratelimit"
)

// Options configures a [Client]. The zero Options means amoCRM's limit of
// 7 requests a second, kept in every window of one second (one request
// every 142 857 143 ns, no burst), five retries with backoff from 1 s to
// 30 s, pages of 250, http.DefaultClient and the machine's clock.
type Options struct {
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Interval is the least time between two requests in the long run;
	// zero means 1/7 s, rounded up to the nanosecond.
	Interval time.Duration
	// Burst is how many requests may go at once; zero means 1. A burst b
	// lets b + 7 requests fall within one second.
	Burst int
	// PageSize is the limit parameter of each page; zero means 250, the
	// most amoCRM gives.
	PageSize int
	// Retries is how many times a request answered 429 or 503 is
	// repeated; zero means 5, a negative value never.
	Retries int
	// Backoff is the wait before the first retry, doubled for each next
	// one, unless the answer says Retry-After; zero means 1 s.
	Backoff time.Duration
	// MaxBackoff caps the wait between retries; zero means 30 s.
	MaxBackoff time.Duration
	// Now tells the time for pacing; nil means the machine's clock.
	Now func() time.Time
	// Sleep waits for d or until ctx is done; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client reads an amoCRM account through the v4 REST API with a long-lived
// or OAuth access token. It paces its requests under amoCRM's limit,
// retries those answered 429 or 503, and is safe for concurrent use.
type Client struct {
	base     *url.URL
	token    string
	http     *http.Client
	pacer    *ratelimit.Pacer
	pageSize int
}

// NewClient returns a client for the account at baseURL (such as
// "https://salon.amocrm.ru") that sends token as a bearer token. opts may
// be nil.
func NewClient(baseURL, token string, opts *Options) (*Client, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("amocrm: base URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("amocrm: base URL %q is not https://ACCOUNT.amocrm.ru", u.Redacted())
	}
	if token == "" {
		return nil, errors.New("amocrm: access token is required")
	}
	u.Path, u.RawPath, u.RawQuery, u.Fragment = "/", "", "", ""
	pacer, err := ratelimit.NewPacer(ratelimit.Policy{
		Interval: cmp.Or(o.Interval, (time.Second+6)/7),
		Burst:    cmp.Or(o.Burst, 1),
		Retries:  o.Retries,
		Backoff:  ratelimit.Backoff{Base: o.Backoff, Max: o.MaxBackoff},
		Now:      o.Now,
		Sleep:    o.Sleep,
	})
	if err != nil {
		return nil, fmt.Errorf("amocrm: %w", err)
	}
	if o.PageSize <= 0 || o.PageSize > 250 {
		o.PageSize = 250
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	return &Client{
		base: u, token: token, http: o.HTTPClient,
		pacer: pacer, pageSize: o.PageSize,
	}, nil
}

// get fetches one URL of the account; it returns a nil body for 204.
func (c *Client) get(ctx context.Context, u *url.URL) ([]byte, error) {
	var body []byte
	err := crm.Do[APIError](ctx, c.pacer, func(ctx context.Context) (after time.Duration, err error) {
		body, after, err = c.fetch(ctx, u)
		return after, err
	})
	return body, err
}

func (c *Client) fetch(ctx context.Context, u *url.URL) ([]byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, fmt.Errorf("amocrm: %s: %w", u.Path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/hal+json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("amocrm: %s: %w", u.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return nil, 0, nil
	}
	raw, err := crm.ReadAnswer(resp.Body, "amocrm: "+u.Path)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode/100 != 2 {
		e := &APIError{Path: u.Path, StatusCode: resp.StatusCode}
		var problem struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
		}
		if json.Unmarshal(raw, &problem) == nil {
			e.Title, e.Detail = problem.Title, problem.Detail
		}
		if e.Title == "" {
			e.Title = http.StatusText(resp.StatusCode)
		}
		return nil, retryAfter(resp.Header.Get("Retry-After")), e
	}
	return raw, 0, nil
}

// retryAfter reads a Retry-After header given in seconds; other forms
// give 0 (use the backoff).
func retryAfter(h string) time.Duration {
	s, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || s <= 0 || s > 3600 {
		return 0
	}
	return time.Duration(s) * time.Second
}

// page is one page of a v4 list answer.
type page struct {
	Links struct {
		Next struct {
			Href string `json:"href"`
		} `json:"next"`
	} `json:"_links"`
	Embedded map[string]json.RawMessage `json:"_embedded"`
}

// list walks a v4 list from its first page, following _links.next.href
// until a page has no next link or the API answers 204 No Content, and
// gives each page's _embedded[key] array to fn.
func (c *Client) list(ctx context.Context, apiPath, key string, q url.Values, fn func(json.RawMessage) error) error {
	u := c.base.JoinPath(apiPath)
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	if v.Get("limit") == "" {
		v.Set("limit", strconv.Itoa(c.pageSize))
	}
	u.RawQuery = v.Encode()
	seen := map[string]bool{}
	for {
		if seen[u.String()] {
			return fmt.Errorf("amocrm: %s: next page %s was already read", apiPath, u.Redacted())
		}
		seen[u.String()] = true
		body, err := c.get(ctx, u)
		if err != nil {
			return err
		}
		if body == nil { // 204: past the last page
			return nil
		}
		var p page
		if err := json.Unmarshal(body, &p); err != nil {
			return fmt.Errorf("amocrm: %s: decoding page: %w", apiPath, err)
		}
		if err := fn(p.Embedded[key]); err != nil {
			return err
		}
		if p.Links.Next.Href == "" {
			return nil
		}
		next, err := c.sameAccount(p.Links.Next.Href)
		if err != nil {
			return fmt.Errorf("amocrm: %s: %w", apiPath, err)
		}
		u = next
	}
}

// sameAccount resolves a next link and refuses one that leaves the
// account's host, which would hand the bearer token to another server.
func (c *Client) sameAccount(href string) (*url.URL, error) {
	ref, err := url.Parse(href)
	if err != nil {
		return nil, fmt.Errorf("next link: %w", err)
	}
	u := c.base.ResolveReference(ref)
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return nil, fmt.Errorf("next link %q leaves %s", u.Redacted(), c.base.Host)
	}
	return u, nil
}

// listOf iterates the records of a v4 list decoded as T and checked by
// check.
func listOf[T any](c *Client, ctx context.Context, apiPath, key string, q url.Values, check func(*T) error) iter.Seq2[T, error] {
	walk := func(page func(json.RawMessage) error) error { return c.list(ctx, apiPath, key, q, page) }
	split := func(raw json.RawMessage) ([]json.RawMessage, error) {
		if len(raw) == 0 {
			return nil, nil
		}
		var recs []json.RawMessage
		err := json.Unmarshal(raw, &recs)
		return recs, err
	}
	decode := func(r json.RawMessage) (T, error) {
		var v T
		err := json.Unmarshal(r, &v)
		if err == nil {
			err = check(&v)
		}
		return v, err
	}
	return crm.Records("amocrm: "+apiPath, walk, "decoding _embedded."+key, split, decode)
}

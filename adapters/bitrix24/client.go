package bitrix24

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin/internal/crm"
	"github.com/onemin/onemin/internal/ratelimit"
)

// Options configures a [Client]. The zero Options means Bitrix24's limits
// for every plan but Enterprise (a burst of 50, then 2 requests a second),
// five retries with backoff from 1 s to 30 s, http.DefaultClient and the
// machine's clock.
type Options struct {
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Interval is the time in which the portal's bucket leaks one
	// request; zero means 500 ms (2 a second). Enterprise plans leak 5 a
	// second: 200 ms.
	Interval time.Duration
	// Burst is the bucket's size; zero means 50 (250 on Enterprise).
	Burst int
	// Retries is how many times a call turned away with
	// QUERY_LIMIT_EXCEEDED or HTTP 503 is repeated; zero means 5, and a
	// negative value means never.
	Retries int
	// Backoff is the wait before the first retry, doubled for each next
	// one; zero means 1 s.
	Backoff time.Duration
	// MaxBackoff caps the wait between retries; zero means 30 s.
	MaxBackoff time.Duration
	// Now tells the time for pacing; nil means the machine's clock.
	Now func() time.Time
	// Sleep waits for d or until ctx is done; nil means a timer. Tests
	// pass a fake that only moves their clock.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client calls the Bitrix24 REST API through an inbound webhook URL
// ("https://PORTAL/rest/USER/CODE/"). It paces its requests with the
// portal's leaky bucket, retries those turned away by the rate limit, and
// is safe for concurrent use (the pacing is shared).
type Client struct {
	base  *url.URL
	http  *http.Client
	pacer *ratelimit.Pacer
}

// NewClient returns a client for the inbound webhook URL webhookURL, such
// as "https://example.bitrix24.ru/rest/1/abcdef0123456789/". opts may be
// nil.
func NewClient(webhookURL string, opts *Options) (*Client, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	u, err := url.Parse(webhookURL)
	if err != nil {
		return nil, fmt.Errorf("bitrix24: webhook URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !strings.Contains(u.Path, "/rest/") {
		return nil, fmt.Errorf("bitrix24: webhook URL %q is not https://PORTAL/rest/USER/CODE/", u.Redacted())
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	pacer, err := ratelimit.NewPacer(ratelimit.Policy{
		Interval: cmp.Or(o.Interval, 500*time.Millisecond),
		Burst:    cmp.Or(o.Burst, 50),
		Retries:  o.Retries,
		Backoff:  ratelimit.Backoff{Base: o.Backoff, Max: o.MaxBackoff},
		Now:      o.Now,
		Sleep:    o.Sleep,
	})
	if err != nil {
		return nil, fmt.Errorf("bitrix24: %w", err)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	return &Client{
		base:  u,
		http:  o.HTTPClient,
		pacer: pacer,
	}, nil
}

// envelope is the body of every REST answer.
type envelope struct {
	Result           json.RawMessage `json:"result"`
	Next             *int            `json:"next"`
	Total            *int            `json:"total"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

// Call calls a REST method with form-encoded params and decodes the
// answer's "result" into result (which may be nil to ignore it). It waits
// for the rate limit, and retries when Bitrix24 answers
// QUERY_LIMIT_EXCEEDED or HTTP 503. An error answer is an *[APIError].
func (c *Client) Call(ctx context.Context, method string, params url.Values, result any) error {
	env, err := c.call(ctx, method, params)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(env.Result, result); err != nil {
		return fmt.Errorf("bitrix24: %s: decoding result: %w", method, err)
	}
	return nil
}

func (c *Client) call(ctx context.Context, method string, params url.Values) (*envelope, error) {
	if !isMethodName(method) {
		return nil, fmt.Errorf("bitrix24: %q is not a REST method name", method)
	}
	endpoint := c.base.JoinPath(method)
	body := params.Encode()
	var env *envelope
	err := crm.Do[APIError](ctx, c.pacer, func(ctx context.Context) (after time.Duration, err error) {
		env, err = c.post(ctx, method, endpoint.String(), body)
		return 0, err
	})
	return env, err
}

func (c *Client) post(ctx context.Context, method, endpoint, body string) (*envelope, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("bitrix24: %s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("bitrix24: %s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := crm.ReadAnswer(resp.Body, "bitrix24: "+method)
	if err != nil {
		return nil, err
	}
	var env envelope
	jsonErr := json.Unmarshal(raw, &env)
	if jsonErr == nil && env.Error != "" {
		return nil, &APIError{Method: method, StatusCode: resp.StatusCode, Code: env.Error, Description: env.ErrorDescription}
	}
	if resp.StatusCode/100 != 2 {
		return nil, &APIError{Method: method, StatusCode: resp.StatusCode, Description: http.StatusText(resp.StatusCode)}
	}
	if jsonErr != nil {
		return nil, fmt.Errorf("bitrix24: %s: decoding answer: %w", method, jsonErr)
	}
	return &env, nil
}

// isMethodName accepts names like "crm.deal.list": letters, digits, dots
// and underscores, so that a method cannot climb out of the webhook path.
func isMethodName(s string) bool {
	if s == "" || len(s) > 128 || s[0] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '.' && c != '_' {
			return false
		}
	}
	return !strings.Contains(s, "..")
}

// list calls a paged list method from the first page to the last (Bitrix24
// answers 50 items a page and "next", the start of the next page), and
// gives each page's "result" to page.
func (c *Client) list(ctx context.Context, method string, params url.Values, page func(result json.RawMessage) error) error {
	p := url.Values{}
	for k, v := range params {
		p[k] = v
	}
	start := 0
	for {
		p.Set("start", strconv.Itoa(start))
		env, err := c.call(ctx, method, p)
		if err != nil {
			return err
		}
		if err := page(env.Result); err != nil {
			return err
		}
		if env.Next == nil {
			return nil
		}
		if *env.Next <= start {
			return fmt.Errorf("bitrix24: %s: next page %d does not follow start %d", method, *env.Next, start)
		}
		start = *env.Next
	}
}

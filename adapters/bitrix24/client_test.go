package bitrix24

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/ratelimit"
	"github.com/shopspring/decimal"
)

var start = time.Date(2025, 1, 9, 9, 0, 0, 0, time.UTC)

// fakePortal is an httptest Bitrix24 portal. It enforces the rate limit
// the way the documentation describes it, with its own counter: each
// request adds 1000 milli-requests, 2000 leak away a second, and a request
// that would take the counter over 50 000 is answered 503
// QUERY_LIMIT_EXCEEDED. Its time is the test's fake clock.
type fakePortal struct {
	clock *ratelimit.FakeClock

	mu       sync.Mutex
	counter  int64 // milli-requests in the bucket
	last     time.Time
	requests int
	rejected int
	deals    []map[string]any
	history  []map[string]any
	updates  []url.Values
	fail503  int // answer this many requests 503 with an HTML body
	failWith string
}

func newFakePortal(clock *ratelimit.FakeClock, deals int) *fakePortal {
	p := &fakePortal{clock: clock, last: clock.Now()}
	for i := 1; i <= deals; i++ {
		p.deals = append(p.deals, map[string]any{
			"ID": strconv.Itoa(i), "TITLE": fmt.Sprintf("Deal %d", i), "STAGE_ID": "NEW",
			"CATEGORY_ID": "0", "STAGE_SEMANTIC_ID": "P", "OPPORTUNITY": "1500.50", "CURRENCY_ID": "RUB",
			"CONTACT_ID": nil, "DATE_CREATE": "2025-01-09T10:15:00+03:00", "CLOSED": "N",
			"UF_CRM_FIRST_REPLY": "",
		})
	}
	return p
}

func (p *fakePortal) admit() bool {
	now := p.clock.Now()
	leaked := int64(now.Sub(p.last)) / int64(500*time.Microsecond) // 2000 milli a second
	p.last = now
	p.counter = max(0, p.counter-leaked)
	p.requests++
	if p.counter+1000 > 50000 {
		p.rejected++
		return false
	}
	p.counter += 1000
	return true
}

func (p *fakePortal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !p.admit() {
		w.WriteHeader(503)
		fmt.Fprint(w, `{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}`)
		return
	}
	if p.fail503 > 0 {
		p.fail503--
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(503)
		fmt.Fprint(w, "<html>Service Unavailable</html>")
		return
	}
	if p.failWith != "" {
		w.WriteHeader(401)
		fmt.Fprintf(w, `{"error":%q,"error_description":"Access denied."}`, p.failWith)
		return
	}
	if err := r.ParseForm(); err != nil || !strings.HasPrefix(r.URL.Path, "/rest/1/secret/") {
		w.WriteHeader(400)
		return
	}
	method := strings.TrimPrefix(r.URL.Path, "/rest/1/secret/")
	begin, _ := strconv.Atoi(r.PostForm.Get("start"))
	switch method {
	case "crm.deal.list":
		writePage(w, p.deals, begin, func(page []map[string]any) any { return page })
	case "crm.stagehistory.list":
		if r.PostForm.Get("entityTypeId") != "2" {
			w.WriteHeader(400)
			return
		}
		writePage(w, p.history, begin, func(page []map[string]any) any { return map[string]any{"items": page} })
	case "crm.deal.update":
		p.updates = append(p.updates, r.PostForm)
		fmt.Fprint(w, `{"result":true,"time":{"start":1}}`)
	default:
		w.WriteHeader(404)
		fmt.Fprint(w, `{"error":"ERROR_METHOD_NOT_FOUND","error_description":"Method not found!"}`)
	}
}

func writePage(w http.ResponseWriter, all []map[string]any, begin int, wrap func([]map[string]any) any) {
	end := min(begin+50, len(all))
	begin = min(begin, end)
	out := map[string]any{"result": wrap(all[begin:end]), "total": len(all)}
	if end < len(all) {
		out["next"] = end
	}
	json.NewEncoder(w).Encode(out)
}

func newTestClient(t *testing.T, p *fakePortal, opts Options) *Client {
	t.Helper()
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	opts.HTTPClient = srv.Client()
	opts.Now = p.clock.Now
	opts.Sleep = p.clock.Sleep
	c, err := NewClient(srv.URL+"/rest/1/secret", &opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func collectDeals(t *testing.T, c *Client) []Deal {
	t.Helper()
	var out []Deal
	for d, err := range c.Deals(context.Background(), ListQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func TestClientStaysUnderTheLimit(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 130)
	c := newTestClient(t, p, Options{})
	deals := collectDeals(t, c)
	if len(deals) != 130 || deals[0].ID != 1 || deals[129].ID != 130 {
		t.Fatalf("listed %d deals", len(deals))
	}
	for i := range 120 {
		if err := c.SetFirstReply(context.Background(), int64(i+1), "UF_CRM_FIRST_REPLY", 42*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	// 3 pages + 120 updates = 123 requests: 50 at once, then 73 at 2 a
	// second, so 36.5 s of pacing and not one rejection.
	if p.requests != 123 || p.rejected != 0 {
		t.Errorf("portal saw %d requests, rejected %d; want 123 and 0", p.requests, p.rejected)
	}
	if got := clock.Slept(); got != 36500*time.Millisecond {
		t.Errorf("paced for %v, want 36.5 s", got)
	}
}

func TestClientRecoversFromQueryLimit(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 120)
	p.counter = 50000 // another application sharing the portal filled the bucket
	c := newTestClient(t, p, Options{})
	deals := collectDeals(t, c)
	if len(deals) != 120 {
		t.Fatalf("listed %d deals, want 120", len(deals))
	}
	if p.rejected == 0 {
		t.Error("the portal never answered QUERY_LIMIT_EXCEEDED: the test proves nothing")
	}
	if p.requests != 3+p.rejected {
		t.Errorf("%d requests with %d rejected, want 3 accepted", p.requests, p.rejected)
	}
}

func TestClientRetries503(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 10)
	p.fail503 = 2
	c := newTestClient(t, p, Options{})
	if got := len(collectDeals(t, c)); got != 10 {
		t.Errorf("listed %d deals, want 10", got)
	}
	if clock.Slept() != 3*time.Second {
		t.Errorf("backed off %v, want 1 s + 2 s", clock.Slept())
	}
}

func TestClientGivesUp(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 10)
	p.fail503 = 100
	c := newTestClient(t, p, Options{Retries: 2})
	err := c.Call(context.Background(), "crm.deal.list", nil, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || !apiErr.Temporary() {
		t.Fatalf("err = %v, want a temporary APIError with HTTP 503", err)
	}
	if p.requests != 3 {
		t.Errorf("%d requests, want 1 + 2 retries", p.requests)
	}
}

func TestClientAPIError(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 10)
	p.failWith = "ACCESS_DENIED"
	c := newTestClient(t, p, Options{})
	err := c.Call(context.Background(), "crm.deal.list", nil, nil)
	want := &APIError{Method: "crm.deal.list", StatusCode: 401, Code: "ACCESS_DENIED", Description: "Access denied."}
	var got *APIError
	if !errors.As(err, &got) {
		t.Fatalf("err = %v", err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("APIError (-want +got):\n%s", d)
	}
	if p.requests != 1 || got.Temporary() {
		t.Errorf("a permanent error was retried: %d requests", p.requests)
	}
	if s := got.Error(); s != "bitrix24: crm.deal.list: ACCESS_DENIED: Access denied. (HTTP 401)" {
		t.Errorf("Error() = %q", s)
	}
}

func TestDealsStopEarly(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 200)
	c := newTestClient(t, p, Options{})
	n := 0
	for _, err := range c.Deals(context.Background(), ListQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	if p.requests != 1 {
		t.Errorf("stopping after 3 deals fetched %d pages, want 1", p.requests)
	}
}

func TestDealDecoding(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 1)
	c := newTestClient(t, p, Options{})
	d := collectDeals(t, c)[0]
	d.Fields = nil
	want := Deal{ID: 1, Title: "Deal 1", StageID: "NEW", StageSemantic: "P",
		Amount: decimal.RequireFromString("1500.50"), Currency: "RUB",
		Created: time.Date(2025, 1, 9, 7, 15, 0, 0, time.UTC)}
	if d.Amount.String() != "1500.5" || !d.Created.Equal(want.Created) {
		t.Errorf("amount %s, created %v", d.Amount, d.Created)
	}
	d.Amount, d.Created, want.Amount, want.Created = decimal.Decimal{}, time.Time{}, decimal.Decimal{}, time.Time{}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("deal (-want +got):\n%s", diff)
	}
}

func TestMalformedRecordIsAnError(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 2)
	p.deals[1]["OPPORTUNITY"] = "12,5"
	c := newTestClient(t, p, Options{})
	var errs []error
	n := 0
	for _, err := range c.Deals(context.Background(), ListQuery{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if n != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "record 2: field OPPORTUNITY") {
		t.Errorf("got %d deals and errors %v", n, errs)
	}
}

func TestSetFirstReply(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 0)
	c := newTestClient(t, p, Options{})
	ctx := context.Background()
	if err := c.SetFirstReply(ctx, 759, "UF_CRM_FIRST_REPLY", 59900*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	want := []url.Values{{"id": {"759"}, "fields[UF_CRM_FIRST_REPLY]": {"59"}}}
	if d := cmp.Diff(want, p.updates); d != "" {
		t.Errorf("update form (-want +got):\n%s", d)
	}
	for _, bad := range []struct {
		reason string
		id     int64
		field  string
		d      time.Duration
	}{
		{"not a custom field", 759, "TITLE", time.Second},
		{"field with a bracket", 759, "UF_CRM_X]", time.Second},
		{"negative time", 759, "UF_CRM_FIRST_REPLY", -time.Second},
		{"no deal", 0, "UF_CRM_FIRST_REPLY", time.Second},
	} {
		if err := c.SetFirstReply(ctx, bad.id, bad.field, bad.d); err == nil {
			t.Errorf("%s: accepted", bad.reason)
		}
	}
	if len(p.updates) != 1 {
		t.Errorf("invalid updates reached the portal: %v", p.updates)
	}
}

func TestStageHistoryEvents(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 0)
	p.history = []map[string]any{
		{"ID": "1", "TYPE_ID": "1", "OWNER_ID": "759", "CREATED_TIME": "2025-01-09T10:00:00+03:00", "CATEGORY_ID": "0", "STAGE_ID": "NEW", "STAGE_SEMANTIC_ID": "P"},
		{"ID": "2", "TYPE_ID": "2", "OWNER_ID": "759", "CREATED_TIME": "2025-01-10T12:00:00+03:00", "CATEGORY_ID": "0", "STAGE_ID": "UC_BOOKED", "STAGE_SEMANTIC_ID": "P"},
		{"ID": "3", "TYPE_ID": "3", "OWNER_ID": "759", "CREATED_TIME": "2025-01-12T15:30:00+03:00", "CATEGORY_ID": "0", "STAGE_ID": "WON", "STAGE_SEMANTIC_ID": "S"},
		{"ID": "4", "TYPE_ID": "3", "OWNER_ID": "760", "CREATED_TIME": "2025-01-12T16:00:00+03:00", "CATEGORY_ID": "0", "STAGE_ID": "LOSE", "STAGE_SEMANTIC_ID": "F"},
	}
	c := newTestClient(t, p, Options{})
	var got []onemin.Event
	for s, err := range c.StageHistory(context.Background(), EntityDeal, ListQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := StageEvent(s, StageKinds{"UC_BOOKED": onemin.Booking}); ok {
			e.At = e.At.UTC()
			got = append(got, e)
		}
	}
	want := []onemin.Event{
		{ID: "bitrix24:deal:stage:2", Kind: onemin.Booking, At: time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC), ConversationID: "deal:759"},
		{ID: "bitrix24:deal:stage:3", Kind: onemin.DealWon, At: time.Date(2025, 1, 12, 12, 30, 0, 0, time.UTC), ConversationID: "deal:759"},
		{ID: "bitrix24:deal:stage:4", Kind: onemin.DealLost, At: time.Date(2025, 1, 12, 13, 0, 0, 0, time.UTC), ConversationID: "deal:760"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestNewClientRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://x/rest/1/a/", "https:///rest/1/a/", "https://portal.bitrix24.ru/api/"} {
		if _, err := NewClient(u, nil); err == nil {
			t.Errorf("NewClient(%q) accepted", u)
		}
	}
	if _, err := NewClient("https://portal.bitrix24.ru/rest/1/a/", &Options{Burst: -1}); err == nil {
		t.Error("negative burst accepted")
	}
}

func TestCallRejectsBadMethod(t *testing.T) {
	c, _ := NewClient("https://portal.bitrix24.ru/rest/1/a/", nil)
	for _, m := range []string{"", "../admin", "crm.deal.list?x=1", "crm/deal"} {
		if err := c.Call(context.Background(), m, nil, nil); err == nil {
			t.Errorf("Call(%q) accepted", m)
		}
	}
}

func TestClientHonoursContext(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	p := newFakePortal(clock, 10)
	p.fail503 = 100
	c := newTestClient(t, p, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Call(ctx, "crm.deal.list", nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if p.requests != 0 {
		t.Errorf("%d requests after cancel", p.requests)
	}
}

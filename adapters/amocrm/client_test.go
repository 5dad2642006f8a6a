package amocrm

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
)

var start = time.Date(2025, 1, 9, 9, 0, 0, 0, time.UTC)

// fakeAccount is an httptest amoCRM account. It enforces "at most 7
// requests in any one second" with its own sliding window (answering 429
// past it), checks the bearer token, and pages lists with _links.next.href,
// answering 204 No Content past the last page.
type fakeAccount struct {
	clock *ratelimit.FakeClock
	srv   *httptest.Server

	mu        sync.Mutex
	times     []time.Time
	requests  int
	limited   int
	leads     int
	events    []map[string]any
	busy      int    // answer this many requests 429 with Retry-After: 2
	nextLink  string // overrides the next link of the first page
	lastPaths []string
}

func newFakeAccount(t *testing.T, clock *ratelimit.FakeClock, leads int) *fakeAccount {
	a := &fakeAccount{clock: clock, leads: leads}
	a.srv = httptest.NewServer(a)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *fakeAccount) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.clock.Now()
	a.requests++
	a.lastPaths = append(a.lastPaths, r.URL.RequestURI())
	recent := 0
	for _, t := range a.times {
		if t.After(now.Add(-time.Second)) {
			recent++
		}
	}
	a.times = append(a.times, now)
	if recent >= 7 || a.busy > 0 {
		if a.busy > 0 {
			a.busy--
			w.Header().Set("Retry-After", "2")
		}
		a.limited++
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(429)
		fmt.Fprint(w, `{"title":"Too Many Requests","type":"https://httpstatus.es/429","status":429,"detail":"Rate limit exceeded"}`)
		return
	}
	if r.Header.Get("Authorization") != "Bearer tok" {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(401)
		fmt.Fprint(w, `{"title":"Unauthorized","type":"https://httpstatus.es/401","status":401,"detail":"Неверный логин или пароль"}`)
		return
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	limit, _ := strconv.Atoi(q.Get("limit"))
	var key string
	var all []any
	switch r.URL.Path {
	case "/api/v4/leads":
		key = "leads"
		for i := 1; i <= a.leads; i++ {
			all = append(all, map[string]any{"id": i, "name": "Lead", "price": 2500, "status_id": 142, "pipeline_id": 550800,
				"created_at": 1736405890, "updated_at": 1736492400, "closed_at": nil, "loss_reason_id": nil,
				"_embedded": map[string]any{"contacts": []any{map[string]any{"id": 5, "is_main": false}, map[string]any{"id": 4, "is_main": true}}}})
		}
	case "/api/v4/events":
		key = "events"
		for _, e := range a.events {
			all = append(all, e)
		}
	default:
		w.WriteHeader(404)
		return
	}
	from := (page - 1) * limit
	if from >= len(all) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	to := min(from+limit, len(all))
	next := *r.URL
	next.Scheme, next.Host = "http", r.Host
	nq := next.Query()
	nq.Set("page", strconv.Itoa(page+1))
	next.RawQuery = nq.Encode()
	href := next.String()
	if page == 1 && a.nextLink != "" {
		href = a.nextLink
	}
	w.Header().Set("Content-Type", "application/hal+json")
	// Every page links to the next one, so the end is always the 204.
	json.NewEncoder(w).Encode(map[string]any{
		"_page":     page,
		"_links":    map[string]any{"self": map[string]any{"href": r.URL.String()}, "next": map[string]any{"href": href}},
		"_embedded": map[string]any{key: all[from:to]},
	})
}

func (a *fakeAccount) client(t *testing.T, token string, opts Options) *Client {
	opts.HTTPClient = a.srv.Client()
	opts.Now, opts.Sleep = a.clock.Now, a.clock.Sleep
	c, err := NewClient(a.srv.URL, token, &opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLeadsPagingAndLimit(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	a := newFakeAccount(t, clock, 40)
	c := a.client(t, "tok", Options{PageSize: 3})
	var ids []int64
	for l, err := range c.Leads(context.Background(), url.Values{"with": {"contacts"}}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID)
	}
	if len(ids) != 40 || ids[0] != 1 || ids[39] != 40 {
		t.Fatalf("listed %d leads: %v", len(ids), ids)
	}
	// 14 pages of 3 (the last one short) and the 204: 15 requests, none
	// over 7 in a second, so 14 gaps of 1/7 s.
	if a.requests != 15 || a.limited != 0 {
		t.Errorf("%d requests, %d limited; want 15 and 0", a.requests, a.limited)
	}
	if got, want := clock.Slept(), 14*((time.Second+6)/7); got != want {
		t.Errorf("paced %v, want %v", got, want)
	}
	if !strings.Contains(a.lastPaths[0], "with=contacts") || !strings.Contains(a.lastPaths[0], "limit=3") {
		t.Errorf("first request %s lost the query", a.lastPaths[0])
	}
}

func TestLeadDecoding(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	a := newFakeAccount(t, clock, 1)
	c := a.client(t, "tok", Options{})
	var got []Lead
	for l, err := range c.Leads(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l)
	}
	if len(got) != 1 {
		t.Fatalf("%d leads", len(got))
	}
	l := got[0]
	if l.Price.String() != "2500" || l.StatusID != StatusWon || !l.CreatedAt.Equal(utc(9, 6, 58, 10)) ||
		!l.UpdatedAt.Equal(utc(10, 7, 0, 0)) || !l.ClosedAt.IsZero() {
		t.Errorf("lead %+v", l)
	}
	if d := cmp.Diff([]int64{4, 5}, l.ContactIDs); d != "" {
		t.Errorf("contacts, main first (-want +got):\n%s", d)
	}
}

// countLeads reads every lead of c, failing t on the first error.
func countLeads(t *testing.T, c *Client) int {
	t.Helper()
	n := 0
	for _, err := range c.Leads(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func TestEmptyListIs204(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	a := newFakeAccount(t, clock, 0)
	c := a.client(t, "tok", Options{})
	n := countLeads(t, c)
	if n != 0 || a.requests != 1 {
		t.Errorf("%d leads in %d requests, want none in 1", n, a.requests)
	}
}

func TestRecoversFrom429(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	a := newFakeAccount(t, clock, 5)
	a.busy = 2
	c := a.client(t, "tok", Options{})
	n := countLeads(t, c)
	if n != 5 || a.limited != 2 {
		t.Errorf("%d leads after %d limited answers, want 5 after 2", n, a.limited)
	}
	if clock.Slept() < 4*time.Second {
		t.Errorf("slept %v, want at least the two Retry-After waits of 2 s", clock.Slept())
	}
}

func TestUnauthorized(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	a := newFakeAccount(t, clock, 5)
	c := a.client(t, "wrong", Options{})
	var err error
	for _, e := range c.Leads(context.Background(), nil) {
		err = e
	}
	want := &APIError{Path: "/api/v4/leads", StatusCode: 401, Title: "Unauthorized", Detail: "Неверный логин или пароль"}
	var got *APIError
	if !errors.As(err, &got) {
		t.Fatalf("err = %v", err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("APIError (-want +got):\n%s", d)
	}
	if a.requests != 1 {
		t.Errorf("a 401 was retried: %d requests", a.requests)
	}
}

func TestNextLinkToAnotherHostIsRefused(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	a := newFakeAccount(t, clock, 600)
	a.nextLink = "https://attacker.example/api/v4/leads?page=2"
	c := a.client(t, "tok", Options{})
	var err error
	n := 0
	for _, e := range c.Leads(context.Background(), nil) {
		if e != nil {
			err = e
			continue
		}
		n++
	}
	if err == nil || !strings.Contains(err.Error(), "leaves") || n != 250 || a.requests != 1 {
		t.Errorf("err %v after %d leads and %d requests", err, n, a.requests)
	}
}

func TestEventLogMapping(t *testing.T) {
	clock := ratelimit.NewFakeClock(start)
	a := newFakeAccount(t, clock, 0)
	a.events = []map[string]any{
		{"id": "e1", "type": "lead_added", "entity_id": 1020301, "entity_type": "lead", "created_by": 0, "created_at": 1736405890,
			"value_after": []any{}, "value_before": []any{}},
		{"id": "e2", "type": "incoming_chat_message", "entity_id": 880011, "entity_type": "contact", "created_by": 0, "created_at": 1736405890,
			"value_after": []any{map[string]any{"message": map[string]any{"id": "m1", "origin": "instagram", "talk_id": 4512}}}},
		{"id": "e3", "type": "outgoing_chat_message", "entity_id": 880011, "entity_type": "contact", "created_by": 0, "created_at": 1736405894,
			"value_after": []any{map[string]any{"message": map[string]any{"id": "m2", "origin": "instagram", "talk_id": 4512}}}},
		{"id": "e4", "type": "outgoing_chat_message", "entity_id": 880011, "entity_type": "contact", "created_by": 7001, "created_at": 1736405950,
			"value_after": []any{map[string]any{"message": map[string]any{"id": "m3", "origin": "instagram", "talk_id": 4512}}}},
		{"id": "e5", "type": "lead_status_changed", "entity_id": 1020301, "entity_type": "lead", "created_by": 7001, "created_at": 1736492400,
			"value_after": []any{map[string]any{"lead_status": map[string]any{"id": 142, "pipeline_id": 550800}}}},
		{"id": "e6", "type": "task_added", "entity_id": 1, "entity_type": "lead", "created_by": 7001, "created_at": 1736492400},
	}
	c := a.client(t, "tok", Options{})
	var m Mapping
	var got []onemin.Event
	for e, err := range c.Events(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		ev, ok, err := m.Event(e)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			got = append(got, ev)
		}
	}
	talk, contact := "talk:4512", "contact:880011"
	want := []onemin.Event{
		{ID: "amocrm:lead:1020301:add", Kind: onemin.Lead, At: utc(9, 6, 58, 10), ConversationID: "lead:1020301"},
		{ID: "amocrm:message:m1", Kind: onemin.MessageIn, Actor: onemin.Customer, At: utc(9, 6, 58, 10), ConversationID: talk, ContactID: contact, Channel: "instagram"},
		{ID: "amocrm:message:m2", Kind: onemin.MessageOut, Actor: onemin.Bot, At: utc(9, 6, 58, 14), ConversationID: talk, ContactID: contact, Channel: "instagram"},
		{ID: "amocrm:message:m3", Kind: onemin.MessageOut, Actor: onemin.Human, Agent: "7001", At: utc(9, 6, 59, 10), ConversationID: talk, ContactID: contact, Channel: "instagram"},
		{ID: "amocrm:lead:1020301:status:142:1736492400", Kind: onemin.DealWon, At: utc(10, 7, 0, 0), ConversationID: "lead:1020301"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestEventMappingRejectsBadValues(t *testing.T) {
	var m Mapping
	for _, e := range []Event{
		{ID: "x", Type: "lead_status_changed", ValueAfter: json.RawMessage(`[]`), CreatedAt: start},
		{ID: "x", Type: "incoming_chat_message", ValueAfter: json.RawMessage(`[{"message":{"id":"m"}}]`), CreatedAt: start},
		{ID: "x", Type: "incoming_chat_message", ValueAfter: json.RawMessage(`{`), CreatedAt: start},
	} {
		if _, _, err := m.Event(e); err == nil {
			t.Errorf("%s %s accepted", e.Type, e.ValueAfter)
		}
	}
}

func TestNewClientRejects(t *testing.T) {
	for _, tt := range []struct{ url, token string }{{"salon.amocrm.ru", "t"}, {"https://salon.amocrm.ru", ""}, {"ftp://x", "t"}} {
		if _, err := NewClient(tt.url, tt.token, nil); err == nil {
			t.Errorf("NewClient(%q, %q) accepted", tt.url, tt.token)
		}
	}
}

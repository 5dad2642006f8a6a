package amocrm

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

const testSecret = "3q9Zk7VYt2mWf8LxR1cN"

var fixture = webhooktest.FixtureText

func utc(day, h, m, s int) time.Time { return time.Date(2025, 1, day, h, m, s, 0, time.UTC) }

// collector records what a handler delivered.
type collector = webhooktest.Collector[Notification]

// testConfig is a handler configuration whose callbacks and sink are c's.
func testConfig(c *collector) HandlerConfig {
	return HandlerConfig{Secret: testSecret, OnNotification: c.OnNotification, Sink: c, OnError: c.OnError}
}

func TestHandlerFixtures(t *testing.T) {
	const talk, contact = "talk:4512", "contact:880011"
	tests := []struct {
		reason     string
		fixture    string
		wantStatus int
		wantEvents []onemin.Event
		wantErr    error
		wantField  string
	}{
		{"lead added", "lead_add.form", 200, []onemin.Event{
			{ID: "amocrm:lead:1020301:add", Kind: onemin.Lead, At: utc(9, 6, 58, 10), ConversationID: "lead:1020301", Agent: "7001"},
		}, nil, ""},
		{"won, lost, and a status the mapping calls a booking", "lead_status.form", 200, []onemin.Event{
			{ID: "amocrm:lead:1020301:status:142:1736492400", Kind: onemin.DealWon, At: utc(10, 7, 0, 0), ConversationID: "lead:1020301", Agent: "7001"},
			{ID: "amocrm:lead:1020302:status:143:1736492460", Kind: onemin.DealLost, At: utc(10, 7, 1, 0), ConversationID: "lead:1020302"},
			{ID: "amocrm:lead:1020303:status:5508004:1736492520", Kind: onemin.Booking, At: utc(10, 7, 2, 0), ConversationID: "lead:1020303"},
		}, nil, ""},
		{"customer writes", "message_in.form", 200, []onemin.Event{
			{ID: "amocrm:message:5f1e0a9c-0001-4000-8000-000000000001", Kind: onemin.MessageIn, Actor: onemin.Customer,
				At: utc(9, 6, 58, 10), ConversationID: talk, ContactID: contact, Channel: "telegram"},
		}, nil, ""},
		{"bot replies", "message_out_bot.form", 200, []onemin.Event{
			{ID: "amocrm:message:5f1e0a9c-0001-4000-8000-000000000002", Kind: onemin.MessageOut, Actor: onemin.Bot, Agent: "a1b2c3",
				At: utc(9, 6, 58, 14), ConversationID: talk, ContactID: contact, Channel: "telegram"},
		}, nil, ""},
		{"manager replies", "message_out_user.form", 200, []onemin.Event{
			{ID: "amocrm:message:5f1e0a9c-0001-4000-8000-000000000003", Kind: onemin.MessageOut, Actor: onemin.Human, Agent: "a1b2c3",
				At: utc(9, 6, 59, 10), ConversationID: talk, ContactID: contact, Channel: "telegram"},
		}, nil, ""},
		{"message without a time", "missing_time.form", 400, nil, onemin.ErrMissing, "message[add][0][created_at]"},
		{"message neither incoming nor outgoing", "bad_type.form", 400, nil, onemin.ErrInvalid, "message[add][0][type]"},
		{"status change without a lead id", "status_without_id.form", 400, nil, onemin.ErrMissing, "leads[status][0][id]"},
		{"malformed form", "malformed.form", 400, nil, onemin.ErrInvalid, ""},
		{"index is not a number", "bad_index.form", 400, nil, onemin.ErrInvalid, "leads[add][x][created_at]"},
	}
	for _, tt := range tests {
		var c collector
		cfg := testConfig(&c)
		cfg.Mapping.Statuses = map[int64]onemin.Kind{5508004: onemin.Booking}
		h, _ := NewHandler(cfg)
		rec := webhooktest.PostForm(h, "/hooks/amocrm?secret="+testSecret, fixture(t, tt.fixture))
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.reason, rec.Code, tt.wantStatus)
		}
		if d := cmp.Diff(tt.wantEvents, c.Events); d != "" {
			t.Errorf("%s: events (-want +got):\n%s", tt.reason, d)
		}
		for _, e := range c.Events {
			if err := e.Validate(); err != nil {
				t.Errorf("%s: invalid event: %v", tt.reason, err)
			}
		}
		if tt.wantErr == nil {
			if len(c.Notes) != 1 || c.Notes[0].Subdomain != "salon" || c.Notes[0].AccountID != 29384756 {
				t.Errorf("%s: notifications %+v", tt.reason, c.Notes)
			}
			continue
		}
		var re *RequestError
		if len(c.Notes) != 0 || len(c.Errs) != 1 || !errors.As(c.Errs[0], &re) || !errors.Is(re, tt.wantErr) || (tt.wantField != "" && re.Field != tt.wantField) {
			t.Errorf("%s: delivered %d, logged %v; want one RequestError wrapping %v on %q", tt.reason, len(c.Notes), c.Errs, tt.wantErr, tt.wantField)
		}
	}
}

func TestHandlerParsesLeadChange(t *testing.T) {
	var c collector
	h, _ := NewHandler(testConfig(&c))
	webhooktest.PostForm(h, "/hooks/amocrm/"+testSecret, fixture(t, "lead_status.form"))
	if len(c.Notes) != 1 {
		t.Fatalf("notifications %v", c.Notes)
	}
	want := LeadChange{Action: "status", ID: 1020301, StatusID: 142, PipelineID: 550800, OldStatusID: 5508003,
		OldPipelineID: 550800, ResponsibleUserID: 7001, At: utc(10, 7, 0, 0)}
	if d := cmp.Diff(want, c.Notes[0].Leads[0]); d != "" {
		t.Errorf("lead change (-want +got):\n%s", d)
	}
	// Without the mapping, the third status gives no event.
	if len(c.Events) != 2 {
		t.Errorf("%d events, want won and lost only", len(c.Events))
	}
}

func TestHandlerSecret(t *testing.T) {
	body := fixture(t, "message_in.form")
	tests := []struct {
		reason     string
		target     string
		wantStatus int
	}{
		{"secret in the query", "/hooks/amocrm?secret=" + testSecret, 200},
		{"secret as the last path segment", "/hooks/amocrm/" + testSecret, 200},
		{"wrong secret", "/hooks/amocrm?secret=" + strings.ToLower(testSecret), 401},
		{"secret with a suffix", "/hooks/amocrm/" + testSecret + "x", 401},
		{"no secret", "/hooks/amocrm", 401},
		{"secret in another parameter", "/hooks/amocrm?token=" + testSecret, 401},
	}
	for _, tt := range tests {
		var c collector
		h, _ := NewHandler(testConfig(&c))
		rec := webhooktest.PostForm(h, tt.target, body)
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.reason, rec.Code, tt.wantStatus)
		}
		if tt.wantStatus != 200 && (len(c.Events) != 0 || len(c.Errs) != 1 || !errors.Is(c.Errs[0], ErrUnauthorized)) {
			t.Errorf("%s: events %v, errors %v", tt.reason, c.Events, c.Errs)
		}
	}
}

func TestHandlerRejects(t *testing.T) {
	target := "/hooks/amocrm?secret=" + testSecret
	tests := []struct {
		reason     string
		method     string
		body       string
		wantStatus int
		wantErr    error
	}{
		{"GET", http.MethodGet, "", 405, ErrMethod},
		{"oversize body", http.MethodPost, strings.Repeat("a", 2<<20), 413, ErrTooLarge},
		{"empty body", http.MethodPost, "", 400, onemin.ErrMissing},
		{"unbalanced brackets", http.MethodPost, "leads[add][0][id=1", 400, onemin.ErrInvalid},
		{"short key", http.MethodPost, "leads[add][0]=1", 400, onemin.ErrInvalid},
		{"lead time is not a number", http.MethodPost, "leads[add][0][id]=1&leads[add][0][created_at]=today", 400, onemin.ErrInvalid},
		{"lead id negative", http.MethodPost, "leads[add][0][id]=-1&leads[add][0][created_at]=1", 400, onemin.ErrInvalid},
		{"message without talk or chat", http.MethodPost, "message[add][0][id]=m&message[add][0][type]=incoming&message[add][0][created_at]=1", 400, onemin.ErrMissing},
	}
	for _, tt := range tests {
		var c collector
		h, _ := NewHandler(testConfig(&c))
		req := httptest.NewRequest(tt.method, target, strings.NewReader(tt.body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.reason, rec.Code, tt.wantStatus)
		}
		if len(c.Notes) != 0 || len(c.Errs) != 1 || !errors.Is(c.Errs[0], tt.wantErr) {
			t.Errorf("%s: delivered %d, logged %v; want %v", tt.reason, len(c.Notes), c.Errs, tt.wantErr)
		}
		if s := h.Stats(); s.Rejected != 1 {
			t.Errorf("%s: stats %+v", tt.reason, s)
		}
	}
}

func TestHandlerReplay(t *testing.T) {
	var c collector
	h, _ := NewHandler(testConfig(&c))
	body := fixture(t, "lead_status.form")
	for range 3 {
		if rec := webhooktest.PostForm(h, "/hooks/amocrm?secret="+testSecret, body); rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
	}
	if len(c.Notes) != 1 || len(c.Events) != 2 {
		t.Errorf("applied %d times with %d events, want once with 2", len(c.Notes), len(c.Events))
	}
	if d := cmp.Diff(HandlerStats{Received: 3, Accepted: 1, Replayed: 2}, h.Stats()); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}
}

func TestHandlerSinkFailureIsRetried(t *testing.T) {
	fail := true
	var got []onemin.Event
	h, _ := NewHandler(HandlerConfig{Secret: testSecret, Sink: onemin.SinkFunc(func(_ context.Context, events ...onemin.Event) error {
		if fail {
			return errors.New("store is down")
		}
		got = append(got, events...)
		return nil
	})})
	body := fixture(t, "message_in.form")
	if rec := webhooktest.PostForm(h, "/h?secret="+testSecret, body); rec.Code != 500 {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	fail = false
	if rec := webhooktest.PostForm(h, "/h?secret="+testSecret, body); rec.Code != 200 || len(got) != 1 {
		t.Fatalf("retry: status %d, %d events", rec.Code, len(got))
	}
}

func TestMappingAuthors(t *testing.T) {
	tests := []struct {
		reason string
		m      Mapping
		author string
		want   onemin.Actor
	}{
		{"bot", Mapping{}, "bot", onemin.Bot},
		{"user", Mapping{}, "USER", onemin.Human},
		{"unknown is an automation", Mapping{}, "widget", onemin.Automation},
		{"missing is an automation", Mapping{}, "", onemin.Automation},
		{"configured", Mapping{Authors: map[string]onemin.Actor{"widget": onemin.Bot}}, "widget", onemin.Bot},
		{"override", Mapping{Authors: map[string]onemin.Actor{"bot": onemin.Automation}}, "bot", onemin.Automation},
	}
	for _, tt := range tests {
		if got := tt.m.author(tt.author); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.reason, got, tt.want)
		}
	}
}

func TestMappingStatusOverride(t *testing.T) {
	m := Mapping{Statuses: map[int64]onemin.Kind{StatusLost: onemin.KindUnknown}}
	if _, ok := m.statusKind(StatusLost); ok {
		t.Error("a status mapped to KindUnknown still gives an event")
	}
	if k, ok := m.statusKind(StatusWon); !ok || k != onemin.DealWon {
		t.Errorf("won = %v %v", k, ok)
	}
}

func TestNewHandlerNeedsSecret(t *testing.T) {
	if _, err := NewHandler(HandlerConfig{}); err == nil {
		t.Error("a handler without a secret was made")
	}
}

func TestHandlerSinkPanicIs500(t *testing.T) {
	h, _ := NewHandler(HandlerConfig{Secret: testSecret,
		Sink: onemin.SinkFunc(func(context.Context, ...onemin.Event) error { panic("boom") })})
	if rec := webhooktest.PostForm(h, "/h?secret="+testSecret, fixture(t, "message_in.form")); rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
}

func TestHandlerAcceptsDeletionWithoutTime(t *testing.T) {
	var c collector
	h, _ := NewHandler(testConfig(&c))
	rec := webhooktest.PostForm(h, "/h?secret="+testSecret, "leads[delete][0][id]=1020301&leads[delete][0][status_id]=142&account[id]=1")
	if rec.Code != 200 || len(c.Notes) != 1 || len(c.Events) != 0 {
		t.Errorf("status %d, %d notifications, events %v", rec.Code, len(c.Notes), c.Events)
	}
	if got := c.Notes[0].Leads[0]; got.Action != "delete" || got.ID != 1020301 || !got.At.IsZero() {
		t.Errorf("lead change %+v", got)
	}
}

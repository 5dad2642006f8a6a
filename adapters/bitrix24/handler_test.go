package bitrix24

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

const testToken = "51856fefc120afa4b628cc82d3935cce"

var fixture = webhooktest.FixtureText

func post(h http.Handler, body string) *httptest.ResponseRecorder {
	return webhooktest.PostForm(h, "/bitrix24", body)
}

// collector records what a handler delivered.
type collector = webhooktest.Collector[Notification]

// testConfig is a handler configuration whose callbacks and sink are c's.
func testConfig(c *collector) HandlerConfig {
	return HandlerConfig{ApplicationToken: testToken, OnNotification: c.OnNotification, Sink: c, OnError: c.OnError}
}

func TestHandlerFixtures(t *testing.T) {
	tests := []struct {
		reason     string
		fixture    string
		wantStatus int
		wantNotes  []Notification
		wantEvents []onemin.Event
		wantErr    error  // sentinel of the logged error
		wantField  string // field of the logged error
	}{
		{
			reason: "deal added", fixture: "deal_add.form", wantStatus: 200,
			wantNotes: []Notification{{Event: "ONCRMDEALADD", EntityID: 759, At: time.Unix(1736405807, 0).UTC(),
				Domain: "salon.bitrix24.ru", MemberID: "a223c6b3710f85df22e9377d6c4f7553", HandlerID: "41"}},
		},
		{
			reason: "deal updated", fixture: "deal_update.form", wantStatus: 200,
			wantNotes: []Notification{{Event: "ONCRMDEALUPDATE", EntityID: 759, At: time.Unix(1736409407, 0).UTC(),
				Domain: "salon.bitrix24.ru", MemberID: "a223c6b3710f85df22e9377d6c4f7553", HandlerID: "42"}},
		},
		{
			reason: "lead added gives a lead event", fixture: "lead_add.form", wantStatus: 200,
			wantNotes: []Notification{{Event: "ONCRMLEADADD", EntityID: 1201, At: time.Unix(1736405900, 0).UTC(),
				Domain: "salon.bitrix24.ru", MemberID: "a223c6b3710f85df22e9377d6c4f7553", HandlerID: "43"}},
			wantEvents: []onemin.Event{{ID: "bitrix24:lead:1201:add", Tenant: "salon", Kind: onemin.Lead,
				At: time.Date(2025, 1, 9, 6, 58, 20, 0, time.UTC), ConversationID: "lead:1201"}},
		},
		{reason: "wrong token", fixture: "wrong_token.form", wantStatus: 401, wantErr: ErrUnauthorized, wantField: "auth[application_token]"},
		{reason: "missing entity ID", fixture: "missing_id.form", wantStatus: 400, wantErr: onemin.ErrMissing, wantField: "data[FIELDS][ID]"},
		{reason: "malformed form", fixture: "malformed.form", wantStatus: 400, wantErr: onemin.ErrInvalid},
	}
	for _, tt := range tests {
		var c collector
		cfg := testConfig(&c)
		cfg.Tenant = "salon"
		h, err := NewHandler(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rec := post(h, fixture(t, tt.fixture))
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.reason, rec.Code, tt.wantStatus)
		}
		if d := cmp.Diff(tt.wantNotes, c.Notes); d != "" {
			t.Errorf("%s: notifications (-want +got):\n%s", tt.reason, d)
		}
		if d := cmp.Diff(tt.wantEvents, c.Events); d != "" {
			t.Errorf("%s: events (-want +got):\n%s", tt.reason, d)
		}
		if tt.wantErr == nil {
			if len(c.Errs) != 0 {
				t.Errorf("%s: logged %v", tt.reason, c.Errs)
			}
			continue
		}
		var re *RequestError
		if len(c.Errs) != 1 || !errors.As(c.Errs[0], &re) || !errors.Is(re, tt.wantErr) || re.Field != tt.wantField || re.Status != tt.wantStatus {
			t.Errorf("%s: logged %v, want one RequestError wrapping %v on field %q", tt.reason, c.Errs, tt.wantErr, tt.wantField)
		}
	}
}

func TestHandlerRejects(t *testing.T) {
	valid := fixture(t, "lead_add.form")
	tests := []struct {
		reason     string
		method     string
		body       string
		wantStatus int
		wantErr    error
	}{
		{"GET", http.MethodGet, "", 405, ErrMethod},
		{"oversize body", http.MethodPost, valid + "&pad=" + strings.Repeat("x", 70<<10), 413, ErrTooLarge},
		{"no token", http.MethodPost, strings.Replace(valid, "auth%5Bapplication_token%5D", "auth%5Bother%5D", 1), 401, ErrUnauthorized},
		{"token of another length", http.MethodPost, strings.Replace(valid, testToken, testToken+"0", 1), 401, ErrUnauthorized},
		{"bad timestamp", http.MethodPost, strings.Replace(valid, "ts=1736405900", "ts=yesterday", 1), 400, onemin.ErrInvalid},
		{"missing timestamp", http.MethodPost, strings.Replace(valid, "ts=1736405900", "", 1), 400, onemin.ErrMissing},
		{"negative ID", http.MethodPost, strings.Replace(valid, "ID%5D=1201", "ID%5D=-3", 1), 400, onemin.ErrInvalid},
		{"missing event", http.MethodPost, strings.Replace(valid, "event=ONCRMLEADADD", "event=", 1), 400, onemin.ErrMissing},
		{"event is not a code", http.MethodPost, strings.Replace(valid, "event=ONCRMLEADADD", "event=on%20crm", 1), 400, onemin.ErrInvalid},
		{"empty body", http.MethodPost, "", 401, ErrUnauthorized},
	}
	for _, tt := range tests {
		var c collector
		h, _ := NewHandler(testConfig(&c))
		req := httptest.NewRequest(tt.method, "/bitrix24", strings.NewReader(tt.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.reason, rec.Code, tt.wantStatus)
		}
		if len(c.Notes) != 0 || len(c.Events) != 0 {
			t.Errorf("%s: delivered %v %v", tt.reason, c.Notes, c.Events)
		}
		if len(c.Errs) != 1 || !errors.Is(c.Errs[0], tt.wantErr) {
			t.Errorf("%s: logged %v, want %v", tt.reason, c.Errs, tt.wantErr)
		}
		if s := h.Stats(); s.Rejected != 1 || s.Received != 1 {
			t.Errorf("%s: stats %+v", tt.reason, s)
		}
	}
}

func TestHandlerReplay(t *testing.T) {
	var c collector
	h, _ := NewHandler(testConfig(&c))
	body := fixture(t, "lead_add.form")
	for i := range 3 {
		if rec := post(h, body); rec.Code != 200 {
			t.Fatalf("delivery %d: status %d", i+1, rec.Code)
		}
	}
	if len(c.Notes) != 1 || len(c.Events) != 1 {
		t.Errorf("a delivery sent three times was applied %d/%d times, want once", len(c.Notes), len(c.Events))
	}
	want := HandlerStats{Received: 3, Accepted: 1, Replayed: 2}
	if d := cmp.Diff(want, h.Stats()); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}
}

func TestHandlerReplayWindowIsBounded(t *testing.T) {
	var c collector
	cfg := testConfig(&c)
	cfg.ReplayWindow = 2
	h, _ := NewHandler(cfg)
	bodies := []string{fixture(t, "lead_add.form"), fixture(t, "deal_add.form"), fixture(t, "deal_update.form")}
	for _, b := range bodies {
		post(h, b)
	}
	// The first delivery fell out of a window of two: it is applied again.
	post(h, bodies[0])
	post(h, bodies[2]) // still remembered
	if got := len(c.Notes); got != 4 {
		t.Errorf("applied %d deliveries, want 4", got)
	}
	if got := h.fh.Replays.Len(); got != 2 {
		t.Errorf("remembers %d keys, want 2", got)
	}
}

func TestHandlerSinkFailureIsRetried(t *testing.T) {
	fail := true
	var got []onemin.Event
	h, _ := NewHandler(HandlerConfig{
		ApplicationToken: testToken,
		Sink: onemin.SinkFunc(func(_ context.Context, events ...onemin.Event) error {
			if fail {
				return errors.New("store is down")
			}
			got = append(got, events...)
			return nil
		}),
	})
	body := fixture(t, "lead_add.form")
	if rec := post(h, body); rec.Code != 500 {
		t.Fatalf("status %d while the sink fails, want 500", rec.Code)
	}
	fail = false
	if rec := post(h, body); rec.Code != 200 || len(got) != 1 {
		t.Fatalf("retry: status %d, %d events; want 200 and the event", rec.Code, len(got))
	}
	if s := h.Stats(); s.Failed != 1 || s.Accepted != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestHandlerCallbackFailureSkipsSink(t *testing.T) {
	var c collector
	cfg := testConfig(&c)
	cfg.OnNotification = func(context.Context, Notification) error { return errors.New("no") }
	h, _ := NewHandler(cfg)
	if rec := post(h, fixture(t, "lead_add.form")); rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if len(c.Events) != 0 {
		t.Errorf("sink got %v after the callback failed", c.Events)
	}
}

func TestNewHandlerNeedsToken(t *testing.T) {
	if _, err := NewHandler(HandlerConfig{}); err == nil {
		t.Error("a handler without a token was made")
	}
	if _, err := NewHandler(HandlerConfig{ApplicationToken: "x", MaxBodyBytes: -1}); err == nil {
		t.Error("a negative limit was accepted")
	}
}

func TestParseNotificationEmptyTokenNeverMatches(t *testing.T) {
	form := map[string][]string{"event": {"ONCRMLEADADD"}, "data[FIELDS][ID]": {"1"}, "ts": {"1"}, "auth[application_token]": {""}}
	if _, err := ParseNotification(form, ""); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("empty tokens matched: %v", err)
	}
}

func TestHandlerSinkPanicIs500(t *testing.T) {
	h, _ := NewHandler(HandlerConfig{ApplicationToken: testToken,
		Sink: onemin.SinkFunc(func(context.Context, ...onemin.Event) error { panic("boom") })})
	if rec := post(h, fixture(t, "lead_add.form")); rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if s := h.Stats(); s.Failed != 1 {
		t.Errorf("stats %+v", s)
	}
}

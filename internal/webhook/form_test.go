package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

type testSystem struct{}

func (testSystem) Name() string { return "crm" }

var (
	errTestMethod   = errors.New("crm: method not allowed")
	errTestTooLarge = errors.New("crm: body too large")
	errTestToken    = errors.New("crm: token does not match")
)

// newTestForm returns a handler of forms "id=ID&at=SECONDS[&panic=1]",
// keyed by id, authorized by "?token=t"; each delivery gives one lead
// event "lead:ID".
func newTestForm(sink onemin.Sink, errs *[]error) *FormHandler[testSystem, string] {
	return &FormHandler[testSystem, string]{
		ErrMethod:    errTestMethod,
		ErrTooLarge:  errTestTooLarge,
		MaxBodyBytes: 64,
		Authorize: func(r *http.Request) *RequestError[testSystem] {
			if !EqualToken(r.URL.Query().Get("token"), "t") {
				return &RequestError[testSystem]{Status: http.StatusUnauthorized, Field: "token", Reason: "token does not match", Err: errTestToken}
			}
			return nil
		},
		Parse: func(form url.Values, _ []byte) (string, string, time.Time, *RequestError[testSystem]) {
			id := form.Get("id")
			if id == "" {
				return "", "", time.Time{}, &RequestError[testSystem]{Status: http.StatusBadRequest, Field: "id", Reason: "missing", Err: onemin.ErrMissing}
			}
			return id, id, t0, nil
		},
		OnNotification: func(_ context.Context, id string) error {
			if id == "panic" {
				panic("callback bug")
			}
			return nil
		},
		Sink: sink,
		Events: func(id string) []onemin.Event {
			return []onemin.Event{{ID: "lead:" + id, Kind: onemin.Lead, At: t0, ConversationID: id}}
		},
		Tenant:  "acme",
		Replays: NewReplays(10, time.Hour),
		OnError: func(_ *http.Request, err error) { *errs = append(*errs, err) },
	}
}

func TestFormHandler(t *testing.T) {
	sink := &flakySink{}
	var errs []error
	h := newTestForm(sink, &errs)
	steps := []struct {
		reason     string
		method     string
		target     string
		body       string
		sinkFails  bool
		wantStatus int
		wantErr    error // the sentinel OnError receives; nil when none
	}{
		{"applied", http.MethodPost, "/?token=t", "id=a", false, 200, nil},
		{"repeat answered but not applied", http.MethodPost, "/?token=t", "id=a", false, 200, nil},
		{"wrong method", http.MethodGet, "/?token=t", "", false, 405, errTestMethod},
		{"wrong token, before the body is read", http.MethodPost, "/?token=x", "id=b", false, 401, errTestToken},
		{"oversize body", http.MethodPost, "/?token=t", "id=" + strings.Repeat("b", 64), false, 413, errTestTooLarge},
		{"malformed form", http.MethodPost, "/?token=t", "id=%zz", false, 400, onemin.ErrInvalid},
		{"parse refuses", http.MethodPost, "/?token=t", "x=1", false, 400, onemin.ErrMissing},
		{"sink fails: 500", http.MethodPost, "/?token=t", "id=b", true, 500, nil},
		{"the retry after a failure is applied", http.MethodPost, "/?token=t", "id=b", false, 200, nil},
		{"a panic is 500", http.MethodPost, "/?token=t", "id=panic", false, 500, nil},
	}
	for _, s := range steps {
		sink.fail = s.sinkFails
		before := len(errs)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(s.method, s.target, strings.NewReader(s.body)))
		if rec.Code != s.wantStatus {
			t.Errorf("%s: status %d, want %d", s.reason, rec.Code, s.wantStatus)
		}
		if got := strings.TrimSpace(rec.Body.String()); s.wantStatus != 200 && got != http.StatusText(s.wantStatus) {
			t.Errorf("%s: body %q, want only the status text", s.reason, got)
		}
		switch {
		case s.wantStatus == 200 && len(errs) != before:
			t.Errorf("%s: OnError called with %v", s.reason, errs[before:])
		case s.wantStatus != 200 && len(errs) != before+1:
			t.Errorf("%s: OnError called %d times, want once", s.reason, len(errs)-before)
		case s.wantErr != nil && !errors.Is(errs[before], s.wantErr):
			t.Errorf("%s: OnError got %v, want it to wrap %v", s.reason, errs[before], s.wantErr)
		}
	}
	want := []onemin.Event{
		{ID: "lead:a", Kind: onemin.Lead, At: t0, ConversationID: "a", Tenant: "acme"},
		{ID: "lead:b", Kind: onemin.Lead, At: t0, ConversationID: "b", Tenant: "acme"},
	}
	if d := cmp.Diff(want, sink.Events()); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if d := cmp.Diff(FormStats{Received: 10, Accepted: 2, Replayed: 1, Rejected: 5, Failed: 2}, h.Stats()); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}
	wantMsgs := []string{
		"crm: method GET is not POST",
		"crm: field token: token does not match",
		"crm: body is over 64 bytes",
		`crm: malformed form body: invalid URL escape "%zz"`,
		"crm: field id: missing",
		"crm: sink: store is down",
		"crm: panic while applying a delivery: callback bug",
	}
	var gotMsgs []string
	for _, err := range errs {
		gotMsgs = append(gotMsgs, err.Error())
	}
	if d := cmp.Diff(wantMsgs, gotMsgs); d != "" {
		t.Errorf("error messages (-want +got):\n%s", d)
	}
}

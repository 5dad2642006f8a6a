package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

const secret = "app-secret-for-tests"

func post(t *testing.T, h http.Handler, body []byte, signature string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/whatsapp", bytes.NewReader(body))
	if signature != "" {
		req.Header.Set("X-Hub-Signature-256", signature)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func sign(body []byte) string { return "sha256=" + webhook.SignatureSHA256([]byte(secret), body) }

func TestHandlerDeliveries(t *testing.T) {
	var sink onemin.Recorder
	var errs []int
	h, err := NewHandler(Options{AppSecret: secret, VerifyToken: "vt", Sink: &sink, MaxBodyBytes: 8 << 10,
		OnError: func(_ *http.Request, e *Error) { errs = append(errs, e.Status) }})
	if err != nil {
		t.Fatal(err)
	}
	msg, statuses := fixture(t, "message_text.json"), fixture(t, "status_sent.json")
	steps := []struct {
		reason     string
		body       []byte
		signature  string
		wantStatus int
		wantEvents int // held by the sink afterwards
	}{
		{"a signed message", msg, sign(msg), 200, 1},
		{"Meta's retry of the same delivery", msg, sign(msg), 200, 1},
		{"statuses", statuses, sign(statuses), 200, 4},
		{"no signature", msg, "", 401, 4},
		{"signature of another body", statuses, sign(msg), 401, 4},
		{"signature under another secret", msg, "sha256=" + webhook.SignatureSHA256([]byte("other"), msg), 401, 4},
		{"oversize body", bytes.Repeat([]byte(" "), 9<<10), sign(bytes.Repeat([]byte(" "), 9<<10)), 413, 4},
		{"malformed JSON, correctly signed", []byte(`{"object":`), sign([]byte(`{"object":`)), 400, 4},
	}
	for _, s := range steps {
		rec := post(t, h, s.body, s.signature)
		if rec.Code != s.wantStatus {
			t.Errorf("%s: status %d (%s), want %d", s.reason, rec.Code, strings.TrimSpace(rec.Body.String()), s.wantStatus)
		}
		if sink.Len() != s.wantEvents {
			t.Errorf("%s: sink holds %d events, want %d", s.reason, sink.Len(), s.wantEvents)
		}
	}
	if diff := cmp.Diff([]int{401, 401, 401, 413, 400}, errs); diff != "" {
		t.Errorf("OnError statuses (-want +got):\n%s", diff)
	}
	// The reaction is ignored in the delivery and again in its retry.
	want := Stats{Deliveries: 8, Accepted: 3, Refused: 5, Events: 4, Replays: 1, Ignored: 4}
	if diff := cmp.Diff(want, h.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

func TestHandlerHandshake(t *testing.T) {
	h, err := NewHandler(Options{AppSecret: secret, VerifyToken: "vt", Sink: &onemin.Recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason     string
		query      string
		wantStatus int
		wantBody   string
	}{
		{"good token", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=vt", 200, "1158201444"},
		{"bad token", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=nope", 403, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/whatsapp?"+tt.query, nil))
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.reason, rec.Code, tt.wantStatus)
		}
		if tt.wantStatus == 200 && rec.Body.String() != tt.wantBody {
			t.Errorf("%s: body %q, want %q", tt.reason, rec.Body.String(), tt.wantBody)
		}
	}
}

func TestHandlerSinkFailureIsRetried(t *testing.T) {
	var rec onemin.Recorder
	down := true
	sink := onemin.SinkFunc(func(ctx context.Context, events ...onemin.Event) error {
		if down {
			return errors.New("database unavailable")
		}
		return rec.Add(ctx, events...)
	})
	h, _ := NewHandler(Options{AppSecret: secret, Sink: sink})
	body := fixture(t, "message_text.json")
	if got := post(t, h, body, sign(body)); got.Code != 500 {
		t.Fatalf("sink down: status %d, want 500", got.Code)
	}
	if b, _ := io.ReadAll(post(t, h, body, sign(body)).Body); strings.Contains(string(b), "database") {
		t.Errorf("a 500 must not tell the sender the sink's error; body %q", b)
	}
	down = false
	if got := post(t, h, body, sign(body)); got.Code != 200 || rec.Len() != 1 {
		t.Fatalf("Meta's retry after the sink recovers: status %d, %d events; want 200 and 1", got.Code, rec.Len())
	}
}

func TestNewHandlerRequires(t *testing.T) {
	if _, err := NewHandler(Options{Sink: &onemin.Recorder{}}); err == nil {
		t.Error("no app secret: want an error")
	}
	if _, err := NewHandler(Options{AppSecret: secret}); err == nil {
		t.Error("no sink: want an error")
	}
}

package telegram

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

func TestHandler(t *testing.T) {
	const secret = "s3cret_Token-1"
	var sink onemin.Recorder
	var errs []int
	h, err := NewHandler(Options{SecretToken: secret, Sink: &sink, MaxBodyBytes: 2 << 10,
		OnError: func(_ *http.Request, e *Error) { errs = append(errs, e.Status) }})
	if err != nil {
		t.Fatal(err)
	}
	msg, reply := fixture(t, "business_customer.json"), fixture(t, "business_bot_reply.json")
	steps := []struct {
		reason     string
		method     string
		token      string
		body       []byte
		wantStatus int
		wantEvents int
	}{
		{"a customer's business message", "POST", secret, msg, 200, 1},
		{"the bot's reply through the connection", "POST", secret, reply, 200, 2},
		{"Telegram redelivers the reply", "POST", secret, reply, 200, 2},
		{"no token", "POST", "", msg, 401, 2},
		{"wrong token", "POST", secret + "x", msg, 401, 2},
		{"oversize", "POST", secret, bytes.Repeat([]byte(" "), 3<<10), 413, 2},
		{"malformed", "POST", secret, []byte(`{"update_id":`), 400, 2},
		{"missing fields", "POST", secret, []byte(`{"message":{"message_id":1}}`), 400, 2},
		{"GET", "GET", secret, nil, 405, 2},
	}
	for _, s := range steps {
		req := httptest.NewRequest(s.method, "/tg", bytes.NewReader(s.body))
		if s.token != "" {
			req.Header.Set(SecretHeader, s.token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != s.wantStatus {
			t.Errorf("%s: status %d (%s), want %d", s.reason, rec.Code, rec.Body, s.wantStatus)
		}
		if sink.Len() != s.wantEvents {
			t.Errorf("%s: sink holds %d events, want %d", s.reason, sink.Len(), s.wantEvents)
		}
	}
	if diff := cmp.Diff([]int{401, 401, 413, 400, 400, 405}, errs); diff != "" {
		t.Errorf("OnError statuses (-want +got):\n%s", diff)
	}
	want := Stats{Deliveries: 9, Accepted: 3, Refused: 6, Events: 2, Replays: 1}
	if diff := cmp.Diff(want, h.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

func TestNewHandlerSecret(t *testing.T) {
	tests := []struct {
		token string
		ok    bool
	}{
		{"abc_DEF-123", true},
		{"", false},
		{"has space", false},
		{"semi;colon", false},
		{string(bytes.Repeat([]byte("a"), 256)), true},
		{string(bytes.Repeat([]byte("a"), 257)), false},
	}
	for _, tt := range tests {
		_, err := NewHandler(Options{SecretToken: tt.token, Sink: &onemin.Recorder{}})
		if (err == nil) != tt.ok {
			t.Errorf("secret %.20q: error %v, want ok=%v", tt.token, err, tt.ok)
		}
	}
	if _, err := NewHandler(Options{SecretToken: "abc"}); err == nil {
		t.Error("no sink: want an error")
	}
}

// TestIDsAreExact: any int64 chat, user and message id comes back exactly
// in the event, and distinct messages get distinct event ids.
func TestIDsAreExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chat := rapid.Int64().Filter(func(v int64) bool { return v != 0 }).Draw(t, "chat")
		msg := rapid.Int64Range(1, 1<<62).Draw(t, "message")
		from := rapid.Int64().Filter(func(v int64) bool { return v != chat }).Draw(t, "from")
		body := fmt.Sprintf(`{"update_id":1,"business_message":{"message_id":%d,"from":{"id":%d},"chat":{"id":%d},"date":1772442000,"business_connection_id":"bc"}}`, msg, from, chat)
		events, err := Parse([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		e := events[0]
		if e.ID != EventID("bc", chat, msg) || e.ContactID != strconv.FormatInt(chat, 10) || e.Actor != onemin.Human {
			t.Fatalf("event %+v from chat %d message %d", e, chat, msg)
		}
		other := rapid.Int64Range(1, 1<<62).Filter(func(v int64) bool { return v != msg }).Draw(t, "other")
		if EventID("bc", chat, other) == e.ID || EventID("", chat, msg) == e.ID {
			t.Fatalf("event ids collide")
		}
	})
}

package instagram

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

func TestHandler(t *testing.T) {
	const secret = "ig-app-secret"
	sign := func(b []byte) string { return "sha256=" + webhook.SignatureSHA256([]byte(secret), b) }
	var sink onemin.Recorder
	h, err := NewHandler(Options{AppSecret: secret, VerifyToken: "vt", Sink: &sink, MaxBodyBytes: 4 << 10})
	if err != nil {
		t.Fatal(err)
	}
	msgs, echoes := fixture(t, "messages.json"), fixture(t, "echoes.json")
	big := bytes.Repeat([]byte("x"), 5<<10)
	steps := []struct {
		reason     string
		method     string
		target     string
		body       []byte
		signature  string
		wantStatus int
		wantEvents int
	}{
		{"handshake", "GET", "/ig?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42", nil, "", 200, 0},
		{"handshake with a wrong token", "GET", "/ig?hub.mode=subscribe&hub.verify_token=x&hub.challenge=42", nil, "", 403, 0},
		{"messages", "POST", "/ig", msgs, sign(msgs), 200, 1},
		{"echoes", "POST", "/ig", echoes, sign(echoes), 200, 4},
		{"retry of the echoes", "POST", "/ig", echoes, sign(echoes), 200, 4},
		{"wrong signature", "POST", "/ig", msgs, sign(echoes), 401, 4},
		{"oversize", "POST", "/ig", big, sign(big), 413, 4},
		{"malformed", "POST", "/ig", []byte(`{"object":"instagram","entry":[`), sign([]byte(`{"object":"instagram","entry":[`)), 400, 4},
		{"PUT", "PUT", "/ig", msgs, sign(msgs), 405, 4},
	}
	for _, s := range steps {
		req := httptest.NewRequest(s.method, s.target, bytes.NewReader(s.body))
		if s.signature != "" {
			req.Header.Set("X-Hub-Signature-256", s.signature)
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
	want := Stats{Deliveries: 7, Accepted: 3, Refused: 4, Events: 4, Replays: 3, Ignored: 3}
	if diff := cmp.Diff(want, h.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if _, err := NewHandler(Options{Sink: &sink}); err == nil {
		t.Error("no app secret: want an error")
	}
}

func TestParseIsTheZeroParser(t *testing.T) {
	body := fixture(t, "echoes.json")
	a, errA := Parse(body)
	b, errB := (&Parser{}).Decode(body)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if diff := cmp.Diff(b.Events, a); diff != "" {
		t.Errorf("(-Decode +Parse):\n%s", diff)
	}
}

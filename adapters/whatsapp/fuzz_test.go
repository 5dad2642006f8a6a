package whatsapp

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

// FuzzParse: no payload panics the parser; a payload is either refused with
// a ValidationError or yields only valid events.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"message_text.json", "status_sent.json", "smb_message_echoes.json", "bsuid_only.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"","id":"x","timestamp":1}]}}]}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Parse(body)
		webhooktest.CheckSound(t, events, err)
	})
}

// FuzzHandler sends any correctly signed body through the whole handler:
// it must answer 200 or 400 (never a 500, which would mean a panic or a
// failure the sink did not cause), and feed the sink only valid events,
// and only on a 200.
func FuzzHandler(f *testing.F) {
	for _, name := range []string{"message_text.json", "status_sent.json", "smb_message_echoes.json", "bsuid_only.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var got []onemin.Event
		sink := onemin.SinkFunc(func(_ context.Context, events ...onemin.Event) error {
			got = append(got, events...)
			return nil
		})
		h, err := NewHandler(Options{AppSecret: secret, Sink: sink})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/whatsapp", bytes.NewReader(body))
		req.Header.Set("X-Hub-Signature-256", sign(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			webhooktest.CheckSound(t, got, nil)
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if len(got) != 0 {
				t.Fatalf("status %d with %d events in the sink", rec.Code, len(got))
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

package amocrm

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/onemin/onemin"
)

// FuzzHandler sends arbitrary bodies to the handler: it must never panic,
// must answer only 200, 400 or 413, and must deliver only valid events,
// and nothing when it refuses.
func FuzzHandler(f *testing.F) {
	for _, name := range []string{"lead_add.form", "lead_status.form", "message_in.form", "message_out_bot.form",
		"missing_time.form", "bad_type.form", "status_without_id.form", "malformed.form", "bad_index.form"} {
		f.Add(fixture(f, name))
	}
	f.Add("leads[add][9999][id]=1&leads[add][9999][created_at]=1")
	f.Add("message[add][0][author][type][x]=1")
	f.Fuzz(func(t *testing.T, body string) {
		delivered := 0
		h, _ := NewHandler(HandlerConfig{
			Secret:       testSecret,
			MaxBodyBytes: 8192,
			ReplayWindow: 16,
			Sink: onemin.SinkFunc(func(_ context.Context, events ...onemin.Event) error {
				for _, e := range events {
					if err := e.Validate(); err != nil {
						t.Errorf("invalid event %+v: %v", e, err)
					}
				}
				delivered++
				return nil
			}),
		})
		req := httptest.NewRequest(http.MethodPost, "/h?secret="+testSecret, strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
		case 400, 413:
			if delivered != 0 {
				t.Errorf("status %d but delivered", rec.Code)
			}
		default:
			t.Errorf("status %d", rec.Code)
		}
	})
}

// FuzzEventLog decodes arbitrary JSON as an event-log record and maps it:
// no panic, and every event it gives is valid.
func FuzzEventLog(f *testing.F) {
	f.Add([]byte(`{"id":"e2","type":"incoming_chat_message","entity_id":880011,"entity_type":"contact","created_at":1736405890,"value_after":[{"message":{"id":"m1","origin":"instagram","talk_id":4512}}]}`))
	f.Add([]byte(`{"id":"e5","type":"lead_status_changed","entity_id":1,"created_at":1736492400,"value_after":[{"lead_status":{"id":142}}]}`))
	f.Add([]byte(`{"id":"e1","type":"lead_added","entity_id":1,"created_at":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var e Event
		if json.Unmarshal(data, &e) != nil || e.ID == "" || e.CreatedAt.IsZero() {
			return
		}
		var m Mapping
		ev, ok, err := m.Event(e)
		if err != nil || !ok {
			return
		}
		if err := ev.Validate(); err != nil {
			t.Errorf("invalid event %+v from %s: %v", ev, data, err)
		}
	})
}

package bitrix24

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/onemin/onemin"
)

// FuzzHandler sends arbitrary bodies to the handler: it must never panic,
// must answer 200 only for a delivery with the right token and valid
// fields, and must deliver nothing for any other answer.
func FuzzHandler(f *testing.F) {
	for _, name := range []string{"deal_add.form", "deal_update.form", "lead_add.form", "wrong_token.form", "missing_id.form", "malformed.form"} {
		f.Add(fixture(f, name))
	}
	f.Add("event=ONCRMLEADADD&data[FIELDS][ID]=1&ts=1&auth[application_token]=" + testToken)
	f.Add("event=%00&data%5BFIELDS%5D%5BID%5D=9223372036854775808&ts=-1&auth%5Bapplication_token%5D=" + testToken)
	f.Fuzz(func(t *testing.T, body string) {
		delivered := 0
		h, _ := NewHandler(HandlerConfig{
			ApplicationToken: testToken,
			MaxBodyBytes:     4096,
			ReplayWindow:     16,
			Sink: onemin.SinkFunc(func(_ context.Context, events ...onemin.Event) error {
				for _, e := range events {
					e.Normalize()
					if err := e.Validate(); err != nil {
						t.Errorf("invalid event %+v: %v", e, err)
					}
				}
				delivered++
				return nil
			}),
			OnNotification: func(_ context.Context, n Notification) error {
				if n.EntityID <= 0 || n.At.IsZero() || n.Event == "" {
					t.Errorf("accepted %+v", n)
				}
				return nil
			},
		})
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
		case 400, 401, 413:
			if delivered != 0 {
				t.Errorf("status %d but delivered", rec.Code)
			}
		default:
			t.Errorf("status %d", rec.Code)
		}
	})
}

// FuzzDecodeSession decodes arbitrary JSON as a session record: no panic,
// and a decoded session maps to valid events or a ValidationError.
func FuzzDecodeSession(f *testing.F) {
	f.Add([]byte(`{"ID":"501","DATE_CREATE":"2025-01-09T10:00:00+03:00","DATE_FIRST_ANSWER":"2025-01-09T10:00:04+03:00"}`))
	f.Add([]byte(`{"id":502,"dateCreate":"2025-01-09T11:00:00+03:00","dateOperatorAnswer":"2025-01-09T10:00:45+03:00"}`))
	f.Add([]byte(`{"id":"x"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSession(data)
		if err != nil {
			return
		}
		events, err := SessionEvents(s)
		if err != nil {
			var ve *onemin.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("error %v is not a ValidationError", err)
			}
			return
		}
		for _, e := range events {
			if err := e.Validate(); err != nil {
				t.Errorf("invalid event %+v: %v", e, err)
			}
		}
	})
}

package telegram

import (
	"errors"
	"testing"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

// FuzzParse: no update panics the parser; a body is either refused with a
// ValidationError or yields only valid events. Sent gets the same bodies.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"message.json", "business_customer.json", "business_bot_reply.json",
		"business_owner_reply.json", "send_message_result.json", "updates_ignored.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"update_id":0,"message":{"message_id":1,"chat":{"id":-1},"date":253402300799}}`))
	f.Add([]byte(`[{"update_id":1,"business_message":{"message_id":1,"chat":{"id":5},"from":{"id":5},"date":1,"business_connection_id":"x"}}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Parse(body)
		webhooktest.CheckSound(t, events, err)
		if e, err := Sent(body); err == nil {
			if err := e.Validate(); err != nil {
				t.Fatalf("sent event invalid: %v", err)
			}
		} else if !errors.As(err, new(*onemin.ValidationError)) {
			t.Fatalf("Sent error %v is not a ValidationError", err)
		}
	})
}

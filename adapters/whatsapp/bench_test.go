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

// BenchmarkDecode decodes a delivery of five statuses, beside a generic
// JSON unmarshal of the same bytes.
func BenchmarkDecode(b *testing.B) {
	p := &Parser{}
	webhooktest.BenchDecode(b, fixture(b, "status_sent.json"), func(body []byte) error {
		_, err := p.Decode(body)
		return err
	})
}

// BenchmarkHandler is a whole delivery through the handler: signature,
// decoding, replay memory, sink. "fresh" has the replay memory off, so
// every delivery reaches the sink; "retry" repeats one delivery, so all
// but the first stop at the replay memory.
func BenchmarkHandler(b *testing.B) {
	body := fixture(b, "message_text.json")
	sig := sign(body)
	discard := onemin.SinkFunc(func(context.Context, ...onemin.Event) error { return nil })
	for _, bc := range []struct {
		name     string
		capacity int
	}{{"fresh", -1}, {"retry", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			h, err := NewHandler(Options{AppSecret: secret, Sink: discard, ReplayCapacity: bc.capacity})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/whatsapp", bytes.NewReader(body))
				req.Header.Set("X-Hub-Signature-256", sig)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

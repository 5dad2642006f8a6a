package telegram

import (
	"testing"

	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

// BenchmarkDecode decodes one delivery, beside a generic JSON unmarshal of
// the same bytes.
func BenchmarkDecode(b *testing.B) {
	p := &Parser{}
	webhooktest.BenchDecode(b, fixture(b, "business_bot_reply.json"), func(body []byte) error {
		_, err := p.Decode(body)
		return err
	})
}

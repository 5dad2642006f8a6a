package amocrm

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

// benchBodies returns n deliveries of message_in.form with distinct
// message ids, so that none is a replay.
func benchBodies(b *testing.B, n int) []string {
	base := fixture(b, "message_in.form")
	out := make([]string, n)
	for i := range out {
		out[i] = strings.Replace(base, "000000000001", strconv.FormatInt(int64(1e11+i), 10), 1)
	}
	return out
}

// BenchmarkParseQuery is the floor: decoding the form alone.
func BenchmarkParseQuery(b *testing.B) {
	webhooktest.BenchParseQuery(b, benchBodies(b, 1024))
}

// BenchmarkHandler serves whole deliveries: check the secret, read, parse,
// claim the replay key, map and hand to a sink.
func BenchmarkHandler(b *testing.B) {
	h, _ := NewHandler(HandlerConfig{Secret: testSecret, Sink: onemin.SinkFunc(func(context.Context, ...onemin.Event) error { return nil })})
	webhooktest.BenchForm(b, h, "/h?secret="+testSecret, benchBodies(b, 1<<16))
}

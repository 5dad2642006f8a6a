package bitrix24

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

// benchBodies returns n deliveries of lead_add.form with distinct entity
// IDs, so that none is a replay.
func benchBodies(b *testing.B, n int) []string {
	base := fixture(b, "lead_add.form")
	out := make([]string, n)
	for i := range out {
		out[i] = strings.Replace(base, "ID%5D=1201", "ID%5D="+strconv.Itoa(i+1), 1)
	}
	return out
}

// BenchmarkParseQuery is the floor: decoding the form alone.
func BenchmarkParseQuery(b *testing.B) {
	webhooktest.BenchParseQuery(b, benchBodies(b, 1024))
}

// BenchmarkHandler serves whole deliveries: read, parse, check the token,
// claim the replay key, map and hand to a sink.
func BenchmarkHandler(b *testing.B) {
	h, _ := NewHandler(HandlerConfig{ApplicationToken: testToken, Sink: onemin.SinkFunc(func(context.Context, ...onemin.Event) error { return nil })})
	webhooktest.BenchForm(b, h, "/", benchBodies(b, 1<<16))
}

package amocrm

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onemin/onemin"
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
	bodies := benchBodies(b, 1024)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := url.ParseQuery(bodies[i%len(bodies)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkHandler serves whole deliveries: check the secret, read, parse,
// claim the replay key, map and hand to a sink.
func BenchmarkHandler(b *testing.B) {
	bodies := benchBodies(b, 1<<16)
	h, _ := NewHandler(HandlerConfig{Secret: testSecret,
		Sink: onemin.SinkFunc(func(context.Context, ...onemin.Event) error { return nil })})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/h?secret="+testSecret, strings.NewReader(bodies[i%len(bodies)]))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body.String())
		}
		i++
	}
}

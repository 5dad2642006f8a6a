package send

import (
	"errors"
	"testing"
)

// FuzzParseAnswer feeds the reader of the Bot API's answers (what comes
// back from the network) arbitrary bytes: it never panics, succeeds only
// on {"ok": true} with status 200, and otherwise gives an *APIError.
func FuzzParseAnswer(f *testing.F) {
	f.Add(200, []byte(`{"ok":true,"result":{"message_id":1}}`))
	f.Add(400, []byte(`{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`))
	f.Add(429, []byte(`{"ok":false,"error_code":429,"parameters":{"retry_after":-5}}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(200, []byte(`{"ok":"yes"}`))
	f.Add(200, []byte(``))
	f.Fuzz(func(t *testing.T, status int, raw []byte) {
		err := parseAnswer(status, raw)
		if err == nil {
			if status != 200 {
				t.Fatalf("success with status %d", status)
			}
			return
		}
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("err %v is not an *APIError", err)
		}
		if ae.RetryAfter < 0 {
			t.Fatalf("negative retry_after %d", ae.RetryAfter)
		}
		_ = ae.Error()
	})
}

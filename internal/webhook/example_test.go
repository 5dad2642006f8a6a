package webhook_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

func ExampleReplays() {
	seen := webhook.NewReplays(0, 24*time.Hour)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	fmt.Println(seen.Claim("wamid.1", at))
	fmt.Println(seen.Claim("wamid.1", at.Add(time.Minute))) // the system's retry
	fmt.Println(seen.Claim("wamid.1", at.Add(25*time.Hour)))
	// Output:
	// true
	// false
	// true
}

func ExampleCheckSHA256() {
	secret, body := []byte("app-secret"), []byte(`{"object":"instagram"}`)
	header := "sha256=" + webhook.SignatureSHA256(secret, body)
	fmt.Println(webhook.CheckSHA256(secret, body, header))
	fmt.Println(webhook.CheckSHA256(secret, []byte(`{"object":"page"}`), header))
	// Output:
	// true
	// false
}

// crm names the system of the example's form handler.
type crm struct{}

func (crm) Name() string { return "crm" }

func ExampleFormHandler() {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var sink onemin.Recorder
	h := &webhook.FormHandler[crm, string]{
		MaxBodyBytes: 1 << 10,
		// A delivery "lead=ID" is the notification ID, filed under its ID.
		Parse: func(form url.Values, _ []byte) (string, string, time.Time, *webhook.RequestError[crm]) {
			id := form.Get("lead")
			if id == "" {
				return "", "", time.Time{}, &webhook.RequestError[crm]{Status: 400, Field: "lead", Reason: "missing", Err: onemin.ErrMissing}
			}
			return id, id, at, nil
		},
		Sink: &sink,
		Events: func(id string) []onemin.Event {
			return []onemin.Event{{ID: "crm:lead:" + id, Kind: onemin.Lead, At: at, ConversationID: "lead:" + id}}
		},
		Replays: webhook.NewReplays(0, 0),
		OnError: func(_ *http.Request, err error) { fmt.Println("refused:", err) },
	}
	for _, body := range []string{"lead=7", "lead=7", "deal=8"} { // the second is the system's retry
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body)))
		fmt.Println(rec.Code)
	}
	fmt.Printf("%d event, %+v\n", sink.Len(), h.Stats())
	// Output:
	// 200
	// 200
	// refused: crm: field lead: missing
	// 400
	// 1 event, {Received:3 Accepted:1 Replayed:1 Rejected:1 Failed:0}
}

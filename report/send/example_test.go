package send_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/onemin/onemin/report/send"
)

// A Telegram sender posts to the Bot API; here a local stand-in of the API
// shows what it receives.
func ExampleTelegram() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			ChatID string `json:"chat_id"`
			Text   string `json:"text"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		fmt.Printf("%s %s\nchat %s\n%s\n", r.Method, r.URL.Path, body.ChatID, body.Text)
		fmt.Fprint(w, `{"ok":true,"result":{}}`)
	}))
	defer api.Close()

	tg := &send.Telegram{Token: "123:ABC", ChatID: "-100500", BaseURL: api.URL}
	err := tg.Send(context.Background(), send.Message{Subject: "Leads Tue 2026-03-03", Text: "New leads: 5 (+2 vs 3)"})
	fmt.Println("error:", err)
	// Output:
	// POST /bot123:ABC/sendMessage
	// chat -100500
	// Leads Tue 2026-03-03
	//
	// New leads: 5 (+2 vs 3)
	// error: <nil>
}

// All sends one alert to several places and reports every failure.
func ExampleAll() {
	log := send.SenderFunc(func(_ context.Context, m send.Message) error {
		fmt.Println("sent:", m.Subject)
		return nil
	})
	down := send.SenderFunc(func(context.Context, send.Message) error { return fmt.Errorf("mail server down") })
	err := send.All(down, log).Send(context.Background(), send.Message{Subject: "SLA alert", Text: "SLA rate 50% < 70%"})
	fmt.Println("error:", err)
	// Output:
	// sent: SLA alert
	// error: mail server down
}

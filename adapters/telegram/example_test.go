package telegram_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/telegram"
)

func ExampleParse() {
	updates := `[
	 {"update_id":725120002,"business_message":{"message_id":88,"from":{"id":512000777,"is_bot":false,"first_name":"Pavel"},
	  "chat":{"id":512000777,"type":"private"},"date":1772442060,"business_connection_id":"AbCd","text":"Saturday?"}},
	 {"update_id":725120003,"business_message":{"message_id":89,"from":{"id":600111222,"is_bot":false,"first_name":"Salon"},
	  "sender_business_bot":{"id":7012345678,"is_bot":true,"first_name":"Bot","username":"aurora_bot"},
	  "chat":{"id":512000777,"type":"private"},"date":1772442064,"business_connection_id":"AbCd","text":"11:00 is free."}}]`
	events, err := telegram.Parse([]byte(updates))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Printf("%s %s %s by %s %q\n", e.At.Format("15:04:05"), e.ID, e.Kind, e.Actor, e.Agent)
	}
	// Output:
	// 09:01:00 tg:AbCd/512000777:88 message_in by customer ""
	// 09:01:04 tg:AbCd/512000777:89 message_out by bot "aurora_bot"
}

func ExampleSent() {
	// What sendMessage returned.
	result := `{"ok":true,"result":{"message_id":3302,"from":{"id":7012345678,"is_bot":true,"first_name":"Bot","username":"aurora_bot"},
	 "chat":{"id":408123456,"type":"private"},"date":1772442003,"text":"A haircut is 2500 RUB."}}`
	e, err := telegram.Sent([]byte(result))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.At.Format("15:04:05"), e.ConversationID, e.Kind, e.Actor, e.Agent)
	// Output:
	// 09:00:03 408123456 message_out bot aurora_bot
}

func ExampleNewHandler() {
	var sink onemin.Recorder
	h, err := telegram.NewHandler(telegram.Options{SecretToken: "s3cret_Token", Sink: &sink})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	update := `{"update_id":725120001,"message":{"message_id":3301,"from":{"id":408123456,"is_bot":false,"first_name":"Irina"},
	 "chat":{"id":408123456,"type":"private"},"date":1772442000,"text":"How much is a haircut?"}}`
	for _, token := range []string{"s3cret_Token", "guess", "s3cret_Token"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(update))
		req.Header.Set(telegram.SecretHeader, token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	fmt.Println(sink.Len(), "event")
	// Output:
	// 200 OK
	// 401 Unauthorized
	// 200 OK
	// 1 event
}

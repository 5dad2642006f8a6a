package whatsapp_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/whatsapp"
)

const delivery = `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{
 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
 "contacts":[{"profile":{"name":"Marta"},"wa_id":"16505551234"}],
 "messages":[{"from":"16505551234","id":"wamid.A1","timestamp":"1772442000","type":"text","text":{"body":"Hi!"}}],
 "statuses":[{"id":"wamid.B2","status":"sent","timestamp":"1772442031","recipient_id":"16505551234","biz_opaque_callback_data":"bot"}]}}]}]}`

func ExampleParse() {
	events, err := whatsapp.Parse([]byte(delivery))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.At.Format("15:04:05"), e.Kind, e.Actor, e.ContactID, e.ConversationID)
	}
	// Output:
	// 09:00:00 message_in customer +16505551234 106540352242922/+16505551234
	// 09:00:31 message_out bot +16505551234 106540352242922/+16505551234
}

func ExampleNewHandler() {
	var sink onemin.Recorder
	h, err := whatsapp.NewHandler(whatsapp.Options{AppSecret: "app-secret", VerifyToken: "verify-me", Sink: &sink})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	// Meta signs the raw body with the app secret.
	mac := hmac.New(sha256.New, []byte("app-secret"))
	mac.Write([]byte(delivery))
	for i := 0; i < 2; i++ { // the second time is Meta retrying
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader([]byte(delivery)))
		req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	fmt.Println(sink.Len(), "events;", h.Stats().Replays, "replayed")
	// Output:
	// 200 OK
	// 200 OK
	// 2 events; 2 replayed
}

package instagram_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/instagram"
)

const delivery = `{"object":"instagram","entry":[{"id":"17841405309211844","time":1772442100000,"messaging":[
 {"sender":{"id":"6543210987654321"},"recipient":{"id":"17841405309211844"},"timestamp":1772442000250,
  "message":{"mid":"m-1","text":"Is the blue dress available?"}},
 {"sender":{"id":"6543210987654321"},"recipient":{"id":"17841405309211844"},"timestamp":1772442001000,
  "read":{"mid":"m-0"}},
 {"sender":{"id":"17841405309211844"},"recipient":{"id":"6543210987654321"},"timestamp":1772442012400,
  "message":{"mid":"m-2","text":"Yes, S and M.","is_echo":true,"app_id":1234567890123456}}]}]}`

func ExampleParse() {
	events, err := instagram.Parse([]byte(delivery))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.At.Format("15:04:05.000"), e.ID, e.Kind, e.Actor, e.ConversationID)
	}
	// Output:
	// 09:00:00.250 ig:m-1 message_in customer 17841405309211844/6543210987654321
	// 09:00:12.400 ig:m-2 message_out bot 17841405309211844/6543210987654321
}

func ExampleNewHandler() {
	var sink onemin.Recorder
	h, err := instagram.NewHandler(instagram.Options{AppSecret: "app-secret", VerifyToken: "verify-me", Sink: &sink})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	// The subscription handshake.
	resp, err := http.Get(srv.URL + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
	if err != nil {
		fmt.Println(err)
		return
	}
	var challenge bytes.Buffer
	challenge.ReadFrom(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, challenge.String())

	// A signed delivery.
	mac := hmac.New(sha256.New, []byte("app-secret"))
	mac.Write([]byte(delivery))
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader([]byte(delivery)))
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	st := h.Stats()
	fmt.Println(resp.Status, sink.Len(), "events,", st.Ignored, "ignored")
	// Output:
	// 200 OK 1158201444
	// 200 OK 2 events, 1 ignored
}

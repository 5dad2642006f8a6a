package bitrix24_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/bitrix24"
)

func ExampleHandler() {
	var rec onemin.Recorder
	h, err := bitrix24.NewHandler(bitrix24.HandlerConfig{
		ApplicationToken: "51856fefc120afa4b628cc82d3935cce",
		Sink:             &rec,
	})
	if err != nil {
		panic(err)
	}
	form := url.Values{
		"event":                   {"ONCRMLEADADD"},
		"data[FIELDS][ID]":        {"1201"},
		"ts":                      {"1736405900"},
		"auth[application_token]": {"51856fefc120afa4b628cc82d3935cce"},
	}
	for range 2 { // the second delivery is a retry
		req := httptest.NewRequest(http.MethodPost, "/hooks/bitrix24", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		fmt.Println("status", w.Code)
	}
	for _, e := range rec.Events() {
		fmt.Println(e.Kind, e.ConversationID, e.At.Format(time.RFC3339))
	}
	fmt.Printf("%+v\n", h.Stats())
	// Output:
	// status 200
	// status 200
	// lead lead:1201 2025-01-09T06:58:20Z
	// {Received:2 Accepted:1 Replayed:1 Rejected:0 Failed:0}
}

func ExampleSessionEvents() {
	s, err := bitrix24.DecodeSession([]byte(`{
		"id": 501, "source": "telegrambot", "userCode": "telegrambot|1|77001|9",
		"dateCreate": "2025-01-09T10:00:00+03:00",
		"dateFirstAnswer": "2025-01-09T10:00:04+03:00",
		"dateOperator": "2025-01-09T10:01:00+03:00",
		"dateOperatorAnswer": "2025-01-09T10:03:30+03:00"}`))
	if err != nil {
		panic(err)
	}
	events, err := bitrix24.SessionEvents(s)
	if err != nil {
		panic(err)
	}
	for _, e := range events {
		fmt.Println(e.At.Sub(s.Created), e.Kind, e.Actor, e.Channel)
	}
	// Output:
	// 0s message_in customer telegram
	// 4s message_out bot telegram
	// 1m0s handoff  telegram
	// 3m30s message_out human telegram
}

func ExampleClient_SetFirstReply() {
	// A stand-in for the portal that prints what it is asked to write.
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		fmt.Println(r.URL.Path, r.PostForm.Encode())
		fmt.Fprint(w, `{"result":true}`)
	}))
	defer portal.Close()

	c, err := bitrix24.NewClient(portal.URL+"/rest/1/abcdef0123456789/", nil)
	if err != nil {
		panic(err)
	}
	err = c.SetFirstReply(context.Background(), 759, "UF_CRM_FIRST_REPLY", 28*time.Second+400*time.Millisecond)
	fmt.Println(err)
	// Output:
	// /rest/1/abcdef0123456789/crm.deal.update fields%5BUF_CRM_FIRST_REPLY%5D=28&id=759
	// <nil>
}

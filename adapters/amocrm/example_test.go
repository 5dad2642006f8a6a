package amocrm_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/amocrm"
)

func ExampleHandler() {
	var rec onemin.Recorder
	h, err := amocrm.NewHandler(amocrm.HandlerConfig{Secret: "3q9Zk7VYt2mWf8LxR1cN", Sink: &rec})
	if err != nil {
		panic(err)
	}
	deliver := func(form url.Values) {
		req := httptest.NewRequest(http.MethodPost, "/hooks/amocrm/3q9Zk7VYt2mWf8LxR1cN", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		fmt.Println("status", w.Code)
	}
	deliver(url.Values{
		"message[add][0][id]":           {"m1"},
		"message[add][0][talk_id]":      {"4512"},
		"message[add][0][type]":         {"incoming"},
		"message[add][0][origin]":       {"telegram"},
		"message[add][0][created_at]":   {"1736405890"},
		"message[add][1][id]":           {"m2"},
		"message[add][1][talk_id]":      {"4512"},
		"message[add][1][type]":         {"outgoing"},
		"message[add][1][author][type]": {"bot"},
		"message[add][1][origin]":       {"telegram"},
		"message[add][1][created_at]":   {"1736405894"},
	})
	deliver(url.Values{
		"leads[status][0][id]":            {"1020301"},
		"leads[status][0][status_id]":     {"142"},
		"leads[status][0][old_status_id]": {"5508003"},
		"leads[status][0][pipeline_id]":   {"550800"},
		"leads[status][0][updated_at]":    {"1736492400"},
	})
	events := rec.Events()
	for _, e := range events {
		fmt.Println(e.Kind, e.Actor, e.ConversationID, e.At.Format(time.RFC3339))
	}
	fmt.Println("first reply:", events[1].At.Sub(events[0].At))
	// Output:
	// status 200
	// status 200
	// message_in customer talk:4512 2025-01-09T06:58:10Z
	// message_out bot talk:4512 2025-01-09T06:58:14Z
	// deal_won  lead:1020301 2025-01-10T07:00:00Z
	// first reply: 4s
}

func ExampleClient_Leads() {
	// A stand-in for the account: two pages, then 204 No Content.
	account := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("page") {
		case "":
			fmt.Fprintf(w, `{"_links":{"next":{"href":"http://%s/api/v4/leads?limit=250&page=2"}},
				"_embedded":{"leads":[{"id":1,"price":2500,"status_id":142,"created_at":1736405890}]}}`, r.Host)
		case "2":
			fmt.Fprintf(w, `{"_links":{"next":{"href":"http://%s/api/v4/leads?limit=250&page=3"}},
				"_embedded":{"leads":[{"id":2,"price":1800,"status_id":143,"created_at":1736409490}]}}`, r.Host)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer account.Close()

	c, err := amocrm.NewClient(account.URL, "long-lived-token", nil)
	if err != nil {
		panic(err)
	}
	for lead, err := range c.Leads(context.Background(), nil) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(lead.ID, lead.Price, lead.StatusID, lead.CreatedAt.Format(time.RFC3339))
	}
	// Output:
	// 1 2500 142 2025-01-09T06:58:10Z
	// 2 1800 143 2025-01-09T07:58:10Z
}

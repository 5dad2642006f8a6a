package csvio_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
)

func ExampleReadAll() {
	const file = `event_id,kind,at,conversation_id,channel,actor
e1,message_in,2026-10-01T12:00:00+04:00,c1,WhatsApp,
e2,message_out,2026-10-01T12:00:28+04:00,c1,whatsapp,bot
e3,message_out,yesterday,c1,whatsapp,bot
e2,message_out,2026-10-01T12:00:28+04:00,c1,whatsapp,bot
`
	res, err := csvio.ReadAll(strings.NewReader(file), csvio.Options{})
	if err != nil {
		panic(err)
	}
	for _, e := range res.Events {
		fmt.Println(e.ID, e.Kind, e.At.Format(time.TimeOnly), e.Channel, e.Actor)
	}
	for _, bad := range res.Rejected {
		fmt.Println(bad)
	}
	fmt.Printf("%+v\n", res.Counts)
	// Output:
	// e1 message_in 12:00:00 whatsapp customer
	// e2 message_out 12:00:28 whatsapp bot
	// line 4: event "e3": field at: "yesterday": not a time: want RFC 3339 (2026-10-01T12:00:00+03:00), a local time with a configured zone, or a spreadsheet serial number
	// line 5: event "e2": field event_id: repeats the row on line 3
	// {Read:4 Accepted:2 Duplicates:1 Rejected:1}
}

// A one-row-per-lead sheet as a Russian spreadsheet saves it: semicolons
// and serial dates, read in the salon's time zone.
func ExampleReadAll_leads() {
	const sheet = "lead_id;channel;received_at;first_reply_at;handler;transfer_at;source;agent\n" +
		"L1;instagram;45931,5;45931,50032407;bot;45931,5007;ads;Alisa\n"
	samara := time.FixedZone("Samara", 4*3600)
	res, err := csvio.ReadAll(strings.NewReader(sheet), csvio.Options{Location: samara})
	if err != nil {
		panic(err)
	}
	for _, e := range res.Events {
		fmt.Println(e.ID, e.Kind, e.At.Format("2006-01-02 15:04:05"), e.Actor)
	}
	// Output:
	// L1/in message_in 2025-10-01 12:00:00 customer
	// L1/reply message_out 2025-10-01 12:00:28 bot
	// L1/handoff handoff 2025-10-01 12:01:00 bot
}

func ExampleReader_All() {
	const file = `{"kind":"lead","at":"2026-10-01T12:00:00Z","conversation_id":"c1"}
{"kind":"lead","at":"noon","conversation_id":"c2"}
{"kind":"lead","at":"2026-10-01T13:00:00Z","conversation_id":"c3"}
`
	r := csvio.NewReader(strings.NewReader(file), csvio.Options{})
	for e, err := range r.All() {
		if csvio.IsRowError(err) {
			fmt.Println("skip:", err)
			continue
		}
		if err != nil {
			panic(err)
		}
		fmt.Println(e.ConversationID, e.At.Format(time.Kitchen))
	}
	fmt.Printf("%s %+v\n", r.Format(), r.Counts())
	// Output:
	// c1 12:00PM
	// skip: line 2: field at: "noon": not a time: want RFC 3339 (2026-10-01T12:00:00+03:00), a local time with a configured zone, or a spreadsheet serial number
	// c3 1:00PM
	// jsonl {Read:3 Accepted:2 Duplicates:0 Rejected:1}
}

func ExampleWriter() {
	w := csvio.NewWriter(os.Stdout, csvio.FormatJSONLines)
	w.Write(onemin.Event{ID: "e1", Kind: onemin.MessageIn, At: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC),
		ConversationID: "c1", Channel: "telegram", Actor: onemin.Customer})
	w.Flush()
	// Output:
	// {"event_id":"e1","kind":"message_in","at":"2026-10-01T12:00:00Z","conversation_id":"c1","channel":"telegram","actor":"customer"}
}

func ExampleParseTime() {
	samara, _ := time.LoadLocation("Europe/Samara")
	for _, s := range []string{"2026-10-01T12:00:00+03:00", "2026-10-01 12:00", "45931.5"} {
		t, err := csvio.ParseTime(s, samara)
		fmt.Println(t.UTC(), err)
	}
	// Output:
	// 2026-10-01 09:00:00 +0000 UTC <nil>
	// 2026-10-01 08:00:00 +0000 UTC <nil>
	// 2025-10-01 08:00:00 +0000 UTC <nil>
}

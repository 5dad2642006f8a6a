package onemin_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/onemin/onemin"
)

func ExamplePrepare() {
	t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	raw := []onemin.Event{
		{ID: "e2", Kind: onemin.MessageOut, At: t0.Add(20 * time.Second), ConversationID: "c1", Actor: onemin.Bot},
		{ID: "e1", Kind: onemin.MessageIn, At: t0, ConversationID: "c1", Channel: "WhatsApp"},
		{ID: "e1", Kind: onemin.MessageIn, At: t0, ConversationID: "c1", Channel: "whatsapp"}, // a retry
		{ID: "e3", Kind: onemin.MessageOut, At: t0.Add(time.Minute), ConversationID: "c1"},    // no actor
	}
	events, counts, errs := onemin.Prepare(raw)
	for _, e := range events {
		fmt.Printf("%s %s %s channel=%q\n", e.ID, e.Kind, e.Actor, e.Channel)
	}
	fmt.Printf("%+v balanced=%v\n", counts, counts.Balanced())
	for _, err := range errs {
		fmt.Println(err, "| missing:", errors.Is(err, onemin.ErrMissing))
	}
	// Output:
	// e1 message_in customer channel="whatsapp"
	// e2 message_out bot channel=""
	// {Read:4 Accepted:2 Duplicates:1 Rejected:1} balanced=true
	// line 3: event "e1": field event_id: repeats an earlier event | missing: false
	// line 4: event "e3": field actor: a message_out needs its actor: bot, human or automation | missing: true
}

func ExampleConversations() {
	t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	events := []onemin.Event{
		{Kind: onemin.MessageIn, At: t0.Add(time.Minute), ConversationID: "b", Channel: "telegram"},
		{Kind: onemin.MessageIn, At: t0, ConversationID: "a", Channel: "instagram"},
		{Kind: onemin.MessageOut, At: t0.Add(30 * time.Second), ConversationID: "a", Actor: onemin.Bot},
	}
	for _, c := range onemin.Conversations(events) {
		channel := c.Attr(func(e *onemin.Event) string { return e.Channel })
		fmt.Println(c.Key.ID, channel, len(c.Events))
	}
	// Output:
	// a instagram 2
	// b telegram 1
}

func ExampleRecorder() {
	var r onemin.Recorder
	var sink onemin.Sink = &r
	_ = sink.Add(context.Background(), onemin.Event{ID: "e1", Kind: onemin.Touch, At: time.Unix(0, 0)})
	fmt.Println(r.Len())
	// Output: 1
}

package telegram

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

var fixture = webhooktest.Fixture

func diff(want, got any) string { return cmp.Diff(want, got) }

func ev(id, conv, contact string, k onemin.Kind, when string, actor onemin.Actor, agent string) onemin.Event {
	t, err := time.Parse(time.RFC3339, when)
	if err != nil {
		panic(err)
	}
	return onemin.Event{ID: id, Kind: k, At: t, ConversationID: conv, ContactID: contact,
		Channel: "telegram", Actor: actor, Agent: agent}
}

const bc = "AbCdEfGh12345678"

func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file        string
		parser      Parser
		wantEvents  []onemin.Event
		wantIgnored []string
	}{
		{"message.json", Parser{}, []onemin.Event{
			ev("tg:408123456:3301", "408123456", "408123456", onemin.MessageIn, "2026-03-02T09:00:00Z", onemin.Customer, ""),
		}, nil},
		{"business_customer.json", Parser{}, []onemin.Event{
			ev("tg:"+bc+"/512000777:88", bc+"/512000777", "512000777", onemin.MessageIn, "2026-03-02T09:01:00Z", onemin.Customer, ""),
		}, nil},
		{"business_bot_reply.json", Parser{}, []onemin.Event{
			ev("tg:"+bc+"/512000777:89", bc+"/512000777", "512000777", onemin.MessageOut, "2026-03-02T09:01:04Z", onemin.Bot, "aurora_booking_bot"),
		}, nil},
		{"business_owner_reply.json", Parser{}, []onemin.Event{
			ev("tg:"+bc+"/512000777:90", bc+"/512000777", "512000777", onemin.MessageOut, "2026-03-02T09:03:00Z", onemin.Human, "salon_aurora"),
		}, nil},
		{"business_owner_reply.json", Parser{Actor: func(r Reply) onemin.Actor {
			if r.ViaBusinessBot {
				return onemin.ActorNone
			}
			return onemin.Automation // this owner only ever sends away messages
		}}, []onemin.Event{
			ev("tg:"+bc+"/512000777:90", bc+"/512000777", "512000777", onemin.MessageOut, "2026-03-02T09:03:00Z", onemin.Automation, "salon_aurora"),
		}, nil},
		{"updates_ignored.json", Parser{}, []onemin.Event{
			// ids beyond 2^53 survive exactly: they never pass through float64
			ev("tg:-1009007199254740993:53", "-1009007199254740993", "9007199254740993", onemin.MessageIn, "2026-03-02T09:03:20Z", onemin.Customer, ""),
		}, []string{"update without a new message", "update without a new message", "message from a bot"}},
	}
	for _, tt := range tests {
		b, err := tt.parser.Decode(fixture(t, tt.file))
		webhooktest.CheckBatch(t, tt.file, b, err, tt.wantEvents, tt.wantIgnored, diff)
	}
}

func TestSent(t *testing.T) {
	want := ev("tg:408123456:3302", "408123456", "408123456", onemin.MessageOut, "2026-03-02T09:00:03Z", onemin.Bot, "aurora_booking_bot")
	body := fixture(t, "send_message_result.json")
	got, err := Sent(body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("from the envelope (-want +got):\n%s", diff)
	}
	// The bare Message object gives the same event.
	bare := body[strings.Index(string(body), `"result":`)+len(`"result":`) : strings.LastIndex(string(body), "}")]
	got, err = Sent(bare)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("from the bare message (-want +got):\n%s", diff)
	}
	// It lands in the same conversation as the customer's message it answers.
	in, _ := Parse(fixture(t, "message.json"))
	if in[0].ConversationID != got.ConversationID {
		t.Errorf("reply in conversation %q, message in %q", got.ConversationID, in[0].ConversationID)
	}
	var sink onemin.Recorder
	if err := (&Parser{Tenant: "aurora"}).RecordSent(t.Context(), &sink, body); err != nil || sink.Len() != 1 || sink.Events()[0].Tenant != "aurora" {
		t.Errorf("RecordSent: %v, %v", err, sink.Events())
	}
	if _, err := Sent([]byte(`{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`)); !errors.Is(err, onemin.ErrInvalid) {
		t.Errorf("a failed call: got %v, want ErrInvalid", err)
	}
}

func TestDecodeBadUpdates(t *testing.T) {
	good := string(fixture(t, "message.json"))
	biz := string(fixture(t, "business_customer.json"))
	tests := []struct {
		reason    string
		body      string
		wantField string
		wantErr   error
	}{
		{"malformed JSON", `{"update_id": 1, "message": {`, "", onemin.ErrInvalid},
		{"empty body", ``, "", onemin.ErrInvalid},
		{"missing update_id", strings.Replace(good, `"update_id": 725120001,`, ``, 1), "update_id", onemin.ErrMissing},
		{"missing date", strings.Replace(good, `"date": 1772442000,`, ``, 1), "message.date", onemin.ErrMissing},
		{"negative date", strings.Replace(good, `1772442000`, `-1`, 1), "message.date", onemin.ErrInvalid},
		{"date as a float", strings.Replace(good, `1772442000`, `1772442000.5`, 1), "message.date", onemin.ErrInvalid},
		{"chat id as a float", strings.Replace(good, `"chat": { "id": 408123456`, `"chat": { "id": 4.08123456e8`, 1), "message.chat.id", onemin.ErrInvalid},
		{"chat id as a string", strings.Replace(good, `"chat": { "id": 408123456`, `"chat": { "id": "408123456"`, 1), "message.chat.id", onemin.ErrInvalid},
		{"missing chat", strings.Replace(good, `"chat": { "id": 408123456, "first_name": "Irina", "username": "irina_k", "type": "private" },`, ``, 1), "message.chat.id", onemin.ErrMissing},
		{"missing message_id", strings.Replace(good, `"message_id": 3301,`, ``, 1), "message.message_id", onemin.ErrMissing},
		{"business message without connection", strings.Replace(biz, `"business_connection_id": "AbCdEfGh12345678",`, ``, 1),
			"business_message.business_connection_id", onemin.ErrMissing},
		{"business message without sender", strings.Replace(biz, `"from": { "id": 512000777, "is_bot": false, "first_name": "Pavel" },`, ``, 1),
			"business_message.from", onemin.ErrMissing},
		{"bad item in an array", `[` + good + `,{"update_id":2,"message":{"message_id":1,"chat":{"id":1},"date":0}}]`, "[1].message.date", onemin.ErrMissing},
	}
	for _, tt := range tests {
		events, err := Parse([]byte(tt.body))
		webhooktest.CheckRefused(t, tt.reason, events, err, tt.wantField, tt.wantErr)
	}
}

package instagram

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook/webhooktest"
	"pgregory.net/rapid"
)

var fixture = webhooktest.Fixture

func diff(want, got any) string { return cmp.Diff(want, got) }

const (
	account = "17841405309211844"
	anna    = "6543210987654321"
	boris   = "7654321098765432"
	midBase = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1MzA5MjExODQ0OjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI3NjE3MDEwMTc0MDQ5"
)

func ev(midTail string, k onemin.Kind, when, who string, actor onemin.Actor, agent string) onemin.Event {
	t, err := time.Parse(time.RFC3339Nano, when)
	if err != nil {
		panic(err)
	}
	return onemin.Event{ID: "ig:" + midBase + midTail, Kind: k, At: t, ConversationID: account + "/" + who,
		ContactID: who, Channel: "instagram", Actor: actor, Agent: agent}
}

func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file        string
		parser      Parser
		wantEvents  []onemin.Event
		wantIgnored []string
	}{
		{"messages.json", Parser{}, []onemin.Event{
			ev("199", onemin.MessageIn, "2026-03-02T09:00:00.25Z", anna, onemin.Customer, ""),
		}, []string{"read", "reaction", "message_edit"}},
		{"echoes.json", Parser{}, []onemin.Event{
			ev("200", onemin.MessageOut, "2026-03-02T09:00:12.4Z", anna, onemin.Bot, ""),
			ev("201", onemin.MessageOut, "2026-03-02T09:01:35Z", anna, onemin.Human, ""),
			ev("202", onemin.MessageOut, "2026-03-02T09:01:39Z", anna, onemin.Human, "oleg"),
		}, nil},
		{"echoes.json with the app listed as an inbox", Parser{HumanAppIDs: []string{"1234567890123456"}}, []onemin.Event{
			ev("200", onemin.MessageOut, "2026-03-02T09:00:12.4Z", anna, onemin.Human, ""),
			ev("201", onemin.MessageOut, "2026-03-02T09:01:35Z", anna, onemin.Human, ""),
			ev("202", onemin.MessageOut, "2026-03-02T09:01:39Z", anna, onemin.Human, "oleg"),
		}, nil},
		{"echoes.json with a caller rule", Parser{Actor: func(r Reply) onemin.Actor {
			if r.AppID == "" {
				return onemin.Automation // say, an auto-reply set in the app
			}
			return onemin.ActorNone
		}}, []onemin.Event{
			ev("200", onemin.MessageOut, "2026-03-02T09:00:12.4Z", anna, onemin.Bot, ""),
			ev("201", onemin.MessageOut, "2026-03-02T09:01:35Z", anna, onemin.Automation, ""),
			ev("202", onemin.MessageOut, "2026-03-02T09:01:39Z", anna, onemin.Human, "oleg"),
		}, nil},
		{"postback_standby.json", Parser{}, []onemin.Event{
			ev("300", onemin.MessageIn, "2026-03-02T10:00:00Z", boris, onemin.Customer, ""),
			ev("302", onemin.MessageIn, "2026-03-02T10:02:00Z", boris, onemin.Customer, ""),
		}, []string{"message deleted", "field comments"}},
	}
	for _, tt := range tests {
		file, _, _ := strings.Cut(tt.file, " ")
		b, err := tt.parser.Decode(fixture(t, file))
		webhooktest.CheckBatch(t, tt.file, b, err, tt.wantEvents, tt.wantIgnored, diff)
	}
}

func TestDecodeBadPayloads(t *testing.T) {
	good := string(fixture(t, "messages.json"))
	echo := string(fixture(t, "echoes.json"))
	tests := []struct {
		reason    string
		body      string
		wantField string
		wantErr   error
	}{
		{"malformed JSON", `{"object":"instagram","entry":[{"messaging":[{]}]}`, "", onemin.ErrInvalid},
		{"missing object", `{"entry":[]}`, "object", onemin.ErrMissing},
		{"a Page payload", `{"object":"page","entry":[]}`, "object", onemin.ErrInvalid},
		{"missing timestamp", strings.Replace(good, `"timestamp": 1772442000250,`, ``, 1),
			"entry[0].messaging[0].timestamp", onemin.ErrMissing},
		{"negative timestamp", strings.Replace(good, `1772442000250`, `-5`, 1),
			"entry[0].messaging[0].timestamp", onemin.ErrInvalid},
		{"timestamp beyond year 9999", strings.Replace(good, `1772442000250`, `9772442000250000`, 1),
			"entry[0].messaging[0].timestamp", onemin.ErrInvalid},
		{"missing mid", strings.Replace(good, `"mid": "`+midBase+`199",`, ``, 1),
			"entry[0].messaging[0].message.mid", onemin.ErrMissing},
		{"missing sender", strings.Replace(good, `"sender": { "id": "6543210987654321" },`, ``, 1),
			"entry[0].messaging[0].sender.id", onemin.ErrMissing},
		{"echo without recipient", strings.Replace(echo, `"recipient": { "id": "6543210987654321" },`, ``, 1),
			"entry[0].messaging[0].recipient.id", onemin.ErrMissing},
		{"sender id is an object", strings.Replace(good, `"sender": { "id": "6543210987654321" }`, `"sender": { "id": {} }`, 1),
			"entry.messaging.sender.id", onemin.ErrInvalid},
	}
	for _, tt := range tests {
		events, err := Parse([]byte(tt.body))
		webhooktest.CheckRefused(t, tt.reason, events, err, tt.wantField, tt.wantErr)
	}
}

// TestTimestampExact: any millisecond from 1970 to 9999 comes back exactly
// as the event's time, in UTC.
func TestTimestampExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ms := rapid.Int64Range(1, maxUnixMilli).Draw(t, "ms")
		body := fmt.Sprintf(`{"object":"instagram","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":%d,"message":{"mid":"m"}}]}]}`, ms)
		events, err := Parse([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if got := events[0].At; got.UnixMilli() != ms || got.Location() != time.UTC {
			t.Fatalf("timestamp %d became %v", ms, got)
		}
	})
}

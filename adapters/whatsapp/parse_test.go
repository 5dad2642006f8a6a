package whatsapp

import (
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

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	phoneID = "106540352242922"
	marta   = "+16505551234"
	kai     = "US.13491208655302741918"
)

func ev(id string, k onemin.Kind, when, who string, actor onemin.Actor, agent string) onemin.Event {
	return onemin.Event{ID: "wa:" + id, Kind: k, At: at(when), ConversationID: phoneID + "/" + who,
		ContactID: who, Channel: "whatsapp", Actor: actor, Agent: agent}
}

func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file        string
		wantEvents  []onemin.Event
		wantIgnored []string
	}{
		{"message_text.json", []onemin.Event{
			ev("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjVFNzM5RjA1MjQwRTA3RQA=", onemin.MessageIn, "2026-03-02T09:00:00Z", marta, onemin.Customer, ""),
		}, []string{"message reaction"}},
		{"status_sent.json", []onemin.Event{
			ev("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QUQ0RjA1MTJBOEE1RDYxNQA=", onemin.MessageOut, "2026-03-02T09:00:31Z", marta, onemin.Bot, ""),
			ev("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCNkY5NTBENEU3ODYxQTM3RUQA", onemin.MessageOut, "2026-03-02T09:01:30Z", marta, onemin.Human, "anna"),
			ev("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJGRkFBMjI0NzVEOTk4RDAwMQA=", onemin.MessageOut, "2026-03-02T10:00:00Z", marta, onemin.Automation, ""),
		}, []string{"status delivered", "status read"}},
		{"smb_message_echoes.json", []onemin.Event{
			ev("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJFQ0hPMDAxQTJCM0M0RDVFNgA=", onemin.MessageOut, "2026-03-02T09:01:15Z", marta, onemin.Human, ""),
		}, nil},
		{"bsuid_only.json", []onemin.Event{
			ev("wamid.HBgUVVMuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgASGBQzQUJDRA==", onemin.MessageIn, "2026-03-02T11:00:00Z", kai, onemin.Customer, ""),
			ev("wamid.HBgUVVMuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgARGBJBQkNEAA==", onemin.MessageOut, "2026-03-02T11:00:12Z", kai, onemin.Bot, ""),
		}, []string{"field account_update"}},
	}
	for _, tt := range tests {
		b, err := (&Parser{}).Decode(fixture(t, tt.file))
		webhooktest.CheckBatch(t, tt.file, b, err, tt.wantEvents, tt.wantIgnored, diff)
	}
}

func TestDecodeActorRuleAndTenant(t *testing.T) {
	p := &Parser{Tenant: "salon-7", Actor: func(r Reply) onemin.Actor {
		if r.Category == "marketing" {
			return onemin.ActorNone // leave it to the defaults
		}
		return onemin.Human // this business answers by hand only
	}}
	b, err := p.Decode(fixture(t, "status_sent.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got []onemin.Actor
	for _, e := range b.Events {
		if e.Tenant != "salon-7" {
			t.Errorf("event %s: tenant %q, want salon-7", e.ID, e.Tenant)
		}
		got = append(got, e.Actor)
	}
	if diff := cmp.Diff([]onemin.Actor{onemin.Human, onemin.Human, onemin.Automation}, got); diff != "" {
		t.Errorf("actors (-want +got):\n%s", diff)
	}
}

func TestDecodeBadPayloads(t *testing.T) {
	good := string(fixture(t, "message_text.json"))
	tests := []struct {
		reason    string
		body      string
		wantField string
		wantErr   error
	}{
		{"malformed JSON", `{"object": "whatsapp_business_account", "entry": [`, "", onemin.ErrInvalid},
		{"not an object", `[1,2]`, "", onemin.ErrInvalid},
		{"missing object", `{"entry": []}`, "object", onemin.ErrMissing},
		{"another product", `{"object": "page", "entry": []}`, "object", onemin.ErrInvalid},
		{"missing timestamp", strings.Replace(good, `"timestamp": "1772442000",`, ``, 1),
			"entry[0].changes[0].value.messages[0].timestamp", onemin.ErrMissing},
		{"timestamp not a number", strings.Replace(good, `"1772442000"`, `"yesterday"`, 1),
			"entry[0].changes[0].value.messages[0].timestamp", onemin.ErrInvalid},
		{"timestamp zero", strings.Replace(good, `"1772442000"`, `"0"`, 1),
			"entry[0].changes[0].value.messages[0].timestamp", onemin.ErrInvalid},
		{"timestamp a float", strings.Replace(good, `"1772442000"`, `1772442000.5`, 1),
			"entry[0].changes[0].value.messages[0].timestamp", onemin.ErrInvalid},
		{"missing message id", strings.Replace(good, `"id": "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjVFNzM5RjA1MjQwRTA3RQA=",`, ``, 1),
			"entry[0].changes[0].value.messages[0].id", onemin.ErrMissing},
		{"sender not a phone", strings.Replace(good, `"from": "16505551234",`, `"from": "call me",`, 1),
			"entry[0].changes[0].value.messages[0].from", onemin.ErrInvalid},
		{"missing phone number id", strings.Replace(good, `"phone_number_id": "106540352242922"`, `"x": 1`, 1),
			"entry[0].changes[0].value.metadata.phone_number_id", onemin.ErrMissing},
		{"wrong type of a field", `{"object": "whatsapp_business_account", "entry": {"id": 1}}`, "entry", onemin.ErrInvalid},
	}
	for _, tt := range tests {
		b, err := Parse([]byte(tt.body))
		webhooktest.CheckRefused(t, tt.reason, b, err, tt.wantField, tt.wantErr)
	}
}

func TestDecodeIgnoresGroups(t *testing.T) {
	body := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "metadata":{"phone_number_id":"106540352242922"},
	 "messages":[{"from":"16505551234","group_id":"Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM0MjMZD","id":"wamid.G1","timestamp":"1772442000","type":"text"}],
	 "statuses":[{"id":"wamid.G2","status":"sent","timestamp":"1772442001","recipient_type":"group","recipient_id":"Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM0MjMZD"}]}}]}]}`
	b, err := (&Parser{}).Decode([]byte(body))
	webhooktest.CheckBatch(t, "group chat", b, err, nil, []string{"group message", "status sent to a group"}, diff)
}

func TestDecodeMissingSenderFallsBackToContacts(t *testing.T) {
	body := strings.Replace(string(fixture(t, "message_text.json")), `"from": "16505551234",`, ``, 1)
	events, err := Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if events[0].ContactID != marta {
		t.Errorf("contact %q, want the lone contact's wa_id %q", events[0].ContactID, marta)
	}
}

func TestE164(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"16505551234", "+16505551234", true},
		{"+16505551234", "+16505551234", true},
		{"+1 (650) 555-1234", "+16505551234", true},
		{"79161234567", "+79161234567", true},
		{"1234567", "", false},          // too short
		{"1234567890123456", "", false}, // 16 digits
		{"06505551234", "", false},      // no country code starts with 0
		{"US.13491208655302741918", "", false},
		{"", "", false},
		{"+", "", false},
	}
	for _, tt := range tests {
		got, ok := E164(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("E164(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestE164Properties: a result is "+" and 8–15 digits, and normalizing it
// again changes nothing.
func TestE164Properties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.StringMatching(`\+?[0-9 ()\-.]{0,20}`).Draw(t, "phone")
		out, ok := E164(in)
		if !ok {
			return
		}
		digits := strings.TrimPrefix(out, "+")
		if len(digits) < 8 || len(digits) > 15 || strings.Trim(digits, "0123456789") != "" {
			t.Fatalf("E164(%q) = %q is not E.164", in, out)
		}
		if again, ok := E164(out); !ok || again != out {
			t.Fatalf("E164 is not idempotent: %q → %q → %q", in, out, again)
		}
	})
}

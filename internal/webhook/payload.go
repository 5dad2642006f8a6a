package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/onemin/onemin"
)

// Missing returns the error for a required payload field that is absent;
// field is its JSON path, such as "entry[0].changes[1].value.messages[2].id".
func Missing(field string) error {
	return &onemin.ValidationError{Field: field, Reason: "missing", Err: onemin.ErrMissing}
}

// Invalid returns the error for a payload field whose value is not allowed.
func Invalid(field, reason string) error {
	return &onemin.ValidationError{Field: field, Reason: reason, Err: onemin.ErrInvalid}
}

// Unmarshal decodes a JSON payload into v, turning a syntax or type error
// into a *[onemin.ValidationError] that wraps [onemin.ErrInvalid] and names
// the offending field where the decoder knows it.
func Unmarshal(body []byte, v any) error {
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := te.Type.String()
		if te.Type == reflect.TypeFor[Text]() {
			want = "a string or a number"
		}
		return Invalid(te.Field, fmt.Sprintf("JSON %s where %s was expected", te.Value, want))
	}
	return Invalid("", "malformed JSON: "+err.Error())
}

// Text is a JSON scalar that systems send sometimes as a string and
// sometimes as a number (Meta's timestamps and app ids), kept as its text.
// null and absence both leave it empty.
type Text string

// UnmarshalJSON accepts a JSON string or number.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
		return nil
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*t = Text(n)
		return nil
	}
	kind := "value"
	switch {
	case len(b) > 0 && b[0] == '{':
		kind = "object"
	case len(b) > 0 && b[0] == '[':
		kind = "array"
	case len(b) > 0 && (b[0] == 't' || b[0] == 'f'):
		kind = "bool"
	}
	// The decoder adds the field's path to a type error.
	return &json.UnmarshalTypeError{Value: kind, Type: reflect.TypeFor[Text]()}
}

// Marker reads the actor convention for the free-text tag a business
// attaches to the messages it sends (WhatsApp's biz_opaque_callback_data,
// Messenger's metadata): the text form of an actor ("bot", "human",
// "automation"), optionally followed by ":" and the agent's name, as in
// "human:anna". It reports false for any other text, and for "customer".
func Marker(tag string) (actor onemin.Actor, agent string, ok bool) {
	name, agent, _ := strings.Cut(strings.TrimSpace(tag), ":")
	a, err := onemin.ParseActor(strings.ToLower(name))
	if err != nil || a == onemin.ActorNone || a == onemin.Customer {
		return onemin.ActorNone, "", false
	}
	return a, strings.TrimSpace(agent), true
}

// CheckObject checks the "object" field that names the product of a Meta
// delivery: nil when it is want, else the error for a missing or foreign
// object; what names the product in the message ("a WhatsApp Business
// Account").
func CheckObject(got, want, what string) error {
	switch got {
	case want:
		return nil
	case "":
		return Missing("object")
	}
	return Invalid("object", fmt.Sprintf("%q is not %s payload", got, what))
}

// IsReplyActor reports whether a can send a reply: bot, human or
// automation. A caller's actor rule that returns anything else leaves the
// decision to the adapter's defaults.
func IsReplyActor(a onemin.Actor) bool {
	return a == onemin.Bot || a == onemin.Human || a == onemin.Automation
}

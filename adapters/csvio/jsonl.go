package csvio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/onemin/onemin"
)

// jsonRow is one JSON line: every key of either layout, raw, so that a
// value of the wrong type is reported with its key.
type jsonRow struct {
	EventID      json.RawMessage `json:"event_id"`
	Tenant       json.RawMessage `json:"tenant"`
	Kind         json.RawMessage `json:"kind"`
	At           json.RawMessage `json:"at"`
	Conversation json.RawMessage `json:"conversation_id"`
	Contact      json.RawMessage `json:"contact_id"`
	Channel      json.RawMessage `json:"channel"`
	Actor        json.RawMessage `json:"actor"`
	Agent        json.RawMessage `json:"agent"`
	Source       json.RawMessage `json:"source"`
	Medium       json.RawMessage `json:"medium"`
	Campaign     json.RawMessage `json:"campaign"`
	Scenario     json.RawMessage `json:"scenario"`
	Product      json.RawMessage `json:"product"`
	Amount       json.RawMessage `json:"amount"`
	Currency     json.RawMessage `json:"currency"`
	Score        json.RawMessage `json:"score"`
	LeadID       json.RawMessage `json:"lead_id"`
	ReceivedAt   json.RawMessage `json:"received_at"`
	FirstReplyAt json.RawMessage `json:"first_reply_at"`
	Handler      json.RawMessage `json:"handler"`
	TransferAt   json.RawMessage `json:"transfer_at"`
}

func (j *jsonRow) fields() [columnCount]*json.RawMessage {
	return [columnCount]*json.RawMessage{
		colEventID: &j.EventID, colTenant: &j.Tenant, colKind: &j.Kind, colAt: &j.At,
		colConversation: &j.Conversation, colContact: &j.Contact, colChannel: &j.Channel,
		colActor: &j.Actor, colAgent: &j.Agent, colSource: &j.Source, colMedium: &j.Medium,
		colCampaign: &j.Campaign, colScenario: &j.Scenario, colProduct: &j.Product,
		colAmount: &j.Amount, colCurrency: &j.Currency, colScore: &j.Score,
		colLeadID: &j.LeadID, colReceivedAt: &j.ReceivedAt, colFirstReplyAt: &j.FirstReplyAt,
		colHandler: &j.Handler, colTransferAt: &j.TransferAt,
	}
}

// jsonLayout tells a JSON line's layout from its keys.
func jsonLayout(v *row) Layout {
	switch {
	case v[colKind] != "" || v[colAt] != "" || v[colEventID] != "":
		return LayoutEvents
	case v[colLeadID] != "" || v[colReceivedAt] != "":
		return LayoutLeads
	}
	return LayoutUnknown
}

// readJSON reads the next non-blank line into v and returns its line.
func (r *Reader) readJSON(v *row) (int, error) {
	for {
		b, err := r.readLine()
		if err != nil {
			return r.line, err
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if !utf8.Valid(b) {
			return r.line, rowError(r.line, "", "", errNotText, onemin.ErrInvalid)
		}
		return r.line, r.decodeJSON(b, v)
	}
}

// readLine returns the next physical line without its end, counting lines.
// A line longer than MaxLineBytes is consumed and rejected.
func (r *Reader) readLine() ([]byte, error) {
	r.lineBuf = r.lineBuf[:0]
	tooLong := false
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(r.lineBuf)+len(chunk) > r.opt.MaxLineBytes+1 {
				tooLong = true
				r.lineBuf = r.lineBuf[:0]
			} else {
				r.lineBuf = append(r.lineBuf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(chunk) == 0 && len(r.lineBuf) == 0 && !tooLong:
			return nil, io.EOF
		case err != nil && err != io.EOF:
			return nil, fmt.Errorf("csvio: %w", err)
		}
		r.line++
		if tooLong {
			return nil, rowError(r.line, "", "", fmt.Sprintf("the line is longer than %d bytes", r.opt.MaxLineBytes), onemin.ErrInvalid)
		}
		return bytes.TrimSuffix(r.lineBuf, []byte("\n")), nil
	}
}

func (r *Reader) decodeJSON(b []byte, v *row) error {
	if !r.opt.StrictColumns {
		if scanJSON(b, v) {
			return nil
		}
		*v = row{}
	}
	return r.decodeJSONSlow(b, v)
}

// decodeJSONSlow decodes a line with encoding/json, naming the key of a
// value of the wrong type.
func (r *Reader) decodeJSONSlow(b []byte, v *row) error {
	var j jsonRow
	var err error
	if r.opt.StrictColumns {
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err = d.Decode(&j); err == nil && d.More() {
			err = errors.New("data after the object")
		}
	} else {
		err = json.Unmarshal(b, &j)
	}
	if err != nil {
		return rowError(r.line, "", "", "not a JSON object of the event or lead layout: "+err.Error(), onemin.ErrInvalid)
	}
	for c, raw := range j.fields() {
		if raw == nil || len(*raw) == 0 {
			continue
		}
		s, ok := jsonScalar(*raw)
		if !ok {
			return rowError(r.line, "", columnNames[c], fmt.Sprintf("%s is not a string or a number", abbreviate(*raw)), onemin.ErrInvalid)
		}
		v[c] = strings.TrimSpace(s)
	}
	return nil
}

// jsonScalar returns the text of a JSON string, number or null ("").
func jsonScalar(raw []byte) (string, bool) {
	switch c := raw[0]; {
	case c == '"':
		if bytes.IndexByte(raw, '\\') < 0 {
			return string(raw[1 : len(raw)-1]), true
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case c == '-' || (c >= '0' && c <= '9'):
		return string(raw), true
	case bytes.Equal(raw, []byte("null")):
		return "", true
	}
	return "", false
}

func abbreviate(b []byte) string {
	if len(b) > 40 {
		return string(b[:37]) + "…"
	}
	return string(b)
}

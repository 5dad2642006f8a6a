package csvio

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

// Writer writes events in the event layout, as CSV (with a header row) or
// as JSON Lines. What it writes, a [Reader] reads back to the same events.
// Output is buffered: call [Writer.Flush] at the end.
//
// A Writer is not safe for concurrent use.
type Writer struct {
	// Comma is the CSV field separator; zero means ','. Set it before the
	// first write.
	Comma rune

	format Format
	bw     *bufio.Writer
	cw     *csv.Writer
	enc    *json.Encoder
	rec    []string
	header bool
}

// NewWriter returns a writer of events to w in format f (FormatCSV or
// FormatJSONLines; FormatUnknown means CSV).
func NewWriter(w io.Writer, f Format) *Writer {
	if f == FormatUnknown {
		f = FormatCSV
	}
	return &Writer{format: f, bw: bufio.NewWriter(w)}
}

// Write writes one event. An event that does not pass
// [onemin.Event.Validate] is refused with its error, so that everything
// written reads back.
func (w *Writer) Write(e onemin.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if w.format == FormatJSONLines {
		if w.enc == nil {
			w.enc = json.NewEncoder(w.bw)
			w.enc.SetEscapeHTML(false)
		}
		return w.enc.Encode(toJSON(&e))
	}
	if err := w.writeHeader(); err != nil {
		return err
	}
	r := w.rec[:0]
	r = append(r, e.ID, e.Tenant, e.Kind.String(), formatTime(e.At), e.ConversationID, e.ContactID,
		e.Channel, e.Actor.String(), e.Agent, e.Source, e.Medium, e.Campaign, e.Scenario, e.Product,
		formatAmount(&e), e.Currency, formatScore(&e))
	w.rec = r
	return w.cw.Write(r)
}

func (w *Writer) writeHeader() error {
	if w.header || w.format != FormatCSV {
		return nil
	}
	w.header = true
	w.cw = csv.NewWriter(w.bw)
	if w.Comma != 0 {
		w.cw.Comma = w.Comma
	}
	return w.cw.Write(EventColumns())
}

// Flush writes any buffered data (and, for CSV with no event written, the
// header) to the underlying writer and returns the first error met.
func (w *Writer) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	if w.cw != nil {
		w.cw.Flush()
		if err := w.cw.Error(); err != nil {
			return err
		}
	}
	return w.bw.Flush()
}

// WriteAll writes events to w in format f and flushes. It stops at the
// first event that fails validation and names its position.
func WriteAll(w io.Writer, f Format, events []onemin.Event) error {
	wr := NewWriter(w, f)
	for i := range events {
		if err := wr.Write(events[i]); err != nil {
			return fmt.Errorf("csvio: event %d: %w", i+1, err)
		}
	}
	return wr.Flush()
}

// formatTime writes RFC 3339 with nanoseconds as needed, in the time's own
// zone, so that the wall clock a person reads is kept.
func formatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// formatAmount writes the amount with the digits it was given ("1500.50"
// stays so), or "" for an event without money.
func formatAmount(e *onemin.Event) string {
	if e.Currency == "" && e.Amount.IsZero() {
		return ""
	}
	return fixed(e.Amount)
}

func fixed(d decimal.Decimal) string {
	if exp := d.Exponent(); exp < 0 {
		return d.StringFixed(-exp)
	}
	return d.String()
}

// formatScore writes the score of a csat or nps event (0 is a valid nps),
// and of another kind only when it is set.
func formatScore(e *onemin.Event) string {
	if e.Kind == onemin.CSAT || e.Kind == onemin.NPS || e.Score != 0 {
		return strconv.Itoa(e.Score)
	}
	return ""
}

// jsonEvent is the JSON Lines form of an event: empty fields left out.
type jsonEvent struct {
	EventID      string `json:"event_id,omitempty"`
	Tenant       string `json:"tenant,omitempty"`
	Kind         string `json:"kind"`
	At           string `json:"at"`
	Conversation string `json:"conversation_id,omitempty"`
	Contact      string `json:"contact_id,omitempty"`
	Channel      string `json:"channel,omitempty"`
	Actor        string `json:"actor,omitempty"`
	Agent        string `json:"agent,omitempty"`
	Source       string `json:"source,omitempty"`
	Medium       string `json:"medium,omitempty"`
	Campaign     string `json:"campaign,omitempty"`
	Scenario     string `json:"scenario,omitempty"`
	Product      string `json:"product,omitempty"`
	Amount       string `json:"amount,omitempty"`
	Currency     string `json:"currency,omitempty"`
	Score        *int   `json:"score,omitempty"`
}

func toJSON(e *onemin.Event) jsonEvent {
	j := jsonEvent{
		EventID: e.ID, Tenant: e.Tenant, Kind: e.Kind.String(), At: formatTime(e.At),
		Conversation: e.ConversationID, Contact: e.ContactID, Channel: e.Channel,
		Actor: e.Actor.String(), Agent: e.Agent, Source: e.Source, Medium: e.Medium,
		Campaign: e.Campaign, Scenario: e.Scenario, Product: e.Product,
		Amount: formatAmount(e), Currency: e.Currency,
	}
	if s := formatScore(e); s != "" {
		n := e.Score
		j.Score = &n
	}
	return j
}

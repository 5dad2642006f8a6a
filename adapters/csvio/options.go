package csvio

import (
	"fmt"
	"time"
)

// Layout says how the rows of a file are shaped.
type Layout uint8

// The layouts a [Reader] recognises from the header (CSV) or the keys of
// each object (JSON Lines).
const (
	// LayoutUnknown means no row has been read yet, or none could be placed.
	LayoutUnknown Layout = iota
	// LayoutEvents is the event layout: one event per row, the columns
	// named after the fields of [onemin.Event] (event_id, tenant, kind, at,
	// conversation_id, contact_id, channel, actor, agent, source, medium,
	// campaign, scenario, product, amount, currency, score).
	LayoutEvents
	// LayoutLeads is the one-row-per-lead spreadsheet layout: lead_id,
	// channel, received_at, first_reply_at, handler (bot or human),
	// transfer_at, source, agent. Each row expands to a message_in at
	// received_at, a message_out by the handler at first_reply_at (when
	// set) and a handoff at transfer_at (when set).
	LayoutLeads
)

// String returns "events", "leads" or "unknown".
func (l Layout) String() string {
	switch l {
	case LayoutEvents:
		return "events"
	case LayoutLeads:
		return "leads"
	}
	return "unknown"
}

// Format is the encoding of a file.
type Format uint8

// The formats a [Reader] reads and a [Writer] writes.
const (
	// FormatUnknown means the reader has not looked at the input yet.
	FormatUnknown Format = iota
	// FormatCSV is comma-, semicolon- or tab-separated values with a header
	// row (RFC 4180 quoting).
	FormatCSV
	// FormatJSONLines is one JSON object per line, keyed by the same names
	// as the CSV columns.
	FormatJSONLines
)

// String returns "csv", "jsonl" or "unknown".
func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "csv"
	case FormatJSONLines:
		return "jsonl"
	}
	return "unknown"
}

// ParseFormat returns the format named s: "csv", or "jsonl" (also "ndjson"
// and "json").
func ParseFormat(s string) (Format, error) {
	switch s {
	case "csv":
		return FormatCSV, nil
	case "jsonl", "ndjson", "json":
		return FormatJSONLines, nil
	}
	return FormatUnknown, fmt.Errorf("csvio: unknown format %q (want csv or jsonl)", s)
}

// Options configure a [Reader]. The zero Options read either format and
// either layout, accept only times that carry their own offset, ignore
// unknown columns and de-duplicate within the one reader.
type Options struct {
	// Location is the time zone of times written without an offset: the
	// forms "2006-01-02 15:04:05" (also with a T, without seconds, or as
	// "02.01.2006 15:04:05") and spreadsheet serial numbers (days since
	// 1899-12-30, the fraction being the wall clock in Location). Nil
	// means such times are rejected: a reader never guesses a zone.
	Location *time.Location

	// Format forces the input's format. FormatUnknown (the zero value)
	// detects it: input whose first non-blank byte is '{' is JSON Lines,
	// anything else CSV.
	Format Format

	// Encoding is the input's character encoding; the zero value detects
	// UTF-8 or Windows-1251 (see [EncodingAuto]). Whatever the encoding,
	// a row that is not valid text in it is rejected, never passed on.
	Encoding Encoding

	// Comma forces the CSV field separator. Zero detects it from the
	// header: whichever of ',', ';' and '\t' occurs most outside quotes
	// (',' on a tie), so that the semicolon files of Russian and European
	// spreadsheets read as they are.
	Comma rune

	// StrictColumns makes an unknown CSV column or JSON key an error that
	// stops the reader (a typo such as "chanel" then fails loudly). By
	// default unknown columns are ignored and listed by [Reader.Ignored],
	// so that a spreadsheet with extra columns (a name, a comment) reads.
	StrictColumns bool

	// Seen, when set, is shared by several readers so that an event
	// repeated across files is a duplicate too. Nil gives each reader its
	// own.
	Seen *Seen

	// Name names the input in duplicate reasons ("repeats line 4 of
	// a.csv"); empty for a single input.
	Name string

	// MaxLineBytes bounds one row: a JSON line, or a CSV record with its
	// quoted line breaks. A longer row is rejected and reading goes on
	// after it, so that a quote left open cannot pull the rest of a big
	// file into memory. Zero means 1 MiB.
	MaxLineBytes int
}

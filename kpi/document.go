package kpi

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/onemin/onemin"
)

// Document is a report in the JSON form that "onemin kpi --format json"
// writes, key for key: the rows read, the rejected rows, how the report
// was measured, the overall summary and one row per group. A program that
// computes the KPI elsewhere (a pipeline, a service) writes the same
// document through this type, so its output reads like the command's.
//
// [NewDocument] fills it from a [Report]; the caller adds what the report
// cannot know: Rows, Rejected, Sample, and Estimate for sketch
// percentiles. It is a plain value.
type Document struct {
	// Rows counts the rows read: read = accepted + duplicates + rejected.
	Rows onemin.Counts `json:"rows"`
	// Rejected lists the rejected rows, duplicates left out (they are
	// counted in Rows.Duplicates); empty, never null, when there were
	// none.
	Rejected []RejectedRow `json:"rejected"`
	// Clock is "calendar", or "business" when durations were measured in
	// business hours.
	Clock string `json:"clock"`
	// Method and Reply name the percentile method and the reply policy
	// ([Method.String], [ReplyPolicy.String]).
	Method string `json:"method"`
	Reply  string `json:"reply"`
	// AsOf is when outcomes were judged, in the document's zone; null
	// when there were no events.
	AsOf *time.Time `json:"as_of"`
	// TimeZone is the IANA name of the zone of days, hours and AsOf.
	TimeZone string `json:"time_zone"`
	// Sample is true when the command ran on its embedded sample data.
	Sample bool `json:"sample"`
	// Overall summarizes every lead.
	Overall Summary `json:"overall"`
	// Groups holds a row per group of every breakdown, breakdowns in the
	// order of the report, groups in the order of each breakdown; empty,
	// never null, without breakdowns.
	Groups []DocumentGroup `json:"groups"`
	// Estimate is [EstimateSketch] and RelativeError the percentiles'
	// bound as a ratio (0.01 is 1 %) when the percentiles come from a
	// sketch; both are left out of the JSON otherwise.
	Estimate      string  `json:"estimate,omitempty"`
	RelativeError float64 `json:"relative_error,omitempty"`
}

// RejectedRow is a row of the input that did not become an event, as a
// [Document] lists it: the file (empty for standard input), the line (the
// header is line 1), the field at fault and what is wrong with it.
type RejectedRow struct {
	File  string `json:"file"`
	Line  int    `json:"line"`
	Field string `json:"field"`
	Error string `json:"error"`
}

// DocumentGroup is one group of a [Document]: the dimension's name (By)
// and the group's value, then the summary. Its JSON is one flat object:
// "by" and "value" followed by the keys of [Summary].
type DocumentGroup struct {
	By      string
	Value   string
	Summary Summary
}

// MarshalJSON writes {"by":…,"value":…, then the summary's keys}. It
// leaves <, > and & as they are, so that the encoder decides: json.Marshal
// escapes them, and [Document.Encode], like an encoder with
// SetEscapeHTML(false), writes them as they are, in the groups as
// everywhere else.
func (g DocumentGroup) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		By    string `json:"by"`
		Value string `json:"value"`
	}{g.By, g.Value}); err != nil {
		return nil, err
	}
	head := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	s, err := json.Marshal(g.Summary)
	if err != nil {
		return nil, err
	}
	if len(s) <= 2 { // {}
		return head, nil
	}
	return append(append(head[:len(head)-1], ','), s[1:]...), nil
}

// UnmarshalJSON reads the flat object that MarshalJSON writes.
func (g *DocumentGroup) UnmarshalJSON(data []byte) error {
	var head struct {
		By    string `json:"by"`
		Value string `json:"value"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return err
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*g = DocumentGroup{By: head.By, Value: head.Value, Summary: s}
	return nil
}

// NewDocument returns the document of rep, computed with opts: the clock,
// method, reply policy, as-of time (in opts.Location; UTC when nil),
// overall summary and groups. Rows, Sample and Estimate are left zero and
// Rejected empty for the caller to fill.
func NewDocument(rep *Report, opts *Options) Document {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	d := Document{
		Rejected: []RejectedRow{},
		Clock:    "calendar",
		Method:   rep.Method.String(),
		Reply:    rep.Policy.String(),
		TimeZone: loc.String(),
		Overall:  rep.Summary,
		Groups:   []DocumentGroup{},
	}
	if opts.Clock != nil {
		d.Clock = "business"
	}
	if !rep.AsOf.IsZero() {
		t := rep.AsOf.In(loc)
		d.AsOf = &t
	}
	for _, b := range rep.Groups {
		for _, g := range b.Groups {
			d.Groups = append(d.Groups, DocumentGroup{By: b.Dimension.String(), Value: g.Key, Summary: g.Summary})
		}
	}
	return d
}

// Encode returns the document as the command writes it: JSON indented by
// two spaces, <, > and & left as they are, and a final new line.
func (d *Document) Encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

package csvio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/onemin/onemin"
)

// Reader reads events from CSV or JSON Lines in either layout, one at a
// time, so that a file larger than memory streams through. Each row is
// normalized and validated ([onemin.Event.Normalize],
// [onemin.Event.Validate]); a row that fails, or repeats an event already
// read, is returned as a *[onemin.ValidationError] naming its line, field
// and reason, and counted. Counts are of rows: a lead row that expands to
// three events counts once.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	opt      Options
	br       *bufio.Reader
	format   Format
	layout   Layout
	encoding Encoding

	// CSV
	cr      *recordReader
	cols    []column
	ignored []string

	// JSON Lines
	line    int
	lineBuf []byte

	seen    *Seen
	zones   zoneCache
	counts  onemin.Counts
	pending []onemin.Event
	leadBuf [3]onemin.Event
	started bool
	err     error // sticky: io.EOF or a fatal error
}

// NewReader returns a reader of r configured by opt. It reads nothing until
// the first call of [Reader.Next] (or [Reader.Layout]).
func NewReader(r io.Reader, opt Options) *Reader {
	rd := &Reader{opt: opt, seen: opt.Seen}
	if rd.seen == nil {
		rd.seen = new(Seen)
	}
	if rd.opt.MaxLineBytes <= 0 {
		rd.opt.MaxLineBytes = 1 << 20
	}
	rd.br = bufio.NewReaderSize(r, 64<<10)
	return rd
}

// Next returns the next event. At the end of the input it returns io.EOF.
// A rejected or duplicate row gives a *[onemin.ValidationError] and the
// reader goes on: call Next again. Any other error (unreadable input, a
// header that names no layout) is fatal, and every later call returns it.
func (r *Reader) Next() (onemin.Event, error) {
	if len(r.pending) > 0 {
		e := r.pending[0]
		r.pending = r.pending[1:]
		return e, nil
	}
	if r.err != nil {
		return onemin.Event{}, r.err
	}
	if !r.started {
		if err := r.start(); err != nil {
			r.err = err
			return onemin.Event{}, err
		}
	}
	var (
		v    row
		line int
		err  error
	)
	if r.format == FormatCSV {
		line, err = r.readCSV(&v)
	} else {
		line, err = r.readJSON(&v)
	}
	if err != nil {
		var ve *onemin.ValidationError
		if errors.As(err, &ve) {
			r.counts.Read++
			r.counts.Rejected++
		} else {
			r.err = err
		}
		return onemin.Event{}, err
	}
	var e onemin.Event
	if err := r.emit(&v, line, &e); err != nil {
		return onemin.Event{}, err
	}
	return e, nil
}

// All returns the events as a sequence of (event, nil), with a rejected
// row as (zero event, *[onemin.ValidationError]) after which the sequence
// goes on. A fatal error is yielded last; io.EOF is not yielded.
func (r *Reader) All() iter.Seq2[onemin.Event, error] {
	return func(yield func(onemin.Event, error) bool) {
		for {
			e, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(e, err) {
				return
			}
			if err != nil && !IsRowError(err) {
				return
			}
		}
	}
}

// IsRowError reports whether err, returned by [Reader.Next], rejects one
// row only (a *[onemin.ValidationError]) so that reading can go on.
func IsRowError(err error) bool {
	var ve *onemin.ValidationError
	return errors.As(err, &ve)
}

// Counts returns the rows read so far: read = accepted + duplicates +
// rejected.
func (r *Reader) Counts() onemin.Counts { return r.counts }

// Encoding returns the input's character encoding, once the reader has
// started (detected, under [EncodingAuto]).
func (r *Reader) Encoding() Encoding { return r.encoding }

// Format returns the input's format, once the reader has started.
func (r *Reader) Format() Format { return r.format }

// Layout returns the input's layout: for CSV as named by the header (read
// on the first call if need be), for JSON Lines that of the first row.
func (r *Reader) Layout() Layout {
	if !r.started && r.err == nil {
		if err := r.start(); err != nil {
			r.err = err
		}
	}
	return r.layout
}

// Ignored returns the CSV header's unknown columns, which the reader skips
// (see [Options.StrictColumns]).
func (r *Reader) Ignored() []string { return slices.Clone(r.ignored) }

// emit turns a row into its events: it counts the row, checks it, sets
// *e, which is the zero Event, to its first event and queues the others
// of a lead. The event is built in place, as it is large.
func (r *Reader) emit(v *row, line int, e *onemin.Event) error {
	r.counts.Read++
	layout := r.layout
	if r.format == FormatJSONLines {
		layout = jsonLayout(v)
		if r.layout == LayoutUnknown {
			r.layout = layout
		}
	}
	switch layout {
	case LayoutEvents:
		if bad := r.decodeEvent(v, line, e); bad != nil {
			r.counts.Rejected++
			return bad
		}
		return r.admit(e.Tenant, e.ID, "event_id", line)
	case LayoutLeads:
		n, bad := r.decodeLead(v, line, &r.leadBuf)
		if bad != nil {
			r.counts.Rejected++
			return bad
		}
		if err := r.admit(r.leadBuf[0].Tenant, v[colLeadID], "lead_id", line); err != nil {
			return err
		}
		r.pending = r.leadBuf[1:n]
		*e = r.leadBuf[0]
		return nil
	}
	r.counts.Rejected++
	return rowError(line, "", "", "neither an event (kind, at) nor a lead (lead_id, received_at)", onemin.ErrMissing)
}

// admit counts a valid row as accepted, or as a duplicate (and returns
// its error) when its key was seen before.
func (r *Reader) admit(tenant, key, field string, line int) error {
	if why := r.seen.check(tenant, key, r.opt.Name, line); why != "" {
		r.counts.Duplicates++
		return rowError(line, key, field, why, onemin.ErrDuplicate)
	}
	r.counts.Accepted++
	return nil
}

// start detects the format and, for CSV, reads the header.
func (r *Reader) start() error {
	r.started = true
	bom := false
	if b, _ := r.br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		r.br.Discard(3)
		bom = true
	}
	head, err := r.br.Peek(r.br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fmt.Errorf("csvio: %w", err)
	}
	enc := r.opt.Encoding
	if enc == EncodingAuto {
		enc = EncodingUTF8
		if !bom && !looksUTF8(head, err == bufio.ErrBufferFull) {
			enc = EncodingWindows1251
		}
	}
	r.encoding = enc
	if enc == EncodingWindows1251 {
		r.br = bufio.NewReaderSize(&win1251Reader{r: r.br}, 64<<10)
		if head, err = r.br.Peek(r.br.Size()); err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return fmt.Errorf("csvio: %w", err)
		}
	}
	r.format = r.opt.Format
	if r.format == FormatUnknown {
		r.format = FormatCSV
		if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 && t[0] == '{' {
			r.format = FormatJSONLines
		}
	}
	if r.format == FormatJSONLines {
		return nil
	}
	return r.startCSV(head)
}

// detectComma picks the separator that occurs most in the first line,
// outside quotes: ',' unless ';' or '\t' is more frequent.
func detectComma(head []byte) rune {
	var n [3]int
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		switch c {
		case '\n':
			goto done
		case ',':
			n[0]++
		case ';':
			n[1]++
		case '\t':
			n[2]++
		}
	}
done:
	switch {
	case n[1] > n[0] && n[1] >= n[2]:
		return ';'
	case n[2] > n[0] && n[2] > n[1]:
		return '\t'
	}
	return ','
}

func (r *Reader) startCSV(head []byte) error {
	comma := r.opt.Comma
	if comma == 0 {
		comma = detectComma(head)
	}
	if comma <= 0 || comma >= utf8.RuneSelf || comma == '"' || comma == '\r' || comma == '\n' {
		return fmt.Errorf("csvio: separator %q: want an ASCII character other than a quote or a line break", comma)
	}
	r.cr = &recordReader{br: r.br, comma: byte(comma), max: r.opt.MaxLineBytes}
	header, _, err := r.cr.read()
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		return fmt.Errorf("csvio: header: %w", err)
	}
	has := func(c column) bool {
		for _, h := range header {
			if lookupColumn(h) == c {
				return true
			}
		}
		return false
	}
	switch {
	case has(colKind) || has(colAt):
		r.layout = LayoutEvents
	case has(colLeadID) || has(colReceivedAt):
		r.layout = LayoutLeads
	default:
		return fmt.Errorf("csvio: header %q names neither the event layout (kind, at, …) nor the lead layout (lead_id, received_at, …)",
			strings.Join(header, string(comma)))
	}
	r.cols = make([]column, len(header))
	var got [columnCount]bool
	for i, h := range header {
		c := lookupColumn(h)
		if c != colNone && !inLayout(c, r.layout) {
			c = colNone
		}
		if c == colNone {
			if r.opt.StrictColumns {
				return fmt.Errorf("csvio: header: unknown column %q in the %s layout", h, r.layout)
			}
			r.ignored = append(r.ignored, strings.Clone(h))
			continue
		}
		if got[c] {
			return fmt.Errorf("csvio: header: column %q appears twice", columnNames[c])
		}
		got[c] = true
		r.cols[i] = c
	}
	required := []column{colKind, colAt}
	if r.layout == LayoutLeads {
		required = []column{colLeadID, colReceivedAt}
	}
	for _, c := range required {
		if !got[c] {
			return fmt.Errorf("csvio: header: the %s layout needs a column %q", r.layout, columnNames[c])
		}
	}
	return nil
}

// readCSV reads the next record into v and returns its line.
func (r *Reader) readCSV(v *row) (int, error) {
	s, ends, line, err := r.cr.record()
	if err == io.EOF {
		return 0, io.EOF
	}
	if bad, ok := err.(*errRecord); ok {
		return 0, bad.asRowError()
	}
	if err != nil {
		return 0, err
	}
	if len(ends) != len(r.cols) {
		return 0, rowError(line, "", "", fmt.Sprintf("the row has %d fields, the header %d", len(ends), len(r.cols)), onemin.ErrInvalid)
	}
	// An unknown column's field goes to v[colNone], which nothing reads,
	// so that the loop needs no test of the column; it calls nothing,
	// and keeps its values in registers. Trimming, rarely needed, is a
	// second pass.
	cols := r.cols[:len(ends)]
	from, trim := 0, false
	for i, end := range ends {
		f := s[from:end]
		trim = trim || mayTrim(f)
		v[cols[i]] = f
		from = end + 1
	}
	if trim {
		for c := range v {
			v[c] = strings.TrimSpace(v[c])
		}
	}
	return line, nil
}

// maybeSpace marks the bytes a field may start or end with when
// [strings.TrimSpace] would change it: ASCII white space, and every byte
// of a multi-byte character, which may be a Unicode space.
var maybeSpace = func() (t [256]bool) {
	for _, c := range []byte("\t\n\v\f\r ") {
		t[c] = true
	}
	for c := utf8.RuneSelf; c < len(t); c++ {
		t[c] = true
	}
	return t
}()

// mayTrim reports whether [strings.TrimSpace] may change f. Most fields
// neither start nor end with a byte that may be space, and are taken as
// they are without a call.
func mayTrim(f string) bool {
	return f != "" && (maybeSpace[f[0]] || maybeSpace[f[len(f)-1]])
}

// ReadAll reads every event of r. The events come back ordered by time
// (stably, so events at the same instant keep their order in the file); a
// fatal error returns what was read before it along with the error.
func ReadAll(r io.Reader, opt Options) (*Result, error) {
	rd := NewReader(r, opt)
	res := new(Result)
	var fatal error
	for e, err := range rd.All() {
		if err == nil {
			res.Events = append(res.Events, e)
			continue
		}
		var ve *onemin.ValidationError
		if errors.As(err, &ve) {
			res.Rejected = append(res.Rejected, ve)
			continue
		}
		fatal = err
	}
	onemin.SortByTime(res.Events)
	res.Counts, res.Layout, res.Format, res.Encoding, res.Ignored = rd.Counts(), rd.layout, rd.format, rd.encoding, rd.ignored
	return res, fatal
}

// Result is everything [ReadAll] read.
type Result struct {
	// Events are the accepted events, ordered by time.
	Events []onemin.Event
	// Counts are of rows: Read = Accepted + Duplicates + Rejected.
	Counts onemin.Counts
	// Rejected names every rejected and duplicate row, in file order.
	Rejected []*onemin.ValidationError
	// Layout, Format and Encoding are what the reader found.
	Layout   Layout
	Format   Format
	Encoding Encoding
	// Ignored lists the CSV header's unknown columns.
	Ignored []string
}

package csvio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"unicode/utf8"

	"github.com/onemin/onemin"
)

// recordReader splits CSV into records (RFC 4180: fields may be quoted,
// a quoted field may hold the separator, doubled quotes and line breaks).
// It is the reader's hot path: a row costs one allocation (the row's
// text, which its fields share), where encoding/csv copies every row
// twice. It counts physical lines, so errors name the line a
// record starts on.
type recordReader struct {
	br    *bufio.Reader
	comma byte
	max   int // longest record, in bytes
	line  int // physical lines consumed

	rec  []string
	buf  []byte // a quoted record's fields, unquoted, each after a separator
	ends []int  // where each field of the current record ends
	long []byte // a line longer than br's buffer
}

// errNotText says a row is not valid text in the input's encoding.
const errNotText = "not valid UTF-8 text (is the file in another encoding? save it as UTF-8)"

// errRecord is a malformed record: the reader can go on at the next line.
type errRecord struct {
	line   int
	reason string
}

// readLine returns the next physical line without its line ending, and
// false at the end of the input.
func (rr *recordReader) readLine() ([]byte, bool, error) {
	b, err := rr.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		rr.long = append(rr.long[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = rr.br.ReadSlice('\n')
			if len(rr.long) <= rr.max {
				rr.long = append(rr.long, b...)
			}
		}
		b = rr.long
	}
	if err != nil && err != io.EOF {
		return nil, false, fmt.Errorf("csvio: %w", err)
	}
	if len(b) == 0 && err == io.EOF {
		return nil, false, nil
	}
	rr.line++
	n := len(b)
	if n > 0 && b[n-1] == '\n' {
		n--
		if n > 0 && b[n-1] == '\r' {
			n--
		}
	}
	return b[:n], true, nil
}

// read returns the fields of the next record that is not blank, and the
// line it starts on. It returns io.EOF at the end, an *errRecord for a
// malformed record, and any other error for unreadable input. The fields
// are valid until the next call.
func (rr *recordReader) read() ([]string, int, error) {
	s, ends, start, err := rr.record()
	if err != nil {
		return nil, start, err
	}
	rr.rec = rr.rec[:0]
	from := 0
	for _, end := range ends {
		rr.rec = append(rr.rec, s[from:end])
		from = end + 1
	}
	return rr.rec, start, nil
}

// record reads the next record that is not blank, as read does, and
// returns its text and where each field ends in it: field i is
// s[ends[i-1]+1:ends[i]] (s[:ends[0]] for the first), unquoted. The
// text is the record's one allocation, which its fields share; ends is
// valid until the next call.
func (rr *recordReader) record() (s string, ends []int, start int, err error) {
	var line []byte
	for {
		b, ok, err := rr.readLine()
		if err != nil {
			return "", nil, 0, err
		}
		if !ok {
			return "", nil, 0, io.EOF
		}
		if !rr.blank(b) {
			line = b
			break
		}
	}
	start = rr.line
	if len(line) > rr.max {
		return "", nil, start, &errRecord{start, fmt.Sprintf("the row is longer than %d bytes", rr.max)}
	}
	if !utf8.Valid(line) {
		return "", nil, start, &errRecord{start, errNotText}
	}
	if bytes.IndexByte(line, '"') < 0 {
		rr.ends = splitUnquoted(rr.ends[:0], line, rr.comma)
		return string(line), rr.ends, start, nil
	}
	return rr.readQuoted(line, start)
}

// splitUnquoted appends to ends the index in b of every separator, and
// then len(b): the ends of b's fields when b has no quotes. It looks at
// eight bytes at a time, finding the separators among them with integer
// arithmetic, which is faster than a call per field on rows of many short
// fields.
func splitUnquoted(ends []int, b []byte, comma byte) []int {
	const (
		ones = 0x0101010101010101
		low7 = 0x7f7f7f7f7f7f7f7f
	)
	pattern := ones * uint64(comma)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:]) ^ pattern // a zero byte where b has the separator
		// The top bit of each byte of x that is zero, and no other bit:
		// adding 0x7f to the low seven bits carries into the top bit
		// unless they are zero, and never into the next byte.
		m := ^((x&low7 + low7) | x | low7)
		for m != 0 {
			ends = append(ends, i+bits.TrailingZeros64(m)/8)
			m &= m - 1
		}
	}
	for ; i < len(b); i++ {
		if b[i] == comma {
			ends = append(ends, i)
		}
	}
	return append(ends, len(b))
}

// blank reports whether a line holds nothing but spaces (and tabs, unless
// the tab is the separator): such a line is no record.
func (rr *recordReader) blank(b []byte) bool {
	for _, c := range b {
		if c == rr.comma || (c != ' ' && c != '\t' && c != '\r') {
			return false
		}
	}
	return true
}

// readQuoted parses a record with quotes, reading further lines while a
// quoted field is open.
func (rr *recordReader) readQuoted(line []byte, start int) (string, []int, int, error) {
	rr.buf, rr.ends = rr.buf[:0], rr.ends[:0]
	bad := func(reason string) (string, []int, int, error) {
		return "", nil, start, &errRecord{start, reason}
	}
	i := 0
	for {
		// At the start of a field.
		if i < len(line) && line[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					// The field goes on past this line.
					rr.buf = append(rr.buf, line[i:]...)
					rr.buf = append(rr.buf, '\n')
					if len(rr.buf) > rr.max {
						return bad(fmt.Sprintf("a quoted field runs past %d bytes: is a quote left open?", rr.max))
					}
					next, ok, err := rr.readLine()
					if err != nil {
						return "", nil, start, err
					}
					if !ok {
						return bad(fmt.Sprintf("a quoted field opened on line %d is never closed", start))
					}
					if !utf8.Valid(next) {
						return bad(fmt.Sprintf("line %d: %s", rr.line, errNotText))
					}
					line, i = next, 0
					continue
				}
				rr.buf = append(rr.buf, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' { // a doubled quote
					rr.buf = append(rr.buf, '"')
					i++
					continue
				}
				break
			}
			switch {
			case i == len(line):
				rr.ends = append(rr.ends, len(rr.buf))
				return string(rr.buf), rr.ends, start, nil
			case line[i] == rr.comma:
				rr.ends = append(rr.ends, len(rr.buf))
				rr.buf = append(rr.buf, rr.comma)
				i++
				continue
			}
			return bad(fmt.Sprintf("line %d: a closing quote is followed by %q, not the separator", rr.line, line[i]))
		}
		// An unquoted field: up to the separator; a quote in it is an error.
		j := bytes.IndexByte(line[i:], rr.comma)
		end := len(line)
		if j >= 0 {
			end = i + j
		}
		if bytes.IndexByte(line[i:end], '"') >= 0 {
			return bad(fmt.Sprintf("line %d: a quote inside an unquoted field (quote the whole field and double the quote)", rr.line))
		}
		rr.buf = append(rr.buf, line[i:end]...)
		rr.ends = append(rr.ends, len(rr.buf))
		if j < 0 {
			return string(rr.buf), rr.ends, start, nil
		}
		rr.buf = append(rr.buf, rr.comma)
		i = end + 1
	}
}

// asRowError turns a malformed record into the row's rejection.
func (e *errRecord) asRowError() *onemin.ValidationError {
	return rowError(e.line, "", "", "malformed CSV: "+e.reason, onemin.ErrInvalid)
}

func (e *errRecord) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.reason) }

package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// readRecords reads every record with recordReader, recording the start
// line of each and the lines of malformed ones.
func readRecords(data []byte, comma byte, max int) (recs [][]string, lines, bad []int, err error) {
	rr := &recordReader{br: bufio.NewReaderSize(bytes.NewReader(data), 16), comma: comma, max: max}
	for {
		rec, line, err := rr.read()
		if err == io.EOF {
			return recs, lines, bad, nil
		}
		var er *errRecord
		if errors.As(err, &er) {
			bad = append(bad, er.line)
			continue
		}
		if err != nil {
			return recs, lines, bad, err
		}
		recs = append(recs, append([]string(nil), rec...))
		lines = append(lines, line)
	}
}

// TestRecordsMatchEncodingCSV checks the record splitter against
// encoding/csv, an independent implementation of RFC 4180: whatever
// encoding/csv writes, both read back the same; the tiny buffer makes
// lines span buffer refills.
func TestRecordsMatchEncodingCSV(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		comma := rapid.SampledFrom([]rune{',', ';', '\t'}).Draw(t, "comma")
		cols := rapid.IntRange(1, 5).Draw(t, "cols")
		n := rapid.IntRange(0, 20).Draw(t, "rows")
		field := rapid.OneOf(
			rapid.StringMatching(`[a-z0-9 ]{0,6}`),
			rapid.SampledFrom([]string{`"`, `a"b`, "x,y", "x;y", "x\ty", "two\nlines", "crlf\r\nin", "Анна", `""`, " lead"}),
		)
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Comma = comma
		w.UseCRLF = rapid.Bool().Draw(t, "crlf")
		for i := 0; i < n; i++ {
			rec := make([]string, cols)
			for j := range rec {
				rec[j] = field.Draw(t, "field")
			}
			if cols == 1 && strings.TrimSpace(rec[0]) == "" {
				continue // a blank line is no record, for either reader
			}
			w.Write(rec)
		}
		w.Flush()
		ref := csv.NewReader(bytes.NewReader(buf.Bytes()))
		ref.Comma = comma
		ref.FieldsPerRecord = -1
		refRecs, err := ref.ReadAll()
		if err != nil {
			t.Fatalf("encoding/csv: %v", err)
		}
		got, _, bad, err := readRecords(buf.Bytes(), byte(comma), 1<<20)
		if err != nil || len(bad) > 0 {
			t.Fatalf("recordReader: %v, malformed lines %v\n%q", err, bad, buf.String())
		}
		if diff := cmp.Diff(refRecs, got); diff != "" {
			t.Fatalf("encoding/csv vs recordReader (-ref +got):\n%s\ninput %q", diff, buf.String())
		}
	})
}

func TestRecordLinesAndErrors(t *testing.T) {
	tests := []struct {
		reason string
		in     string
		recs   [][]string
		lines  []int
		bad    []int
	}{
		{
			reason: "blank and whitespace-only lines are skipped but counted",
			in:     "a,b\n\n  \nc,d\r\n",
			recs:   [][]string{{"a", "b"}, {"c", "d"}},
			lines:  []int{1, 4},
		},
		{
			reason: "a quoted field over three lines: the next record is on line 4",
			in:     "\"x\ny\nz\",1\nq,2\n",
			recs:   [][]string{{"x\ny\nz", "1"}, {"q", "2"}},
			lines:  []int{1, 4},
		},
		{
			reason: "a bare quote rejects its line only",
			in:     "a,b\"c\nd,e\n",
			recs:   [][]string{{"d", "e"}},
			lines:  []int{2},
			bad:    []int{1},
		},
		{
			reason: "text after a closing quote rejects its line only",
			in:     "\"a\"b,c\nd,e\n",
			recs:   [][]string{{"d", "e"}},
			lines:  []int{2},
			bad:    []int{1},
		},
		{
			reason: "a quote never closed swallows the rest and is one error",
			in:     "a,b\n\"open,c\nd,e\n",
			recs:   [][]string{{"a", "b"}},
			lines:  []int{1},
			bad:    []int{2},
		},
		{
			reason: "empty fields and a trailing separator",
			in:     ",,\n\"\",x,\n",
			recs:   [][]string{{"", "", ""}, {"", "x", ""}},
			lines:  []int{1, 2},
		},
		{
			reason: "no final line break",
			in:     "a,b",
			recs:   [][]string{{"a", "b"}},
			lines:  []int{1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			recs, lines, bad, err := readRecords([]byte(tt.in), ',', 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.recs, recs); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.lines, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.bad, bad); diff != "" {
				t.Errorf("malformed lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecordTooLong(t *testing.T) {
	// A line over the limit is rejected and the next one read.
	in := "a,b\n" + strings.Repeat("x", 100) + ",y\nc,d\n"
	recs, lines, bad, err := readRecords([]byte(in), ',', 50)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"a", "b"}, {"c", "d"}}, recs); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1, 3}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2}, bad); diff != "" {
		t.Errorf("malformed lines (-want +got):\n%s", diff)
	}
	// A quote left open does not take the rest of a big file into memory:
	// the record is given up at the limit, rejected on the line it
	// started, and reading goes on from there.
	in = "a,b\n\"open," + strings.Repeat("z\n", 60)
	_, _, bad, err = readRecords([]byte(in), ',', 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) == 0 || bad[0] != 2 {
		t.Errorf("malformed lines = %v, want line 2 first", bad)
	}
}

// FuzzRecords compares the splitter with encoding/csv on arbitrary input:
// where encoding/csv reads the whole input without error, both give the
// same records (blank-looking lines and lone carriage returns aside, which
// the two treat differently on purpose or by history, and input that is
// not UTF-8, which encoding/csv passes on and the splitter rejects).
func FuzzRecords(f *testing.F) {
	for _, s := range []string{"a,b\nc,d\n", "\"x\ny\",z\n", "a,\"b\"\"c\"\n", ",,\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _, bad, err := readRecords(data, ',', 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.ContainsRune(data, '\r') || !utf8.Valid(data) {
			return
		}
		for _, l := range bytes.Split(data, []byte("\n")) {
			if len(l) > 0 && len(bytes.TrimSpace(l)) == 0 {
				return
			}
		}
		ref := csv.NewReader(bytes.NewReader(data))
		ref.FieldsPerRecord = -1
		want, refErr := ref.ReadAll()
		if refErr != nil {
			return
		}
		if len(bad) > 0 {
			t.Fatalf("encoding/csv reads %q, recordReader rejects lines %v", data, bad)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("(-encoding/csv +recordReader):\n%s\ninput %q", diff, data)
		}
	})
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/internal/sample"
)

// input is what a command reads: the accepted events (time-ordered), the counts and the rejected rows.
type input struct {
	Events   []onemin.Event
	Counts   onemin.Counts
	Rejected []*onemin.ValidationError
	Sample   bool // true when the embedded sample data was used

	// RejectedFile names the file of each of Rejected ("-" for standard
	// input, "sample" for the embedded data).
	RejectedFile []string
	// Notes are things worth telling the user that are not errors, such
	// as the columns a file has that no layout knows (they are ignored).
	Notes []string
}

// sampleData returns the embedded sample (a month of a salon) and its time
// zone; ok is false in a build without it. Tests may replace it.
var sampleData = func() (data io.Reader, loc *time.Location, ok bool) {
	return sample.Open(), sample.Location(), true
}

// loadInput reads files (none: the embedded sample; "-": stdin), CSV or JSON Lines, either layout, with loc for serial dates and zone-less times.
//
// An event repeated in several files is a duplicate. A file that cannot be
// opened or whose header names no layout is an error; a bad row is not: it
// is rejected, counted and listed.
func loadInput(files []string, stdin io.Reader, loc *time.Location) (input, error) {
	var in input
	// Events go straight into one slice as they are read: no file's
	// events are held twice.
	if err := streamInput(files, stdin, loc, &in, func(e onemin.Event) { in.Events = append(in.Events, e) }); err != nil {
		return in, err
	}
	onemin.SortByTime(in.Events)
	return in, nil
}

// streamInput reads files as loadInput does (none: the embedded sample;
// "-": standard input) but hands each accepted event to each as it is
// read instead of keeping it; in gets the counts, rejected rows and notes.
// The events are in the files' order.
func streamInput(files []string, stdin io.Reader, loc *time.Location, in *input, each func(onemin.Event)) error {
	var seen csvio.Seen
	read := func(name string, r io.Reader) error {
		rd := csvio.NewReader(r, csvio.Options{Location: loc, Seen: &seen, Name: name})
		for {
			e, err := rd.Next()
			if err == io.EOF {
				break
			}
			var ve *onemin.ValidationError
			switch {
			case err == nil:
				each(e)
			case csvio.IsRowError(err) && errors.As(err, &ve):
				in.Rejected = append(in.Rejected, ve)
				in.RejectedFile = append(in.RejectedFile, name)
			default:
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		in.Counts = in.Counts.Add(rd.Counts())
		if rd.Encoding() == csvio.EncodingWindows1251 {
			in.Notes = append(in.Notes, name+": not UTF-8; read as Windows-1251")
		}
		if ig := rd.Ignored(); len(ig) > 0 {
			in.Notes = append(in.Notes, fmt.Sprintf("%s: ignored unknown columns: %s", name, strings.Join(ig, ", ")))
		}
		return nil
	}
	if len(files) == 0 {
		data, _, ok := sampleData()
		if !ok {
			return errors.New("no input: name a CSV or JSON Lines file, or - for standard input")
		}
		in.Sample = true
		return read("sample", data)
	}
	for _, name := range files {
		if name == "-" {
			if err := read("-", stdin); err != nil {
				return err
			}
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = read(name, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// reportRejected lists the rejected and duplicate rows on stderr, one per
// line as "FILE:LINE: field F: reason", then the notes, and returns the
// exit status they call for: 1 when a row was rejected and allowRejects is
// false, else 0. Duplicates are listed but never fail the run: dropping a
// repeated event is what idempotency asks.
func (in *input) reportRejected(stderr io.Writer, allowRejects bool) int {
	for i, ve := range in.Rejected {
		file := ""
		if i < len(in.RejectedFile) {
			file = in.RejectedFile[i]
		}
		kind := "rejected"
		if errors.Is(ve, onemin.ErrDuplicate) {
			kind = "duplicate"
		}
		fmt.Fprintf(stderr, "%s:%d: %s: %s\n", file, ve.Line, kind, rowMessage(ve))
	}
	for _, n := range in.Notes {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	if in.Counts.Rejected == 0 {
		return 0
	}
	if allowRejects {
		fmt.Fprintf(stderr, "%d of %d rows rejected; going on without them (--allow-rejects)\n", in.Counts.Rejected, in.Counts.Read)
		return 0
	}
	fmt.Fprintf(stderr, "%d of %d rows rejected; fix them, or pass --allow-rejects to accept the rest\n", in.Counts.Rejected, in.Counts.Read)
	return 1
}

// rejectedRows lists the rejected rows (not the duplicates, which are
// counted in rows.duplicates) for the JSON output.
func rejectedRows(in *input) []rejectedRow {
	out := []rejectedRow{}
	for i, ve := range in.Rejected {
		if errors.Is(ve, onemin.ErrDuplicate) {
			continue
		}
		file := ""
		if i < len(in.RejectedFile) {
			file = in.RejectedFile[i]
		}
		out = append(out, rejectedRow{File: file, Line: ve.Line, Field: ve.Field, Error: ve.Reason})
	}
	return out
}

// rowMessage is a row error without its line, which the caller prints
// with the file name.
func rowMessage(ve *onemin.ValidationError) string {
	c := *ve
	c.Line = 0
	return c.Error()
}

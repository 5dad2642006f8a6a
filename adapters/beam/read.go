package onebeam

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths work out of the box
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
)

func init() {
	beam.RegisterType(reflect.TypeFor[Reject]())
	beam.RegisterType(reflect.TypeFor[onemin.Counts]())
	register.DoFn5x1[context.Context, fileio.ReadableFile, func(string, []byte), func(Reject), func(onemin.Counts), error](&readFileFn{})
	register.Emitter2[string, []byte]()
	register.Emitter1[Reject]()
	register.Emitter1[onemin.Counts]()
	register.DoFn5x1[context.Context, string, func(*[]byte) bool, func(onemin.Event), func(Reject), error](&keepFirstFn{})
	register.Emitter1[onemin.Event]()
	register.Iter1[[]byte]()
	register.Function1x1(duplicateCounts)
	register.Function2x1(addCounts)
}

// Reject is a row that did not become an event: a row that failed to parse
// or validate, or a duplicate of an event already read. It is a plain
// value.
type Reject struct {
	// File is the path of the file and Line the row's line in it (the
	// header is line 1). For a duplicate of an event in another file,
	// found after the files were read, Line is the row's ordinal among
	// the file's rows instead (the first row after the header is 1).
	File string `json:"file"`
	Line int    `json:"line"`
	// EventID is the row's event_id (or lead_id), when it has one.
	EventID string `json:"event_id,omitempty"`
	// Field names the field at fault ("at", "kind", …; "event_id" for a
	// duplicate) and Reason says what is wrong with it.
	Field  string `json:"field"`
	Reason string `json:"error"`
	// Duplicate is true for a row dropped because it repeats an event:
	// counted in Counts.Duplicates, not in Counts.Rejected.
	Duplicate bool `json:"duplicate,omitempty"`
}

// ReadOptions configure [ReadFiles]. The zero ReadOptions read CSV or JSON
// Lines (told apart by the content), in the event layout or one row per
// lead, and accept only times that carry their own offset.
type ReadOptions struct {
	// TimeZone is the IANA name of the zone of times written without an
	// offset and of spreadsheet serial dates ([csvio.Options.Location]);
	// empty means such times are rejected, never guessed.
	TimeZone string
	// Format forces the files' format: "csv" or "jsonl"; empty detects it
	// from each file's first byte.
	Format string
}

// Input is what [ReadFiles] returns: three PCollections.
type Input struct {
	// Events holds every accepted event (onemin.Event), normalized,
	// validated and de-duplicated across all the files.
	Events beam.PCollection
	// Rejects holds a [Reject] for every rejected and every duplicate
	// row: nothing is dropped silently.
	Rejects beam.PCollection
	// Counts holds one onemin.Counts for all the files: read = accepted +
	// duplicates + rejected.
	Counts beam.PCollection
}

// The Beam metrics of reading, in the namespace "onemin": rows read,
// accepted, rejected and dropped as duplicates. Their values equal the
// fields of the Counts that [ReadFiles] returns.
const (
	metricsNamespace = "onemin"
	MetricRowsRead   = "rows_read"
	MetricAccepted   = "rows_accepted"
	MetricRejected   = "rows_rejected"
	MetricDuplicates = "rows_duplicate"
)

var (
	rowsRead   = beam.NewCounter(metricsNamespace, MetricRowsRead)
	accepted   = beam.NewCounter(metricsNamespace, MetricAccepted)
	rejected   = beam.NewCounter(metricsNamespace, MetricRejected)
	duplicates = beam.NewCounter(metricsNamespace, MetricDuplicates)
)

// ReadFiles reads the events of every file that glob matches (on any file
// system the pipeline has registered: local, gs://, s3://, …; gzip files
// are decompressed). Each file is one shard, read whole by one worker
// through [csvio.Reader], so a file has one header and its own layout.
//
// An event repeated across files (same tenant and event_id) is kept once:
// the copy from the first file in path order, at its first line, as a
// single reader of the files in path order keeps it. Across files the
// duplicates are counted per event, so a lead-layout row whose three events
// all repeat counts three (within a file csvio counts rows).
//
// A file that cannot be read, or whose header names no layout, fails the
// pipeline with its path, as the single-machine reader fails.
func ReadFiles(s beam.Scope, glob string, opts ReadOptions) Input {
	s = s.Scope("onebeam.ReadFiles")
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow()))
	return ReadMatches(s, files, opts)
}

// ReadMatches is [ReadFiles] for a PCollection of [fileio.ReadableFile]
// the caller has matched.
func ReadMatches(s beam.Scope, files beam.PCollection, opts ReadOptions) Input {
	s = s.Scope("onebeam.ReadMatches")
	rows, rejects, counts := beam.ParDo3(s, &readFileFn{TimeZone: opts.TimeZone, Format: opts.Format}, files)
	events, dups := beam.ParDo2(s, &keepFirstFn{}, beam.GroupByKey(s, rows))
	dupCounts := beam.ParDo(s, duplicateCounts, dups)
	zero := beam.Create(s, onemin.Counts{})
	total := beam.Combine(s, addCounts, beam.Flatten(s, zero, counts, dupCounts))
	return Input{Events: events, Rejects: beam.Flatten(s, rejects, dups), Counts: total}
}

func addCounts(a, b onemin.Counts) onemin.Counts { return a.Add(b) }

// duplicateCounts moves one event found again in another file from
// accepted to duplicates.
func duplicateCounts(Reject) onemin.Counts { return onemin.Counts{Accepted: -1, Duplicates: 1} }

// readFileFn reads one file with csvio and emits its accepted events keyed
// for de-duplication, its rejected rows and its counts.
type readFileFn struct {
	TimeZone string
	Format   string

	loc    *time.Location
	format csvio.Format
}

func (fn *readFileFn) Setup() error {
	if fn.TimeZone != "" {
		loc, err := time.LoadLocation(fn.TimeZone)
		if err != nil {
			return fmt.Errorf("onebeam: time zone: %w", err)
		}
		fn.loc = loc
	}
	if fn.Format != "" {
		f, err := csvio.ParseFormat(fn.Format)
		if err != nil {
			return fmt.Errorf("onebeam: format: %w", err)
		}
		fn.format = f
	}
	return nil
}

func (fn *readFileFn) ProcessElement(ctx context.Context, f fileio.ReadableFile, emit func(string, []byte),
	emitReject func(Reject), emitCounts func(onemin.Counts)) error {
	path := f.Metadata.Path
	rc, err := f.Open(ctx)
	if err != nil {
		return fmt.Errorf("onebeam: %s: %w", path, err)
	}
	defer rc.Close()
	r := csvio.NewReader(rc, csvio.Options{Location: fn.loc, Format: fn.format, Name: path})
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		var ve *onemin.ValidationError
		switch {
		case err == nil:
		case errors.As(err, &ve) && csvio.IsRowError(err):
			emitReject(Reject{File: path, Line: ve.Line, EventID: ve.EventID, Field: ve.Field, Reason: ve.Reason,
				Duplicate: errors.Is(ve, onemin.ErrDuplicate)})
			continue
		default:
			return fmt.Errorf("onebeam: %s: %w", path, err)
		}
		row := r.Counts().Read // this row's ordinal in the file
		key := e.Tenant + "\x00" + e.ID
		if e.ID == "" {
			// Never a duplicate: a key of its own.
			key = fmt.Sprintf("\x01%s\x00%d", path, row)
		}
		emit(key, encodeLocated(&located{File: path, Line: row, Event: e}))
	}
	c := r.Counts()
	rowsRead.Inc(ctx, int64(c.Read))
	accepted.Inc(ctx, int64(c.Accepted))
	rejected.Inc(ctx, int64(c.Rejected))
	duplicates.Inc(ctx, int64(c.Duplicates))
	emitCounts(c)
	return nil
}

// keepFirstFn keeps, of the copies of one event, the one first in (file,
// line) order and reports the others as duplicates.
type keepFirstFn struct{}

func (fn *keepFirstFn) ProcessElement(ctx context.Context, _ string, copies func(*[]byte) bool,
	emit func(onemin.Event), emitDup func(Reject)) error {
	var (
		first located
		n     int
		rest  []located
		data  []byte
	)
	for copies(&data) {
		l, err := decodeLocated(data)
		if err != nil {
			return err
		}
		if n > 0 && compareLocated(&l, &first) < 0 {
			l, first = first, l
		}
		if n > 0 {
			rest = append(rest, l)
		} else {
			first = l
		}
		n++
	}
	if n == 0 {
		return nil
	}
	emit(first.Event)
	for _, l := range rest {
		duplicates.Inc(ctx, 1)
		accepted.Inc(ctx, -1)
		emitDup(Reject{File: l.File, Line: l.Line, EventID: l.Event.ID, Field: "event_id",
			Reason: fmt.Sprintf("repeats row %d of %s", first.Line, first.File), Duplicate: true})
	}
	return nil
}

func compareLocated(a, b *located) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
}

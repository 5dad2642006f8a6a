package onebeam

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
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
	register.DoFn5x1[context.Context, fileio.ReadableFile, func(int, []byte), func(Reject), func(onemin.Counts), error](&readFileFn{})
	register.Emitter2[int, []byte]()
	register.Emitter1[Reject]()
	register.Emitter1[onemin.Counts]()
	register.DoFn5x1[context.Context, int, func(*[]byte) bool, func(Batch), func(Reject), error](&keepFirstFn{})
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
	// Shards is the number of shards of (tenant, event_id) that
	// de-duplication works on; zero means [DefaultShards]. A worker holds
	// one shard's events at a time, about events / Shards of them (some
	// 300 bytes each), so raise it with the input: 64 suits ten million
	// events, a billion wants a few thousand. The result does not depend
	// on it.
	Shards int
}

// Input is what [ReadFiles] returns: three PCollections.
type Input struct {
	// Events holds every accepted event, normalized, validated and
	// de-duplicated across all the files, in batches: a PCollection of
	// [Batch]. [KPI], [Funnel] and [AttributionPaths] take it as it is;
	// [Events] turns it into one element per onemin.Event.
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
	rows, rejects, counts := beam.ParDo3(s, &readFileFn{TimeZone: opts.TimeZone, Format: opts.Format,
		Shards: shards(opts.Shards)}, files)
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

// readFileFn reads one file with csvio and emits its accepted events in
// batches keyed by their shard of (tenant, event_id), its rejected rows
// and its counts.
type readFileFn struct {
	TimeZone string
	Format   string
	Shards   int

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

func (fn *readFileFn) ProcessElement(ctx context.Context, f fileio.ReadableFile, emit func(int, []byte),
	emitReject func(Reject), emitCounts func(onemin.Counts)) error {
	path := f.Metadata.Path
	rc, err := f.Open(ctx)
	if err != nil {
		return fmt.Errorf("onebeam: %s: %w", path, err)
	}
	defer rc.Close()
	r := csvio.NewReader(rc, csvio.Options{Location: fn.loc, Format: fn.format, Name: path})
	batches := make([]locatedBatch, fn.Shards)
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
		sh := row % fn.Shards  // never a duplicate: any shard
		if e.ID != "" {
			sh = shardOf(fn.Shards, e.Tenant, e.ID)
		}
		b := &batches[sh]
		b.file = path
		if b.add(row, &e); b.n >= BatchSize {
			emit(sh, b.bytes())
		}
	}
	for sh := range batches {
		if b := &batches[sh]; b.n > 0 {
			emit(sh, b.bytes())
		}
	}
	c := r.Counts()
	rowsRead.Inc(ctx, int64(c.Read))
	accepted.Inc(ctx, int64(c.Accepted))
	rejected.Inc(ctx, int64(c.Rejected))
	duplicates.Inc(ctx, int64(c.Duplicates))
	emitCounts(c)
	return nil
}

// keepFirstFn de-duplicates the events of one shard of (tenant,
// event_id): of the copies of an event it keeps the one first in (file,
// line) order, emitted in batches, and reports the others as duplicates.
type keepFirstFn struct{}

func (fn *keepFirstFn) ProcessElement(ctx context.Context, _ int, batches func(*[]byte) bool,
	emit func(Batch), emitDup func(Reject)) error {
	var (
		all  []located
		data []byte
		err  error
	)
	for batches(&data) {
		if all, err = appendLocatedBatch(all, data); err != nil {
			return err
		}
	}
	// Copies side by side, first in (file, line) order first; events
	// without an id are never copies.
	order := make([]int32, len(all))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &all[i], &all[j]
		return cmp.Or(cmp.Compare(a.Event.Tenant, b.Event.Tenant), cmp.Compare(a.Event.ID, b.Event.ID),
			compareLocated(a, b))
	})
	out := make([]onemin.Event, 0, min(len(all), BatchSize))
	var first *located
	dups := 0
	for _, i := range order {
		l := &all[i]
		if first != nil && l.Event.ID != "" && l.Event.ID == first.Event.ID && l.Event.Tenant == first.Event.Tenant {
			dups++
			emitDup(Reject{File: l.File, Line: l.Line, EventID: l.Event.ID, Field: "event_id",
				Reason: fmt.Sprintf("repeats row %d of %s", first.Line, first.File), Duplicate: true})
			continue
		}
		first = l
		if out = append(out, l.Event); len(out) == BatchSize {
			emit(Batch{Events: out})
			out = make([]onemin.Event, 0, BatchSize)
		}
	}
	if len(out) > 0 {
		emit(Batch{Events: out})
	}
	duplicates.Inc(ctx, int64(dups))
	accepted.Inc(ctx, -int64(dups))
	return nil
}

func compareLocated(a, b *located) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
}

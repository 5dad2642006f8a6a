package onebeam

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/attribution"
	"github.com/shopspring/decimal"
)

func init() {
	beam.RegisterType(reflect.TypeFor[PathRow]())
	beam.RegisterType(reflect.TypeFor[PathStats]())
	register.DoFn4x1[int, func(*Batch) bool, func(string, PathRow), func(PathStats), error](&contactPathsFn{})
	register.Emitter2[string, PathRow]()
	register.Emitter1[PathStats]()
	register.Function2x2(addPathRows)
	register.Function2x1(dropKey)
	register.Function2x1(addPathStats)
}

// AttributionOptions configure [AttributionPaths]: they are the
// [attribution.PathOptions] of each contact's paths.
type AttributionOptions struct {
	Level      attribution.Level
	Lookback   time.Duration
	Conversion onemin.Kind
	// Shards is the number of shards of contacts that events are
	// shuffled into; zero means [DefaultShards]. A worker builds the
	// paths of one shard at a time, about events / Shards events. The
	// result does not depend on it.
	Shards int
}

// AttributionResult is what [AttributionPaths] returns.
type AttributionResult struct {
	// Paths holds a [PathRow] per distinct path: the path table.
	Paths beam.PCollection
	// Stats holds one [PathStats] for the whole input.
	Stats beam.PCollection
}

// PathRow is one row of the path table: the journeys along one sequence of
// touches, how many converted, their value and how many did not (the
// aggregated path format of [attribution.ReadPaths]). It is a plain value.
type PathRow struct {
	Channels    []string
	Conversions int64
	// Value is the total value of the conversions, exact: the decimal's
	// coefficient and exponent written "12345e-2".
	Value string
	Nulls int64
}

// PathStats account for the path table: the currency of its values, the
// conversions that name no contact, and a currency mix. It is a plain
// value.
type PathStats struct {
	// Currency is the currency of every value ("" when none carries
	// money).
	Currency string
	// NoContact counts conversion events that name no contact.
	NoContact int
	// Mix, when not empty, says which currencies were mixed: the table
	// cannot be attributed ([PathTable] fails with
	// attribution.ErrCurrencyMix).
	Mix string
}

// AttributionPaths builds the path table of events (a PCollection of
// [Batch] as [ReadFiles] gives them, or of onemin.Event; validated and
// de-duplicated): events are shuffled in batches by a shard of their
// contact (tenant and contact id), each shard's paths are built by
// [attribution.BuildPaths] (which builds each contact's from its own
// events) and aggregated ([attribution.Aggregate]), and the rows of the
// same path are summed across shards, shuffled by the path. Events at the
// same instant are taken in event-id order ([SortByTimeAndID]).
// [PathTable] turns the rows into the paths the models take; every model
// but time decay (which needs each journey's touch times) then gives the
// single-machine answer.
//
// It panics, as Beam transforms do on a bad construction, when events
// hold neither batches nor events.
func AttributionPaths(s beam.Scope, events beam.PCollection, opts AttributionOptions) AttributionResult {
	s = s.Scope("onebeam.AttributionPaths")
	if opts.Conversion == onemin.KindUnknown {
		opts.Conversion = onemin.Payment // BuildPaths' default, named so it travels
	}
	byContact := byShard(s, asBatches(s, events, "AttributionPaths"), byContact, opts.Shards)
	rows, stats := beam.ParDo2(s, &contactPathsFn{Options: opts}, byContact)
	table := beam.ParDo(s, dropKey, beam.CombinePerKey(s, addPathRows, rows))
	total := beam.Combine(s, addPathStats, beam.Flatten(s, beam.Create(s, PathStats{}), stats))
	return AttributionResult{Paths: table, Stats: total}
}

// SortByTimeAndID orders events by time, and events at the same instant
// by event id, then by kind. [attribution.BuildPaths] takes events at the
// same instant in the order it is given them; a pipeline has no such
// order, so [AttributionPaths] gives each contact's events to BuildPaths
// in this order: its paths are those of BuildPaths over events sorted so.
func SortByTimeAndID(events []onemin.Event) {
	sortEvents(events, func(a, b *onemin.Event) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Kind, b.Kind))
	})
}

// contactPathsFn builds the aggregated paths of the contacts of one
// shard.
type contactPathsFn struct {
	Options AttributionOptions

	buf []onemin.Event
}

func (fn *contactPathsFn) ProcessElement(_ int, batches func(*Batch) bool, emit func(string, PathRow),
	emitStats func(PathStats)) error {
	fn.buf = gather(fn.buf[:0], batches)
	defer clear(fn.buf)
	SortByTimeAndID(fn.buf)
	paths, err := attribution.BuildPaths(fn.buf, attribution.PathOptions{Level: fn.Options.Level,
		Lookback: fn.Options.Lookback, Conversion: fn.Options.Conversion})
	if errors.Is(err, attribution.ErrCurrencyMix) {
		emitStats(PathStats{Mix: err.Error()})
		return nil
	}
	if err != nil {
		return err
	}
	emitStats(PathStats{Currency: paths.Currency, NoContact: paths.NoContact})
	for _, p := range attribution.Aggregate(paths.Paths) {
		emit(pathKey(p.Channels), PathRow{Channels: p.Channels, Conversions: p.Conversions,
			Value: exactDecimal(p.Value), Nulls: p.Nulls})
	}
	return nil
}

// pathKey is a path's channels, each prefixed by its length, so that no
// two sequences share a key.
func pathKey(channels []string) string {
	var b strings.Builder
	for _, c := range channels {
		fmt.Fprintf(&b, "%d:%s", len(c), c)
	}
	return b.String()
}

// exactDecimal writes d as coefficient and exponent, keeping its scale
// (1.50 stays 150e-2), which decimal.NewFromString reads back.
func exactDecimal(d decimal.Decimal) string {
	return fmt.Sprintf("%se%d", d.Coefficient().String(), d.Exponent())
}

func addPathRows(a, b PathRow) (PathRow, error) {
	va, err := decimal.NewFromString(a.Value)
	if err != nil {
		return PathRow{}, fmt.Errorf("%w: path value %q", ErrCorrupt, a.Value)
	}
	vb, err := decimal.NewFromString(b.Value)
	if err != nil {
		return PathRow{}, fmt.Errorf("%w: path value %q", ErrCorrupt, b.Value)
	}
	return PathRow{Channels: a.Channels, Conversions: a.Conversions + b.Conversions,
		Value: exactDecimal(va.Add(vb)), Nulls: a.Nulls + b.Nulls}, nil
}

func dropKey(_ string, r PathRow) PathRow { return r }

func addPathStats(a, b PathStats) PathStats {
	out := PathStats{Currency: a.Currency, NoContact: a.NoContact + b.NoContact, Mix: cmp.Or(a.Mix, b.Mix)}
	switch {
	case out.Currency == "":
		out.Currency = b.Currency
	case b.Currency != "" && b.Currency != out.Currency && out.Mix == "":
		x, y := min(out.Currency, b.Currency), max(out.Currency, b.Currency)
		out.Mix = fmt.Sprintf("%v: %s and %s", attribution.ErrCurrencyMix, x, y)
	}
	return out
}

// PathTable turns the rows and stats of [AttributionPaths] into the paths
// the models of [attribution.Attribute] take, ordered by their channels,
// and the currency of their values. It fails with an error wrapping
// attribution.ErrCurrencyMix when the values mix currencies, as
// [attribution.BuildPaths] does.
func PathTable(rows []PathRow, stats PathStats) ([]attribution.Path, string, error) {
	if stats.Mix != "" {
		return nil, "", fmt.Errorf("%w (%s)", attribution.ErrCurrencyMix, stats.Mix)
	}
	paths := make([]attribution.Path, 0, len(rows))
	for _, r := range rows {
		v, err := decimal.NewFromString(r.Value)
		if err != nil {
			return nil, "", fmt.Errorf("%w: path value %q", ErrCorrupt, r.Value)
		}
		paths = append(paths, attribution.Path{Channels: slices.Clone(r.Channels), Conversions: r.Conversions,
			Value: v, Nulls: r.Nulls})
	}
	slices.SortFunc(paths, func(a, b attribution.Path) int { return slices.Compare(a.Channels, b.Channels) })
	return paths, stats.Currency, nil
}

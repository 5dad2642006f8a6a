package onebeam

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
)

func init() {
	beam.RegisterType(reflect.TypeFor[kpiDocumentFn]())
	register.DoFn6x1[int, func(*Cell) bool, func(*KPIStats) bool, func(*onemin.Counts) bool, func(*Reject) bool, func(string), error](&kpiDocumentFn{})
	register.Iter1[Cell]()
	register.Iter1[KPIStats]()
	register.Iter1[onemin.Counts]()
	register.Iter1[Reject]()
	register.Emitter1[string]()
}

// KPIDocument is the JSON document that "onemin kpi --format json"
// writes, key for key: [kpi.Document].
type KPIDocument = kpi.Document

// NewKPIDocument makes the document of a report, the counts of the rows
// read and the rejected rows (duplicates among them are left out, rejects
// ordered by file and line). business says the durations were measured in
// business hours, and timeZone names the zone of the report, whose AsOf
// is already in it.
func NewKPIDocument(rep *kpi.Report, counts onemin.Counts, rejects []Reject, business bool, timeZone string) KPIDocument {
	d := kpi.NewDocument(rep, &kpi.Options{Location: rep.AsOf.Location()})
	d.Rows, d.TimeZone = counts, timeZone
	if business {
		d.Clock = "business"
	}
	for _, r := range rejects {
		if !r.Duplicate {
			d.Rejected = append(d.Rejected, kpi.RejectedRow{File: r.File, Line: r.Line, Field: r.Field, Error: r.Reason})
		}
	}
	slices.SortStableFunc(d.Rejected, func(a, b kpi.RejectedRow) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return d
}

// WriteKPI writes the [KPIDocument] of a run to path (on any file system
// the pipeline has registered): the cells and stats of res rolled up by
// groupBy ([KPIReport]), with the counts and rejected rows of in. The
// whole document is made by one worker, so its size (the groups and the
// rejected rows) must fit in that worker's memory.
func WriteKPI(s beam.Scope, path string, in Input, res KPIResult, opts KPIOptions, groupBy []kpi.Dimension) {
	s = s.Scope("onebeam.WriteKPI")
	cfg, err := newKPIConfig(&opts)
	if err != nil {
		panic(err)
	}
	doc := beam.ParDo(s, &kpiDocumentFn{Config: cfg, GroupBy: groupBy},
		beam.CoGroupByKey(s, beam.AddFixedKey(s, res.Cells), beam.AddFixedKey(s, res.Stats),
			beam.AddFixedKey(s, in.Counts), beam.AddFixedKey(s, in.Rejects)))
	textio.Write(s, path, doc)
}

// kpiDocumentFn makes the document from everything gathered under one key.
type kpiDocumentFn struct {
	Config  kpiConfig
	GroupBy []kpi.Dimension
}

func (fn *kpiDocumentFn) ProcessElement(_ int, cells func(*Cell) bool, stats func(*KPIStats) bool,
	counts func(*onemin.Counts) bool, rejects func(*Reject) bool, emit func(string)) error {
	var (
		all  []Cell
		c    Cell
		st   KPIStats
		one  KPIStats
		rows onemin.Counts
		n    onemin.Counts
		bad  []Reject
		r    Reject
	)
	for cells(&c) {
		all = append(all, c)
	}
	for stats(&one) {
		st = addStats(st, one)
	}
	for counts(&n) {
		rows = rows.Add(n)
	}
	for rejects(&r) {
		bad = append(bad, r)
	}
	opts := fn.Config.kpiOptions()
	rep, err := KPIReport(all, st, opts, fn.GroupBy)
	if err != nil {
		return err
	}
	o, err := fn.Config.options()
	if err != nil {
		return err
	}
	doc := NewKPIDocument(&rep, rows, bad, opts.Hours != nil, o.Location.String())
	b, err := doc.Encode()
	if err != nil {
		return fmt.Errorf("onebeam: %w", err)
	}
	emit(string(bytes.TrimSuffix(b, []byte("\n"))))
	return nil
}

// kpiOptions turns the configuration back into the options it was made
// from.
func (c *kpiConfig) kpiOptions() KPIOptions {
	o := KPIOptions{Step: c.Step, Policy: c.Policy, Method: c.Method, SLA: kpi.SLA{Default: c.Default}, Hours: c.Hours,
		TimeZone: c.TimeZone, AsOf: c.AsOf, Thresholds: c.Thresholds, By: c.By}
	if len(c.Targets) > 0 {
		o.SLA.Targets = map[kpi.Scope]time.Duration{}
		for _, t := range c.Targets {
			o.SLA.Targets[kpi.Scope{Step: t.Step, Channel: t.Channel}] = t.Target
		}
	}
	return o
}

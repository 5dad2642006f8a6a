package onebeam

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
)

func init() {
	beam.RegisterType(reflect.TypeFor[Cell]())
	beam.RegisterType(reflect.TypeFor[KPIStats]())
	beam.RegisterCoder(reflect.TypeFor[*kpi.Accumulator](), encodeAccumulator, decodeAccumulator)
	register.Function2x0(latestInstant)
	register.Emitter1[int64]()
	register.Function2x1(maxInt64)
	register.DoFn6x1[context.Context, int, func(*Batch) bool, int64, func(string, []byte), func(KPIStats), error](&leadsFn{})
	register.Emitter1[KPIStats]()
	register.Combiner3[*kpi.Accumulator, []byte, []byte](&accumulatorFn{})
	register.Function2x2(toCell)
	register.Function2x1(addStats)
}

// Hours are business hours in a form that travels to the workers: the
// text of a [kpi.Calendar], which each worker builds with
// [kpi.NewCalendar].
type Hours struct {
	// TimeZone is the calendar's IANA zone; empty means UTC.
	TimeZone string
	// Week is the weekly schedule in the grammar of [kpi.ParseSchedule],
	// such as "mon-fri 09:00-18:00; sat 10:00-16:00".
	Week string
	// Holidays are closed dates, "2026-01-07" ([kpi.WithHolidays]).
	Holidays []string
	// WorkingDays open extra dates with their hours ([kpi.WithWorkingDays]).
	WorkingDays []WorkingDays
}

// WorkingDays are dates opened with the given hours, as
// [kpi.WithWorkingDays] takes them.
type WorkingDays struct {
	Hours string
	Dates []string
}

// Calendar builds the calendar the hours describe.
func (h *Hours) Calendar() (*kpi.Calendar, error) {
	loc, err := location(h.TimeZone)
	if err != nil {
		return nil, err
	}
	week, err := kpi.ParseSchedule(h.Week)
	if err != nil {
		return nil, err
	}
	opts := []kpi.CalendarOption{kpi.WithHolidays(h.Holidays...)}
	for _, w := range h.WorkingDays {
		opts = append(opts, kpi.WithWorkingDays(w.Hours, w.Dates...))
	}
	return kpi.NewCalendar(loc, week, opts...)
}

func location(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("onebeam: time zone: %w", err)
	}
	return loc, nil
}

// KPIOptions configure [KPI]. They mean what the fields of the same names
// mean on [kpi.Options]; the zero KPIOptions measure the first reply in
// calendar time against 60 s, as of the latest event, in UTC, with cells
// per tenant and day.
type KPIOptions struct {
	Step   kpi.Step
	Policy kpi.ReplyPolicy
	SLA    kpi.SLA
	// Hours, when set, measure every duration and deadline in business
	// hours; nil means calendar time.
	Hours *Hours
	// TimeZone is the IANA zone of the day (and hour and weekday) of each
	// lead; empty means the zone of Hours, else UTC.
	TimeZone string
	// AsOf is when outcomes are judged; zero means the latest event's
	// time over the whole input, found by a pass of its own.
	AsOf       time.Time
	Method     kpi.Method
	Thresholds kpi.Thresholds
	// By lists the dimensions of each cell besides tenant and day:
	// channel, agent, source, hour or weekday, in the order of
	// [Cell.Values].
	By []kpi.Dimension
	// Shards is the number of shards of leads that events are shuffled
	// into; zero means [DefaultShards]. A worker summarizes one shard at a
	// time, about events / Shards events. The result does not depend on
	// it.
	Shards int
}

// KPIResult is what [KPI] returns.
type KPIResult struct {
	// Cells holds a [Cell] per (tenant, day, values of By) with a lead.
	Cells beam.PCollection
	// Stats holds one [KPIStats] for the whole input.
	Stats beam.PCollection
}

// Cell is the summary of the leads of one tenant, day and value of each
// dimension of [KPIOptions.By], as a [kpi.Accumulator] in its binary form,
// so that cells merge into any coarser grouping exactly ([KPIReport]).
// It is a plain value.
type Cell struct {
	Tenant string
	// Day is the date the leads' step started, "2006-01-02" in the
	// options' zone.
	Day string
	// Values are the leads' values of the dimensions of KPIOptions.By,
	// in that order ("" for a lead without one).
	Values []string
	// Accumulator is the binary form of the cell's [kpi.Accumulator].
	Accumulator []byte
}

// Summary returns the cell's summary with percentiles by m and the
// status by t.
func (c *Cell) Summary(m kpi.Method, t kpi.Thresholds) (kpi.Summary, error) {
	var a kpi.Accumulator
	if err := a.UnmarshalBinary(c.Accumulator); err != nil {
		return kpi.Summary{}, err
	}
	return a.Summary(m, t), nil
}

// KPIStats account for the events of a [KPI] run, as the fields of the
// same names on [kpi.Report] do. It is a plain value.
type KPIStats struct {
	// AsOfUnixNano is the as-of time in Unix nanoseconds; HasAsOf is
	// false when there was none (no events and no KPIOptions.AsOf).
	AsOfUnixNano int64
	HasAsOf      bool
	Events       int
	AfterAsOf    int
	OutOfRange   int
	Unlinked     int
	Greetings    int
}

// kpiConfig is KPIOptions in the form a DoFn carries to the workers.
type kpiConfig struct {
	Step       kpi.Step
	Policy     kpi.ReplyPolicy
	Method     kpi.Method
	Default    time.Duration
	Targets    []slaTarget
	Hours      *Hours
	TimeZone   string
	AsOf       time.Time
	Thresholds kpi.Thresholds
	By         []kpi.Dimension
}

type slaTarget struct {
	Step    kpi.Step
	Channel string
	Target  time.Duration
}

func newKPIConfig(o *KPIOptions) (kpiConfig, error) {
	c := kpiConfig{Step: o.Step, Policy: o.Policy, Method: o.Method, Default: o.SLA.Default, Hours: o.Hours,
		TimeZone: o.TimeZone, AsOf: o.AsOf, Thresholds: o.Thresholds, By: slices.Clone(o.By)}
	for sc, t := range o.SLA.Targets {
		c.Targets = append(c.Targets, slaTarget{sc.Step, sc.Channel, t})
	}
	slices.SortFunc(c.Targets, func(a, b slaTarget) int {
		if a.Step != b.Step {
			return int(a.Step) - int(b.Step)
		}
		return cmp.Compare(a.Channel, b.Channel)
	})
	for _, d := range c.By {
		switch d {
		case kpi.ByChannel, kpi.ByAgent, kpi.BySource, kpi.ByHour, kpi.ByWeekday:
		case kpi.ByTenant, kpi.ByDay:
			return c, fmt.Errorf("onebeam: %s is always a key of a cell; leave it out of By", d)
		default:
			return c, fmt.Errorf("onebeam: unknown dimension %d", d)
		}
	}
	_, err := c.options()
	return c, err
}

// options returns the kpi.Options the workers run Summarize with (AsOf
// as configured; GroupBy the cell's dimensions, tenant and day first).
func (c *kpiConfig) options() (kpi.Options, error) {
	o := kpi.Options{Step: c.Step, Policy: c.Policy, Method: c.Method, AsOf: c.AsOf, Thresholds: c.Thresholds,
		SLA: c.kpiOptions().SLA, KeepLeads: true}
	if c.Hours != nil {
		cal, err := c.Hours.Calendar()
		if err != nil {
			return o, err
		}
		o.Clock = cal
		o.Location = cal.Location()
	}
	if c.TimeZone != "" || o.Location == nil {
		loc, err := location(c.TimeZone)
		if err != nil {
			return o, err
		}
		o.Location = loc
	}
	o.GroupBy = append([]kpi.Dimension{kpi.ByTenant, kpi.ByDay}, c.By...)
	return o, nil
}

// KPI measures the step of every lead in events (a PCollection of
// [Batch] as [ReadFiles] gives them, or of onemin.Event; validated and
// de-duplicated) and summarizes the leads per tenant, day and the
// dimensions of opts.By.
//
// Events are shuffled in batches by a shard of their lead: of (tenant,
// conversation), or of (tenant, contact) for events that name no
// conversation (bookings and confirmations matched by contact), so that
// every lead's events meet in one shard. Each shard is measured by
// [kpi.Summarize] itself, judged as of one time for the whole input (the
// latest event's, found from one value per batch), and its leads are
// summed per cell into [kpi.Accumulator]s; these are shuffled by cell and
// merged by a CombineFn whose accumulator is the kpi.Accumulator, in its
// binary form between workers. Summarize measures each lead from that
// lead's events alone, so a shard's leads are those Summarize finds in the
// whole input, a cell holds exactly what Summarize would give for its
// leads, and [KPIReport] rolls cells up into the report Summarize gives
// for the whole input.
//
// It panics, as Beam transforms do on a bad construction, when opts name
// an unknown zone, bad hours or a dimension a cell cannot have, or events
// hold neither batches nor events.
func KPI(s beam.Scope, events beam.PCollection, opts KPIOptions) KPIResult {
	s = s.Scope("onebeam.KPI")
	cfg, err := newKPIConfig(&opts)
	if err != nil {
		panic(err)
	}
	batches := asBatches(s, events, "KPI")
	latest := beam.Combine(s, maxInt64, beam.Flatten(s, beam.Create(s, int64(math.MinInt64)),
		beam.ParDo(s, latestInstant, batches)))
	leads, stats := beam.ParDo2(s, &leadsFn{Config: cfg}, byShard(s, batches, byLead, opts.Shards),
		beam.SideInput{Input: latest})
	cells := beam.ParDo(s, toCell, beam.CombinePerKey(s, &accumulatorFn{}, leads))
	total := beam.Combine(s, addStats, beam.Flatten(s, beam.Create(s, KPIStats{}), stats))
	return KPIResult{Cells: cells, Stats: total}
}

// The instants kpi.Summarize can place: Unix nanoseconds that fit int64.
var (
	minInstant = time.Unix(0, math.MinInt64+1)
	maxInstant = time.Unix(0, math.MaxInt64)
)

// latestInstant emits the latest time of a batch's events that Summarize
// can place, for the as-of time when none is given: "the latest event's
// time".
func latestInstant(b Batch, emit func(int64)) {
	latest, ok := int64(math.MinInt64), false
	for i := range b.Events {
		if at := b.Events[i].At; !at.Before(minInstant) && !at.After(maxInstant) {
			latest, ok = max(latest, at.UnixNano()), true
		}
	}
	if ok {
		emit(latest)
	}
}

func maxInt64(a, b int64) int64 { return max(a, b) }

// leadsFn measures the leads of one shard with kpi.Summarize and emits one
// accumulator per cell.
type leadsFn struct {
	Config kpiConfig

	opts kpi.Options
	buf  []onemin.Event
}

func (fn *leadsFn) Setup() error {
	o, err := fn.Config.options()
	// The cells come from each lead's labels, not from Summarize's
	// breakdowns, which sum over one dimension at a time.
	o.GroupBy = nil
	fn.opts = o
	return err
}

func (fn *leadsFn) ProcessElement(ctx context.Context, _ int, batches func(*Batch) bool, latest int64,
	emit func(string, []byte), emitStats func(KPIStats)) error {
	fn.buf = gather(fn.buf[:0], batches)
	defer clear(fn.buf) // let the shard's events go before the next
	// One order whatever the shards: Summarize's result does not depend
	// on the order, and is fastest in time order.
	SortByTimeAndID(fn.buf)
	o := fn.opts
	if o.AsOf.IsZero() && latest != math.MinInt64 {
		o.AsOf = time.Unix(0, latest)
	}
	rep := kpi.Summarize(fn.buf, o)
	st := KPIStats{Events: rep.Events, AfterAsOf: rep.AfterAsOf, OutOfRange: rep.OutOfRange,
		Unlinked: rep.Unlinked, Greetings: rep.Greetings}
	if !o.AsOf.IsZero() {
		st.AsOfUnixNano, st.HasAsOf = o.AsOf.UnixNano(), true
	}
	emitStats(st)
	cells := map[string]*kpi.Accumulator{}
	var (
		labels []string
		days   = map[int64]string{}
	)
	for i := range rep.Leads {
		r := &rep.Leads[i]
		labels = cellLabels(labels[:0], r, fn.Config.By, days)
		k := cellKey(labels)
		a := cells[k]
		if a == nil {
			a = new(kpi.Accumulator)
			cells[k] = a
		}
		a.Add(r)
	}
	for _, k := range slices.Sorted(maps.Keys(cells)) {
		data, err := cells[k].MarshalBinary()
		if err != nil {
			return err
		}
		emit(k, data)
	}
	return nil
}

// cellLabels appends the labels of a lead's cell to dst: its tenant, its
// day, then its value of each dimension of by, as kpi.Summarize labels its
// groups (TestCellLabelsAreSummarizeGroups holds them to it). A lead's
// Start is in the report's zone. days caches the day labels by the start
// of each day.
func cellLabels(dst []string, r *kpi.Result, by []kpi.Dimension, days map[int64]string) []string {
	y, m, d := r.Start.Date()
	dayKey := int64(y)*10000 + int64(m)*100 + int64(d)
	day, ok := days[dayKey]
	if !ok {
		day = r.Start.Format(time.DateOnly)
		days[dayKey] = day
	}
	dst = append(dst, r.Tenant, day)
	for _, dim := range by {
		switch dim {
		case kpi.ByChannel:
			dst = append(dst, r.Channel)
		case kpi.ByAgent:
			dst = append(dst, r.Agent)
		case kpi.BySource:
			dst = append(dst, r.Source)
		case kpi.ByHour:
			dst = append(dst, fmt.Sprintf("%02d", r.Start.Hour()))
		case kpi.ByWeekday:
			dst = append(dst, r.Start.Weekday().String())
		default:
			dst = append(dst, "")
		}
	}
	return dst
}

// cellKey encodes the labels of a cell (tenant, day, then By) as one
// string: each label prefixed by its length.
func cellKey(labels []string) string {
	var b []byte
	for _, l := range labels {
		b = binary.AppendUvarint(b, uint64(len(l)))
		b = append(b, l...)
	}
	return string(b)
}

func parseCellKey(k string) ([]string, error) {
	r := &reader{data: []byte(k)}
	var labels []string
	for len(r.data) > 0 && r.err == nil {
		labels = append(labels, string(r.bytes("label")))
	}
	if r.err != nil || len(labels) < 2 {
		return nil, fmt.Errorf("%w: cell key", ErrCorrupt)
	}
	return labels, nil
}

func toCell(key string, acc []byte) (Cell, error) {
	labels, err := parseCellKey(key)
	if err != nil {
		return Cell{}, err
	}
	return Cell{Tenant: labels[0], Day: labels[1], Values: labels[2:], Accumulator: acc}, nil
}

// accumulatorFn merges one-lead accumulators into the accumulator of a
// cell.
type accumulatorFn struct{}

func (accumulatorFn) CreateAccumulator() *kpi.Accumulator { return new(kpi.Accumulator) }

func (accumulatorFn) AddInput(a *kpi.Accumulator, data []byte) (*kpi.Accumulator, error) {
	var b kpi.Accumulator
	if err := b.UnmarshalBinary(data); err != nil {
		return nil, err
	}
	a.Merge(&b)
	return a, nil
}

func (accumulatorFn) MergeAccumulators(a, b *kpi.Accumulator) *kpi.Accumulator {
	a.Merge(b)
	return a
}

func (accumulatorFn) ExtractOutput(a *kpi.Accumulator) ([]byte, error) { return a.MarshalBinary() }

func encodeAccumulator(a *kpi.Accumulator) ([]byte, error) {
	if a == nil {
		return nil, errors.New("onebeam: nil accumulator")
	}
	return a.MarshalBinary()
}

func decodeAccumulator(data []byte) (*kpi.Accumulator, error) {
	a := new(kpi.Accumulator)
	if err := a.UnmarshalBinary(data); err != nil {
		return nil, err
	}
	return a, nil
}

func addStats(a, b KPIStats) KPIStats {
	asOf := a.AsOfUnixNano
	switch {
	case !a.HasAsOf:
		asOf = b.AsOfUnixNano
	case b.HasAsOf:
		asOf = max(asOf, b.AsOfUnixNano)
	}
	return KPIStats{
		AsOfUnixNano: asOf,
		HasAsOf:      a.HasAsOf || b.HasAsOf,
		Events:       a.Events + b.Events,
		AfterAsOf:    a.AfterAsOf + b.AfterAsOf,
		OutOfRange:   a.OutOfRange + b.OutOfRange,
		Unlinked:     a.Unlinked + b.Unlinked,
		Greetings:    a.Greetings + b.Greetings,
	}
}

package onebeam

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/funnel"
	"github.com/onemin/onemin/internal/quantile"
)

func init() {
	beam.RegisterCoder(reflect.TypeFor[*funnelTally](), encodeJSON[*funnelTally], decodeJSON[*funnelTally])
	beam.RegisterCoder(reflect.TypeFor[funnel.Result](), encodeGob[funnel.Result], decodeGob[funnel.Result])
	register.DoFn2x2[int, func(*Batch) bool, *funnelTally, error](&entityFn{})
	register.Combiner3[*funnelTally, *funnelTally, funnel.Result](&funnelCombineFn{})
}

// FunnelOptions configure [Funnel]: which funnel, and the fields of
// [funnel.Funnel] that can travel to the workers (its predicates cannot,
// so steps come from a ready-made funnel or from kinds).
type FunnelOptions struct {
	// Name is a ready-made funnel, "chatbot" or "appointment"
	// ([funnel.Named]); when empty, Kinds make one step each
	// ([funnel.KindSteps]).
	Name  string
	Kinds []onemin.Kind
	// Window, Order, Count and Unit mean what they mean on
	// [funnel.Funnel]; zero values are its defaults.
	Window time.Duration
	Order  funnel.Order
	Count  funnel.Counting
	Unit   funnel.Unit
	// By names the breakdown ([funnel.ParseDimension]): source, medium,
	// campaign, channel, scenario, product, agent, tenant or hour; empty
	// means none. TimeZone is the IANA zone of "hour" (empty: UTC).
	By       string
	TimeZone string
	// Shards is the number of shards of entities that events are
	// shuffled into; zero means [DefaultShards]. A worker computes one
	// shard at a time, about events / Shards events. The result does not
	// depend on it.
	Shards int
}

// build returns the funnel the options describe.
func (o *FunnelOptions) build() (funnel.Funnel, error) {
	var f funnel.Funnel
	switch {
	case o.Name != "":
		var err error
		if f, err = funnel.Named(o.Name); err != nil {
			return f, err
		}
	default:
		f.Steps = funnel.KindSteps(o.Kinds...)
	}
	f.Window, f.Order, f.Count, f.Unit = o.Window, o.Order, o.Count, o.Unit
	if o.By != "" {
		loc, err := location(o.TimeZone)
		if err != nil {
			return f, err
		}
		if f.By, err = funnel.ParseDimension(o.By, loc); err != nil {
			return f, err
		}
	}
	return f, f.Validate()
}

// Funnel computes a funnel over events (a PCollection of [Batch] as
// [ReadFiles] gives them, or of onemin.Event; validated and
// de-duplicated) and returns a PCollection with one funnel.Result: the one
// [funnel.Funnel.Compute] gives for all the events.
//
// Events are shuffled in batches by a shard of their entity (tenant and
// contact, or conversation as opts.Unit says); in each shard every
// entity's funnel is computed by the library, and the step counts,
// entities, exclusions and skipped events add up, first within the shard,
// then across shards in a CombineFn. Times to each step are the entities'
// own times, so the median and P90 are exact for unique counting; when
// counting totals, an entity that reached a step in more than one attempt
// gives a median, not its times, and that step's median and P90 are then
// left undefined (nil).
//
// It panics, as Beam transforms do on a bad construction, when opts
// describe no valid funnel, or events hold neither batches nor events.
func Funnel(s beam.Scope, events beam.PCollection, opts FunnelOptions) beam.PCollection {
	s = s.Scope("onebeam.Funnel")
	f, err := opts.build()
	if err != nil {
		panic(fmt.Errorf("onebeam: %w", err))
	}
	key := byContact
	if opts.Unit == funnel.ByConversation {
		key = byConversation
	}
	tallies := beam.ParDo(s, &entityFn{Options: opts}, byShard(s, asBatches(s, events, "Funnel"), key, opts.Shards))
	// An empty tally, so that no events still give a result.
	zero := beam.Create(s, &funnelTally{Overall: *newStepTally(len(f.Steps))})
	return beam.Combine(s, &funnelCombineFn{Options: opts}, beam.Flatten(s, zero, tallies))
}

// funnelTally is the mergeable part of funnel results: counts and times of
// each step, overall and by group.
type funnelTally struct {
	Entities int                   `json:"entities"`
	Excluded int                   `json:"excluded"`
	Skipped  int                   `json:"skipped"`
	Overall  stepTally             `json:"overall"`
	Groups   map[string]*stepTally `json:"groups,omitempty"`
}

type stepTally struct {
	Counts []int       `json:"counts"`
	Secs   [][]float64 `json:"secs"`
	// Inexact marks the steps whose times cannot be merged (an entity
	// counted more than once there).
	Inexact []bool `json:"inexact"`
}

func newStepTally(n int) *stepTally {
	return &stepTally{Counts: make([]int, n), Secs: make([][]float64, n), Inexact: make([]bool, n)}
}

// addRows adds one entity's rows.
func (t *stepTally) addRows(rows []funnel.StepResult) {
	for s, r := range rows {
		t.Counts[s] += r.Count
		switch {
		case r.Count == 1 && r.MedianSecondsToStep != nil:
			t.Secs[s] = append(t.Secs[s], *r.MedianSecondsToStep)
		case r.Count > 1:
			t.Inexact[s] = true
		}
	}
}

func (t *stepTally) merge(o *stepTally) {
	for s := range t.Counts {
		t.Counts[s] += o.Counts[s]
		t.Secs[s] = append(t.Secs[s], o.Secs[s]...)
		t.Inexact[s] = t.Inexact[s] || o.Inexact[s]
	}
}

// rows turns the tally into the funnel's rows, as funnel computes them.
func (t *stepTally) rows(steps []funnel.Step) []funnel.StepResult {
	out := make([]funnel.StepResult, len(steps))
	for s := range steps {
		c := t.Counts[s]
		row := funnel.StepResult{Step: steps[s].Name, Count: c, ConversionFromStart: onemin.Ratio{Num: c, Den: t.Counts[0]}}
		if s == 0 {
			row.ConversionFromPrevious = onemin.Ratio{Num: c, Den: c}
		} else {
			row.ConversionFromPrevious = onemin.Ratio{Num: c, Den: t.Counts[s-1]}
			row.Dropoff = t.Counts[s-1] - c
		}
		if sorted := t.Secs[s]; len(sorted) > 0 && !t.Inexact[s] {
			slices.Sort(sorted)
			med, p90 := quantile.Linear(sorted, 0.5), quantile.Linear(sorted, 0.9)
			row.MedianSecondsToStep, row.P90SecondsToStep = &med, &p90
		}
		out[s] = row
	}
	return out
}

// entityFn computes the funnel of each entity of one shard and adds them
// up.
type entityFn struct {
	Options FunnelOptions

	f   funnel.Funnel
	buf []onemin.Event
}

func (fn *entityFn) Setup() (err error) {
	fn.f, err = fn.Options.build()
	return err
}

// entityID returns the id of e's entity; empty for an event the funnel
// skips.
func (fn *entityFn) entityID(e *onemin.Event) string {
	if fn.f.Unit == funnel.ByConversation {
		return e.ConversationID
	}
	return e.ContactID
}

func (fn *entityFn) ProcessElement(_ int, batches func(*Batch) bool) (*funnelTally, error) {
	fn.buf = gather(fn.buf[:0], batches)
	defer clear(fn.buf)
	events := fn.buf
	// Each entity's events side by side, in one order whatever the shards
	// (events without an id together: each is skipped alone).
	sortEvents(events, func(a, b *onemin.Event) int {
		return cmp.Or(cmp.Compare(a.Tenant, b.Tenant), cmp.Compare(fn.entityID(a), fn.entityID(b)),
			a.At.Compare(b.At), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Kind, b.Kind))
	})
	n := len(fn.f.Steps)
	t := &funnelTally{Overall: *newStepTally(n)}
	for from := 0; from < len(events); {
		to := from + 1
		for to < len(events) && events[to].Tenant == events[from].Tenant &&
			fn.entityID(&events[to]) == fn.entityID(&events[from]) {
			to++
		}
		res, err := fn.f.Compute(events[from:to])
		if err != nil {
			return nil, err
		}
		t.add(res, n)
		from = to
	}
	return t, nil
}

// add adds the result of one entity's funnel of n steps.
func (t *funnelTally) add(res *funnel.Result, n int) {
	t.Entities += res.Entities
	t.Excluded += res.Excluded
	t.Skipped += res.Skipped
	t.Overall.addRows(res.Steps)
	for _, g := range res.Groups {
		if t.Groups == nil {
			t.Groups = map[string]*stepTally{}
		}
		gt := t.Groups[g.Key]
		if gt == nil {
			gt = newStepTally(n)
			t.Groups[g.Key] = gt
		}
		gt.addRows(g.Steps)
	}
}

// funnelCombineFn adds up the tallies of entities.
type funnelCombineFn struct {
	Options FunnelOptions

	steps []funnel.Step
}

func (fn *funnelCombineFn) Setup() error {
	f, err := fn.Options.build()
	fn.steps = f.Steps
	return err
}

func (fn *funnelCombineFn) CreateAccumulator() *funnelTally {
	return &funnelTally{Overall: *newStepTally(len(fn.steps))}
}

func (fn *funnelCombineFn) AddInput(a, b *funnelTally) *funnelTally {
	return fn.MergeAccumulators(a, b)
}

func (fn *funnelCombineFn) MergeAccumulators(a, b *funnelTally) *funnelTally {
	a.Entities += b.Entities
	a.Excluded += b.Excluded
	a.Skipped += b.Skipped
	a.Overall.merge(&b.Overall)
	for k, g := range b.Groups {
		if a.Groups == nil {
			a.Groups = map[string]*stepTally{}
		}
		if mine := a.Groups[k]; mine != nil {
			mine.merge(g)
		} else {
			a.Groups[k] = g
		}
	}
	return a
}

func (fn *funnelCombineFn) ExtractOutput(a *funnelTally) funnel.Result {
	res := funnel.Result{Entities: a.Entities, Excluded: a.Excluded, Skipped: a.Skipped, Steps: a.Overall.rows(fn.steps)}
	if len(a.Groups) > 0 {
		keys := make([]string, 0, len(a.Groups))
		for k := range a.Groups {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			res.Groups = append(res.Groups, funnel.Group{Key: k, Steps: a.Groups[k].rows(fn.steps)})
		}
	}
	return res
}

func encodeJSON[T any](v T) ([]byte, error) { return json.Marshal(v) }

func decodeJSON[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

func encodeGob[T any](v T) ([]byte, error) {
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(&v)
	return b.Bytes(), err
}

func decodeGob[T any](b []byte) (T, error) {
	var v T
	err := gob.NewDecoder(bytes.NewReader(b)).Decode(&v)
	return v, err
}

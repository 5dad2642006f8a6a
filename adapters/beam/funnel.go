package onebeam

import (
	"bytes"
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
	register.DoFn2x0[onemin.Event, func(string, onemin.Event)](&entityKeyFn{})
	register.DoFn2x2[string, func(*onemin.Event) bool, *funnelTally, error](&entityFn{})
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

// Funnel computes a funnel over events (a PCollection of onemin.Event,
// validated and de-duplicated) and returns a PCollection with one
// funnel.Result: the one [funnel.Funnel.Compute] gives for all the events.
//
// Events are shuffled by entity (tenant and contact, or conversation as
// opts.Unit says) and each entity's funnel is computed by the library;
// then the step counts, entities, exclusions and skipped events add up in
// a CombineFn. Times to each step are the entities' own times, so the
// median and P90 are exact for unique counting; when counting totals, an
// entity that reached a step in more than one attempt gives a median, not
// its times, and that step's median and P90 are then left undefined (nil).
//
// It panics, as Beam transforms do on a bad construction, when opts
// describe no valid funnel.
func Funnel(s beam.Scope, events beam.PCollection, opts FunnelOptions) beam.PCollection {
	s = s.Scope("onebeam.Funnel")
	f, err := opts.build()
	if err != nil {
		panic(fmt.Errorf("onebeam: %w", err))
	}
	byEntity := beam.GroupByKey(s, beam.ParDo(s, &entityKeyFn{Unit: opts.Unit}, events))
	tallies := beam.ParDo(s, &entityFn{Options: opts}, byEntity)
	// An empty tally, so that no events still give a result.
	zero := beam.Create(s, &funnelTally{Overall: *newStepTally(len(f.Steps))})
	return beam.Combine(s, &funnelCombineFn{Options: opts}, beam.Flatten(s, zero, tallies))
}

// entityKeyFn keys an event by its funnel entity; an event without the
// unit's id is a group of its own (the funnel counts it as skipped).
type entityKeyFn struct{ Unit funnel.Unit }

func (fn *entityKeyFn) ProcessElement(e onemin.Event, emit func(string, onemin.Event)) {
	id := e.ContactID
	if fn.Unit == funnel.ByConversation {
		id = e.ConversationID
	}
	if id == "" {
		emit(fmt.Sprintf("x\x00%s\x00%s\x00%d", e.Tenant, e.ID, e.At.UnixNano()), e)
		return
	}
	emit("k\x00"+e.Tenant+"\x00"+id, e)
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

// entityFn computes the funnel of one entity.
type entityFn struct {
	Options FunnelOptions

	f   funnel.Funnel
	buf []onemin.Event
}

func (fn *entityFn) Setup() (err error) {
	fn.f, err = fn.Options.build()
	return err
}

func (fn *entityFn) ProcessElement(_ string, events func(*onemin.Event) bool) (*funnelTally, error) {
	fn.buf = fn.buf[:0]
	var e onemin.Event
	for events(&e) {
		fn.buf = append(fn.buf, e)
	}
	res, err := fn.f.Compute(fn.buf)
	if err != nil {
		return nil, err
	}
	n := len(fn.f.Steps)
	t := &funnelTally{Entities: res.Entities, Excluded: res.Excluded, Skipped: res.Skipped, Overall: *newStepTally(n)}
	t.Overall.addRows(res.Steps)
	for _, g := range res.Groups {
		if t.Groups == nil {
			t.Groups = map[string]*stepTally{}
		}
		gt := newStepTally(n)
		gt.addRows(g.Steps)
		t.Groups[g.Key] = gt
	}
	return t, nil
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

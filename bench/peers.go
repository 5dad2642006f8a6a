package bench

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"
	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/caio/go-tdigest/v4"

	"github.com/onemin/onemin/internal/quantile"
	"github.com/onemin/onemin/kpi"
)

// Estimator is the common face of the estimators compared: it takes
// durations and answers quantiles in seconds. Adapters convert durations
// the way a user of each library would (seconds as float64 for DDSketch
// and the t-digest, whole milliseconds for the HDR histogram). An
// Estimator is not safe for concurrent use.
type Estimator interface {
	Add(d time.Duration)
	// Quantile returns the p-quantile, p in [0, 1], in seconds.
	Quantile(p float64) float64
	// Merge adds another estimator of the same kind.
	Merge(o Estimator)
	// Encode returns the library's own serialized form.
	Encode() []byte
	// Copy returns an independent copy.
	Copy() Estimator
}

// Peer names an estimator and makes empty ones.
type Peer struct {
	Name string
	New  func() Estimator
}

// Peers are the estimators compared, [kpi.Sketch] first.
var Peers = []Peer{
	{"kpi.Sketch", func() Estimator { return &Sketch{} }},
	{"ddsketch", func() Estimator { return newDD(false) }},
	{"ddsketch-cubic", func() Estimator { return newDD(true) }},
	{"tdigest", func() Estimator { return newTDigest() }},
	{"hdrhistogram", func() Estimator { return newHDR() }},
	{"exact", func() Estimator { return &Exact{} }},
}

// Sketch adapts [kpi.Sketch] with its default options (1 %, 1 ms to 30
// days) and type-7 quantiles.
type Sketch struct{ kpi.Sketch }

// Add adds d; the generated data holds no negative duration.
func (s *Sketch) Add(d time.Duration) { _ = s.Sketch.Add(d) }

// Quantile returns the linear (type 7) p-quantile in seconds.
func (s *Sketch) Quantile(p float64) float64 {
	v, _ := s.Sketch.Quantile(p, kpi.Linear)
	return v.Seconds()
}

// Merge merges o, a *Sketch.
func (s *Sketch) Merge(o Estimator) { must(s.Sketch.Merge(&o.(*Sketch).Sketch)) }

// Copy returns a copy.
func (s *Sketch) Copy() Estimator { return &Sketch{*s.Sketch.Copy()} }

// Encode returns MarshalBinary.
func (s *Sketch) Encode() []byte {
	b, err := s.Sketch.MarshalBinary()
	must(err)
	return b
}

// DD adapts a DDSketch at 1 % relative accuracy; values in seconds. The
// default one (NewDefaultDDSketch) has the logarithmic mapping and the
// library's default store, which buffers bucket indices and then pages in
// 32 bins at a time; the cubic one has dense stores.
type DD struct{ *ddsketch.DDSketch }

func newDD(cubic bool) *DD {
	if !cubic {
		s, err := ddsketch.NewDefaultDDSketch(0.01)
		must(err)
		return &DD{s}
	}
	m, err := mapping.NewCubicallyInterpolatedMapping(0.01)
	must(err)
	return &DD{ddsketch.NewDDSketch(m, store.NewDenseStore(), store.NewDenseStore())}
}

// Add adds d in seconds.
func (s *DD) Add(d time.Duration) { must(s.DDSketch.Add(d.Seconds())) }

// Quantile returns GetValueAtQuantile.
func (s *DD) Quantile(p float64) float64 {
	v, err := s.GetValueAtQuantile(p)
	must(err)
	return v
}

// Merge merges o, a *DD.
func (s *DD) Merge(o Estimator) { must(s.MergeWith(o.(*DD).DDSketch)) }

// Copy returns a copy.
func (s *DD) Copy() Estimator { return &DD{s.DDSketch.Copy()} }

// Encode returns the library's compact encoding.
func (s *DD) Encode() []byte {
	var b []byte
	s.DDSketch.Encode(&b, false)
	return b
}

// TDigest adapts a t-digest with compression 100; values in seconds.
type TDigest struct{ *tdigest.TDigest }

func newTDigest() *TDigest {
	t, err := tdigest.New(tdigest.Compression(100), tdigest.LocalRandomNumberGenerator(1))
	must(err)
	return &TDigest{t}
}

// Add adds d in seconds.
func (t *TDigest) Add(d time.Duration) { must(t.TDigest.Add(d.Seconds())) }

// Quantile returns the digest's quantile.
func (t *TDigest) Quantile(p float64) float64 { return t.TDigest.Quantile(p) }

// Merge merges o, a *TDigest.
func (t *TDigest) Merge(o Estimator) { must(t.TDigest.Merge(o.(*TDigest).TDigest)) }

// Copy returns a clone.
func (t *TDigest) Copy() Estimator { return &TDigest{t.Clone()} }

// Encode returns AsBytes.
func (t *TDigest) Encode() []byte {
	b, err := t.AsBytes()
	must(err)
	return b
}

// HDR adapts an HDR histogram of whole milliseconds from 1 ms to 30 days
// with 2 significant digits.
type HDR struct{ *hdrhistogram.Histogram }

func newHDR() *HDR { return &HDR{hdrhistogram.New(1, Month.Milliseconds(), 2)} }

// Add records d in milliseconds.
func (h *HDR) Add(d time.Duration) { must(h.RecordValue(d.Milliseconds())) }

// Quantile returns ValueAtQuantile in seconds.
func (h *HDR) Quantile(p float64) float64 {
	return float64(h.ValueAtQuantile(p*100)) / 1000
}

// Merge merges o, a *HDR.
func (h *HDR) Merge(o Estimator) {
	if dropped := h.Histogram.Merge(o.(*HDR).Histogram); dropped != 0 {
		panic(fmt.Sprintf("hdrhistogram dropped %d values", dropped))
	}
}

// Copy returns a copy made through Export and Import.
func (h *HDR) Copy() Estimator { return &HDR{hdrhistogram.Import(h.Export())} }

// Encode returns the compressed V2 encoding.
func (h *HDR) Encode() []byte {
	b, err := h.Histogram.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	must(err)
	return b
}

// Exact keeps every value and sorts on demand: the reference.
type Exact struct {
	values []float64 // seconds
	sorted bool
}

// Add appends d in seconds.
func (e *Exact) Add(d time.Duration) {
	e.values = append(e.values, d.Seconds())
	e.sorted = false
}

// Quantile sorts if needed and returns the type-7 p-quantile.
func (e *Exact) Quantile(p float64) float64 {
	if !e.sorted {
		slices.Sort(e.values)
		e.sorted = true
	}
	return quantile.Linear(e.values, p)
}

// Merge appends the values of o, an *Exact.
func (e *Exact) Merge(o Estimator) {
	e.values = append(e.values, o.(*Exact).values...)
	e.sorted = false
}

// Copy returns a copy.
func (e *Exact) Copy() Estimator { return &Exact{slices.Clone(e.values), e.sorted} }

// Encode returns the values as little-endian IEEE 754, 8 bytes each.
func (e *Exact) Encode() []byte {
	b := make([]byte, 0, 8*len(e.values))
	for _, v := range e.values {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// must panics on err: the adapters are fed valid data by construction, and
// a failure there is a bug in the comparison, not a result.
func must(err error) {
	if err != nil {
		panic(err)
	}
}

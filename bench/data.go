package bench

import (
	"math"
	"math/rand/v2"
	"time"
)

// Bounds of the generated data.
const (
	// Floor is the smallest generated duration: 1 ms.
	Floor = time.Millisecond
	// Week is the longest reply time in [ResponseTimes]: 7 days.
	Week = 7 * 24 * time.Hour
	// Month is the longest duration in [ParetoTail]: 30 days.
	Month = 30 * 24 * time.Hour
)

// ResponseTimes returns n first-reply times drawn with the given seed from
// a mixture shaped like a chat inbox: 65 % bot replies (lognormal, median
// 2 s, σ = 0.8), 33 % human replies (lognormal, median 10 min, σ = 1.2)
// and 2 % of a tail (log-uniform from 1 hour to 7 days), all within
// [1 ms, 7 days]. The same n and seed give the same durations.
func ResponseTimes(n int, seed uint64) []time.Duration {
	r := rand.New(rand.NewPCG(seed, 0x6f6e656d696e))
	out := make([]time.Duration, n)
	for i := range out {
		var sec float64
		switch u := r.Float64(); {
		case u < 0.65:
			sec = 2 * math.Exp(0.8*r.NormFloat64())
		case u < 0.98:
			sec = 600 * math.Exp(1.2*r.NormFloat64())
		default:
			sec = 3600 * math.Exp(r.Float64()*math.Log(Week.Hours()))
		}
		out[i] = clampDuration(sec, Week)
	}
	return out
}

// ParetoTail returns n durations drawn with the given seed from a Pareto
// distribution with scale 1 s and shape 1.1 (a heavy tail: the mean is
// 11 s, the 99.9th percentile about 9 minutes), cut at 30 days.
func ParetoTail(n int, seed uint64) []time.Duration {
	r := rand.New(rand.NewPCG(seed, 0x70617265746f))
	out := make([]time.Duration, n)
	for i := range out {
		u := 1 - r.Float64() // (0, 1]
		out[i] = clampDuration(math.Pow(u, -1/1.1), Month)
	}
	return out
}

func clampDuration(sec float64, ceiling time.Duration) time.Duration {
	d := time.Duration(sec * float64(time.Second))
	return min(max(d, Floor), ceiling)
}

// Dataset is a named generator.
type Dataset struct {
	Name     string
	Generate func(n int, seed uint64) []time.Duration
}

// Datasets are the data the benchmarks and the table use.
var Datasets = []Dataset{
	{"response-times", ResponseTimes},
	{"pareto", ParetoTail},
}

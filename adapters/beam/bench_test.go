package onebeam

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/kpi"
)

// benchEvents is the size of the benchmarks' input: ONEMIN_BEAM_EVENTS, or
// 1,000,000 events.
func benchEvents(b *testing.B) int {
	if v := os.Getenv("ONEMIN_BEAM_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 1_000_000
}

// benchInput writes the generated events over 8 files once per run.
func benchInput(b *testing.B) (dir string, paths []string, n int) {
	n = benchEvents(b)
	dir = b.TempDir()
	paths = shard(b, dir, generate(b, n, 11), 8, 0, 1)
	return dir, paths, n
}

// BenchmarkKPIPipeline runs ReadFiles, KPI and WriteKPI on prism, in this
// process, over generated events in 8 files.
func BenchmarkKPIPipeline(b *testing.B) {
	dir, _, n := benchInput(b)
	opts := KPIOptions{By: []kpi.Dimension{kpi.ByChannel}}
	out := filepath.Join(b.TempDir(), "kpi.json")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, s := beam.NewPipelineWithRoot()
		in := ReadFiles(s, filepath.Join(dir, "*.csv"), ReadOptions{})
		WriteKPI(s, out, in, KPI(s, in.Events, opts), opts, []kpi.Dimension{kpi.ByChannel})
		run(b, p)
	}
	reportRate(b, n)
}

// BenchmarkKPISingleMachine is the peer: the same files read by csvio and
// summarized by kpi.Summarize in one goroutine.
func BenchmarkKPISingleMachine(b *testing.B) {
	_, paths, n := benchInput(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		events, _, _ := readLocal(b, paths, csvio.Options{})
		kpi.Summarize(events, kpi.Options{GroupBy: []kpi.Dimension{kpi.ByChannel}})
	}
	reportRate(b, n)
}

// reportRate reports events per second. (Peak memory is measured from
// outside: see the README.)
func reportRate(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

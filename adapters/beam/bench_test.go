package onebeam

import (
	"bytes"
	"io"
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
func benchEvents(b testing.TB) int {
	if v := os.Getenv("ONEMIN_BEAM_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 1_000_000
}

// benchInput returns the benchmarks' input: the files in the directory
// ONEMIN_BEAM_INPUT when it is set (TestWriteBenchInput writes them, so
// that making them counts neither in the time nor in the peak memory of a
// run), else the generated events written over 8 files for this run. n is
// the number of rows.
func benchInput(b *testing.B) (dir string, paths []string, n int) {
	if dir = os.Getenv("ONEMIN_BEAM_INPUT"); dir != "" {
		paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
		if err != nil || len(paths) == 0 {
			b.Fatalf("ONEMIN_BEAM_INPUT=%s: no CSV files (%v): run TestWriteBenchInput first", dir, err)
		}
		for _, p := range paths {
			n += countRows(b, p)
		}
		return dir, paths, n
	}
	n = benchEvents(b)
	dir = b.TempDir()
	paths = shard(b, dir, generate(b, n, 11), 8, 0, 1)
	return dir, paths, n
}

// TestWriteBenchInput writes the benchmarks' input, ONEMIN_BEAM_EVENTS
// generated events over 8 shuffled files, into the directory
// ONEMIN_BEAM_INPUT; without it, it is skipped.
func TestWriteBenchInput(t *testing.T) {
	dir := os.Getenv("ONEMIN_BEAM_INPUT")
	if dir == "" {
		t.Skip("ONEMIN_BEAM_INPUT names no directory to write the benchmarks' input to")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shard(t, dir, generate(t, benchEvents(t), 11), 8, 0, 1)
}

// countRows counts the rows of a CSV file after its header.
func countRows(b testing.TB, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1<<16)
	n := 0
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte("\n"))
		if err == io.EOF {
			return n - 1
		}
		if err != nil {
			b.Fatal(err)
		}
	}
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

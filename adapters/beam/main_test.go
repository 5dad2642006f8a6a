package onebeam

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
)

// The tests run every pipeline on prism, in this process.
func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

// run runs the pipeline and fails the test on an error.
func run(t testing.TB, p *beam.Pipeline) beam.PipelineResult {
	t.Helper()
	res, err := ptest.RunWithMetrics(p)
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	return res
}

// shard splits the rows of a CSV file (header first) over n files in dir,
// named part-0.csv …, each with the header: row i goes to file i mod n,
// and each file's rows are shuffled with seed, so that events arrive out of
// order. dupEvery > 0 copies every dupEvery-th row into the next file as
// well. It returns the files' paths.
func shard(t testing.TB, dir string, csv []byte, n, dupEvery int, seed uint64) []string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(string(csv), "\n"), "\n")
	header, rows := lines[0], lines[1:]
	parts := make([][]string, n)
	for i, r := range rows {
		parts[i%n] = append(parts[i%n], r)
		if dupEvery > 0 && i%dupEvery == 0 {
			parts[(i+1)%n] = append(parts[(i+1)%n], r)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	var paths []string
	for i, p := range parts {
		rng.Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
		path := filepath.Join(dir, fmt.Sprintf("part-%d.csv", i))
		if err := os.WriteFile(path, []byte(header+"\n"+strings.Join(p, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

// readLocal reads files in path order as the command does: one shared
// csvio.Seen, so that an event repeated across files is a duplicate; the
// single-machine reference of ReadFiles.
func readLocal(t testing.TB, paths []string, opt csvio.Options) ([]onemin.Event, onemin.Counts, []Reject) {
	t.Helper()
	paths = slices.Sorted(slices.Values(paths))
	var (
		seen    csvio.Seen
		events  []onemin.Event
		counts  onemin.Counts
		rejects []Reject
	)
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		o := opt
		o.Seen, o.Name = &seen, p
		res, err := csvio.ReadAll(f, o)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, res.Events...)
		counts = counts.Add(res.Counts)
		for _, ve := range res.Rejected {
			rejects = append(rejects, Reject{File: p, Line: ve.Line, EventID: ve.EventID, Field: ve.Field, Reason: ve.Reason,
				Duplicate: errors.Is(ve, onemin.ErrDuplicate)})
		}
	}
	onemin.SortByTime(events)
	return events, counts, rejects
}

// readLines reads a file that textio wrote.
func readOutput(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b, []byte("\n"))
}

// counter returns the committed value of a counter of the onemin
// namespace, summed over the steps that count it.
func counter(res beam.PipelineResult, name string) int64 {
	var n int64
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Namespace() == metricsNamespace && c.Name() == name {
			n += c.Result()
		}
	}
	return n
}

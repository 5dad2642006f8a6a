package onebeam

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/kpi"
)

// TestMillionEvents runs every transform on prism over a million generated
// events of three tenants in 8 shuffled files, with bad rows and every
// 50th row repeated in another file, and compares each with the library
// on one machine: the KPI document byte for byte (counts, percentiles and
// the rejected rows), the funnels and the path table exactly. It takes a
// minute or two on two cores, so it is skipped with -short and under the
// race detector (CI runs it once without).
func TestMillionEvents(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a million events: skipped with -short and under the race detector")
	}
	dir := t.TempDir()
	paths := shard(t, dir, append(generate(t, 1_000_000, 17), badRows...), 8, 50, 13)

	opts := KPIOptions{By: []kpi.Dimension{kpi.ByChannel, kpi.BySource}, SLA: kpi.RecommendedSLA()}
	groupBy := []kpi.Dimension{kpi.ByTenant, kpi.ByChannel, kpi.BySource, kpi.ByDay}
	funnels := []FunnelOptions{
		{Name: "chatbot", By: "source"},
		{Name: "appointment", Window: 3 * time.Hour},
	}
	paths3 := AttributionOptions{Level: attribution.LevelSource, Lookback: 7 * 24 * time.Hour}

	start := time.Now()
	p, s := beam.NewPipelineWithRoot()
	in := ReadFiles(s, filepath.Join(dir, "*.csv"), ReadOptions{})
	kpiOut := filepath.Join(t.TempDir(), "kpi.json")
	WriteKPI(s, kpiOut, in, KPI(s, in.Events, opts), opts, groupBy)
	funnelOut := make([]string, len(funnels))
	for i, fo := range funnels {
		funnelOut[i] = filepath.Join(t.TempDir(), "funnel.json")
		textio.Write(s, funnelOut[i], beam.ParDo(s, funnelJSON, Funnel(s, in.Events, fo)))
	}
	pathsOut := writePaths(t, s, AttributionPaths(s, in.Events, paths3))
	run(t, p)
	t.Logf("pipeline on prism: %v", time.Since(start).Round(time.Second))

	start = time.Now()
	got := string(readOutput(t, kpiOut))
	if diff := cmp.Diff(kpiReference(t, paths, csvio.Options{}, opts, groupBy), got); diff != "" {
		t.Errorf("KPI document differs from Summarize's (-want +got):\n%s", diff)
	}
	var doc KPIDocument
	if err := json.Unmarshal([]byte(got), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Rows.Read < 1_000_000 || doc.Rows.Duplicates < 10_000 || doc.Rows.Rejected < 3 || !doc.Rows.Balanced() {
		t.Errorf("rows %+v: want a million read, the repeats counted as duplicates, the bad rows rejected", doc.Rows)
	}
	events, _, _ := readLocal(t, paths, csvio.Options{})
	for i, fo := range funnels {
		if diff := cmp.Diff(funnelWant(t, events, fo), string(readOutput(t, funnelOut[i]))); diff != "" {
			t.Errorf("funnel %d differs from Compute (-want +got):\n%s", i, diff)
		}
	}
	checkPaths(t, "paths", events, paths3, pathsOut)
	t.Logf("references on one machine and the comparisons: %v", time.Since(start).Round(time.Second))
}

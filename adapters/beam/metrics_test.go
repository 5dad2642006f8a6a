package onebeam

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/funnel"
	"github.com/onemin/onemin/internal/sample"
	"github.com/onemin/onemin/kpi"
)

func init() {
	register.Function1x2(funnelJSON)
	register.Function1x2(pathRowJSON)
	register.Function1x2(pathStatsJSON)
}

func funnelJSON(r funnel.Result) (string, error) {
	b, err := json.Marshal(r)
	return string(b), err
}

func pathRowJSON(r PathRow) (string, error) {
	b, err := json.Marshal(r)
	return string(b), err
}

func pathStatsJSON(r PathStats) (string, error) {
	b, err := json.Marshal(r)
	return string(b), err
}

// badRows are rows every generated set gets, which the reader must reject
// and name.
const badRows = "x1,,sneeze,2026-10-02T10:00:00Z,c1,,,,,,,,,,,,\n" +
	"x2,,message_in,yesterday,c1,,,,,,,,,,,,\n" +
	"x3,,payment,2026-10-02T10:00:00Z,,p1,,,,,,,,,abc,RUB,\n"

// datasets are the inputs every metric is checked on: the sample, and a
// generated set of three tenants with bad rows, split over 8 files,
// shuffled, every 5th row repeated in another file.
func datasets(t *testing.T) []struct {
	name     string
	csv      []byte
	shards   int
	dupEvery int
} {
	return []struct {
		name     string
		csv      []byte
		shards   int
		dupEvery int
	}{
		{"sample", sample.CSV(), 8, 0},
		{"generated", append(generate(t, 8000, 1), badRows...), 8, 5},
	}
}

func TestKPIGeneratedShards(t *testing.T) {
	for _, ds := range datasets(t)[1:] {
		dir := t.TempDir()
		paths := shard(t, dir, ds.csv, ds.shards, ds.dupEvery, 3)
		opts := KPIOptions{By: []kpi.Dimension{kpi.ByChannel, kpi.BySource}, SLA: kpi.RecommendedSLA()}
		groupBy := []kpi.Dimension{kpi.ByTenant, kpi.ByChannel, kpi.BySource, kpi.ByDay}
		want := kpiReference(t, paths, csvio.Options{}, opts, groupBy)
		// The number of shards changes how the work is cut, not the
		// result.
		few := opts
		few.Shards = 1
		got1, _ := kpiPipeline(t, dir, ReadOptions{Shards: 3}, few, groupBy)
		if diff := cmp.Diff(want, got1); diff != "" {
			t.Errorf("%s, 3 and 1 shards: pipeline document differs from Summarize's (-want +got):\n%s", ds.name, diff)
		}
		got, res := kpiPipeline(t, dir, ReadOptions{}, opts, groupBy)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: pipeline document differs from Summarize's (-want +got):\n%s", ds.name, diff)
		}
		var doc KPIDocument
		if err := json.Unmarshal([]byte(got), &doc); err != nil {
			t.Fatal(err)
		}
		metrics := onemin.Counts{Read: int(counter(res, MetricRowsRead)), Accepted: int(counter(res, MetricAccepted)),
			Duplicates: int(counter(res, MetricDuplicates)), Rejected: int(counter(res, MetricRejected))}
		if diff := cmp.Diff(doc.Rows, metrics); diff != "" {
			t.Errorf("%s: Beam counters differ from the rows of the document (-doc +counters):\n%s", ds.name, diff)
		}
		for _, r := range doc.Rejected {
			t.Logf("rejected: %+v", r)
		}
		if doc.Rows.Rejected < 3 || !doc.Rows.Balanced() || doc.Rows.Duplicates == 0 {
			t.Errorf("%s: rows %+v: want the 3 bad rows (and their repeats) rejected, some duplicates, balanced", ds.name, doc.Rows)
		}
	}
}

func TestFunnelMatchesCompute(t *testing.T) {
	funnels := []FunnelOptions{
		{Name: "chatbot", By: "source"},
		{Name: "appointment", Window: 3 * time.Hour},
		{Kinds: []onemin.Kind{onemin.MessageIn, onemin.Lead, onemin.DealWon}, Unit: funnel.ByConversation, By: "hour",
			TimeZone: "Europe/Moscow"},
		{Kinds: []onemin.Kind{onemin.MessageIn, onemin.MessageOut}, Count: funnel.Totals, Order: funnel.StrictOrder},
	}
	for _, ds := range datasets(t) {
		events, p, s, in := readDataset(t, ds.csv, ds.shards, ds.dupEvery, 5)
		type variant struct {
			opts FunnelOptions
			out  string
		}
		var runs []variant
		for _, o := range withFewShards(funnels, func(o FunnelOptions) FunnelOptions { o.Shards = 5; return o }) {
			v := variant{o, filepath.Join(t.TempDir(), "funnel.json")}
			textio.Write(s, v.out, beam.ParDo(s, funnelJSON, Funnel(s, in.Events, o)))
			runs = append(runs, v)
		}
		run(t, p)
		for i, v := range runs {
			if diff := cmp.Diff(funnelWant(t, events, v.opts), string(readOutput(t, v.out))); diff != "" {
				t.Errorf("%s, funnel %d, %d shards: pipeline differs from Compute (-want +got):\n%s", ds.name, i/2,
					v.opts.Shards, diff)
			}
		}
	}
}

// withFewShards returns each of opts twice, as it is (the default shards)
// and as few sets it (a few shards): the results must be the same.
func withFewShards[T any](opts []T, few func(T) T) []T {
	var out []T
	for _, o := range opts {
		out = append(out, o, few(o))
	}
	return out
}

// readDataset splits csv over files as shard does, and returns the events
// read from them on one machine, and a pipeline that reads them.
func readDataset(t *testing.T, csv []byte, files, dupEvery int, seed uint64) ([]onemin.Event, *beam.Pipeline, beam.Scope, Input) {
	t.Helper()
	dir := t.TempDir()
	events, _, _ := readLocal(t, shard(t, dir, csv, files, dupEvery, seed), csvio.Options{})
	p, s := beam.NewPipelineWithRoot()
	return events, p, s, ReadFiles(s, filepath.Join(dir, "*.csv"), ReadOptions{})
}

// funnelWant is the JSON of the funnel fo over events on one machine, by
// funnel.Funnel.Compute; when counting totals, without the times a
// pipeline leaves undefined.
func funnelWant(t *testing.T, events []onemin.Event, fo FunnelOptions) string {
	t.Helper()
	f, err := fo.build()
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.Compute(events)
	if err != nil {
		t.Fatal(err)
	}
	if fo.Count == funnel.Totals {
		// Entities that reached a step more than once leave its times
		// undefined in a pipeline; the counts stay exact.
		for s := range want.Steps {
			want.Steps[s].MedianSecondsToStep, want.Steps[s].P90SecondsToStep = nil, nil
		}
	}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readJSONLines reads a file of JSON values, one per line, into a slice.
func readJSONLines[T any](t *testing.T, path string) []T {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []T
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestAttributionPathsMatchBuildPaths(t *testing.T) {
	optss := []AttributionOptions{
		{},
		{Level: attribution.LevelSource, Lookback: 7 * 24 * time.Hour, Conversion: onemin.DealWon},
		{Level: attribution.LevelCampaign, Conversion: onemin.Lead},
	}
	for _, ds := range datasets(t) {
		events, p, s, in := readDataset(t, ds.csv, ds.shards, ds.dupEvery, 9)
		type variant struct {
			opts AttributionOptions
			out  pathOutput
		}
		var runs []variant
		for _, o := range withFewShards(optss, func(o AttributionOptions) AttributionOptions { o.Shards = 3; return o }) {
			runs = append(runs, variant{o, writePaths(t, s, AttributionPaths(s, in.Events, o))})
		}
		run(t, p)
		for i, v := range runs {
			checkPaths(t, fmt.Sprintf("%s, options %d, %d shards", ds.name, i/2, v.opts.Shards), events, v.opts, v.out)
		}
	}
}

// pathOutput names the files a pipeline wrote the path table and its
// stats to.
type pathOutput struct{ rows, stats string }

// writePaths writes the rows and the stats of res to files.
func writePaths(t *testing.T, s beam.Scope, res AttributionResult) pathOutput {
	out := pathOutput{filepath.Join(t.TempDir(), "rows.jsonl"), filepath.Join(t.TempDir(), "stats.json")}
	textio.Write(s, out.rows, beam.ParDo(s, pathRowJSON, res.Paths))
	textio.Write(s, out.stats, beam.ParDo(s, pathStatsJSON, res.Stats))
	return out
}

// checkPaths compares the path table a pipeline wrote to out with
// attribution.BuildPaths over events on one machine, and every model but
// time decay on both.
func checkPaths(t *testing.T, label string, events []onemin.Event, o AttributionOptions, out pathOutput) {
	t.Helper()
	events = slices.Clone(events)
	SortByTimeAndID(events)
	local, err := attribution.BuildPaths(events, attribution.PathOptions{Level: o.Level, Lookback: o.Lookback,
		Conversion: o.Conversion})
	if err != nil {
		t.Fatal(err)
	}
	stats := readJSONLines[PathStats](t, out.stats)
	table, currency, err := PathTable(readJSONLines[PathRow](t, out.rows), stats[0])
	if err != nil {
		t.Fatal(err)
	}
	if currency != local.Currency || stats[0].NoContact != local.NoContact {
		t.Errorf("%s: currency %q, no contact %d; want %q, %d", label, currency, stats[0].NoContact, local.Currency,
			local.NoContact)
	}
	want := attribution.Aggregate(local.Paths)
	slices.SortFunc(want, func(a, b attribution.Path) int { return slices.Compare(a.Channels, b.Channels) })
	if diff := cmp.Diff(pathLines(want), pathLines(table)); diff != "" {
		t.Errorf("%s: path table differs from BuildPaths (-want +got):\n%s", label, diff)
	}
	for _, m := range attribution.Models() {
		if m == attribution.TimeDecay {
			continue
		}
		ao := attribution.Options{Currency: currency}
		wantRes, werr := attribution.Attribute(local.Paths, m, ao)
		gotRes, gerr := attribution.Attribute(table, m, ao)
		if diff := cmp.Diff(errString(werr), errString(gerr)); diff != "" {
			t.Fatalf("%s, %s: errors differ: %s", label, m, diff)
		}
		// The Markov chain's removal effects are sums over paths, whose
		// order changes their last bits; the credits are rounded to a
		// millionth and exact.
		if diff := cmp.Diff(wantRes, gotRes, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s, %s: model on the table differs from the single machine (-want +got):\n%s", label, m, diff)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// pathLines writes paths as the aggregated format does, value with its
// scale, for a readable diff.
func pathLines(paths []attribution.Path) []string {
	var out []string
	for _, p := range paths {
		out = append(out, attribution.Join(p.Channels)+";"+strconv.FormatInt(p.Conversions, 10)+";"+
			p.Value.String()+"e"+strconv.Itoa(int(p.Value.Exponent()))+";"+strconv.FormatInt(p.Nulls, 10))
	}
	return out
}

// TestEmptyInput checks that no events give the library's answer for no
// events, not a missing output.
func TestEmptyInput(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	events := beam.CreateList(s, []onemin.Event{})
	in := Input{Events: events, Rejects: beam.CreateList(s, []Reject{}), Counts: beam.Create(s, onemin.Counts{})}
	opts := KPIOptions{By: []kpi.Dimension{kpi.ByChannel}}
	kpiOut := filepath.Join(t.TempDir(), "kpi.json")
	WriteKPI(s, kpiOut, in, KPI(s, events, opts), opts, []kpi.Dimension{kpi.ByChannel})
	fo := FunnelOptions{Name: "chatbot"}
	funnelOut := filepath.Join(t.TempDir(), "funnel.json")
	textio.Write(s, funnelOut, beam.ParDo(s, funnelJSON, Funnel(s, events, fo)))
	run(t, p)

	rep := kpi.Summarize(nil, kpi.Options{Location: time.UTC, GroupBy: []kpi.Dimension{kpi.ByChannel}})
	doc := NewKPIDocument(&rep, onemin.Counts{}, nil, false, "UTC")
	want, err := doc.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.TrimSuffix(string(want), "\n"), string(readOutput(t, kpiOut))); diff != "" {
		t.Errorf("KPI of no events (-want +got):\n%s", diff)
	}
	f, _ := fo.build()
	res, err := f.Compute(nil)
	if err != nil {
		t.Fatal(err)
	}
	wantFunnel, _ := json.Marshal(res)
	if diff := cmp.Diff(string(wantFunnel), string(readOutput(t, funnelOut))); diff != "" {
		t.Errorf("funnel of no events (-want +got):\n%s", diff)
	}
}

package onebeam

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/internal/sample"
	"github.com/onemin/onemin/kpi"
	"pgregory.net/rapid"
)

// kpiReference is the single-machine answer: the files read in path order,
// kpi.Summarize, and the command's document.
func kpiReference(t *testing.T, paths []string, ropt csvio.Options, opts KPIOptions, groupBy []kpi.Dimension) string {
	t.Helper()
	events, counts, rejects := readLocal(t, paths, ropt)
	cfg, err := newKPIConfig(&opts)
	if err != nil {
		t.Fatal(err)
	}
	o, err := cfg.options()
	if err != nil {
		t.Fatal(err)
	}
	o.GroupBy, o.KeepLeads = groupBy, false
	rep := kpi.Summarize(events, o)
	doc := NewKPIDocument(&rep, counts, rejects, opts.Hours != nil, o.Location.String())
	b, err := doc.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return string(b[:len(b)-1])
}

// kpiPipeline runs ReadFiles, KPI and WriteKPI over the files of dir and
// returns the document and the pipeline's result.
func kpiPipeline(t *testing.T, dir string, ropt ReadOptions, opts KPIOptions, groupBy []kpi.Dimension) (string, beam.PipelineResult) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "kpi.json")
	p, s := beam.NewPipelineWithRoot()
	in := ReadFiles(s, filepath.Join(dir, "*.csv"), ropt)
	WriteKPI(s, out, in, KPI(s, in.Events, opts), opts, groupBy)
	res := run(t, p)
	return string(readOutput(t, out)), res
}

func TestKPIMatchesSummarize(t *testing.T) {
	moscow := sample.Location()
	tests := []struct {
		name     string
		shards   int
		dupEvery int
		opts     KPIOptions
		groupBy  []kpi.Dimension
	}{
		{
			name:    "sample in one file, total and by day",
			shards:  1,
			opts:    KPIOptions{TimeZone: moscow.String()},
			groupBy: []kpi.Dimension{kpi.ByDay},
		},
		{
			name:     "sample over 8 shuffled files with repeats, by channel, agent and weekday",
			shards:   8,
			dupEvery: 7,
			opts: KPIOptions{TimeZone: moscow.String(), By: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent, kpi.ByWeekday},
				SLA: kpi.RecommendedSLA()},
			groupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent, kpi.ByWeekday, kpi.ByDay, kpi.ByTenant},
		},
		{
			name:     "business hours, human replies, nearest rank, fixed as-of",
			shards:   8,
			dupEvery: 3,
			opts: KPIOptions{Policy: kpi.HumanReply, Method: kpi.NearestRank, By: []kpi.Dimension{kpi.ByHour},
				Hours: &Hours{TimeZone: moscow.String(), Week: "mon-fri 09:00-18:00; sat 10:00-16:00",
					Holidays: []string{"2026-10-12"}},
				AsOf: time.Date(2026, 10, 20, 12, 0, 0, 0, moscow)},
			groupBy: []kpi.Dimension{kpi.ByHour},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			paths := shard(t, dir, sample.CSV(), tc.shards, tc.dupEvery, 7)
			want := kpiReference(t, paths, csvio.Options{}, tc.opts, tc.groupBy)
			got, _ := kpiPipeline(t, dir, ReadOptions{}, tc.opts, tc.groupBy)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("pipeline document differs from Summarize's (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCellLabelsAreSummarizeGroups holds the labels of a lead's cell to
// the keys kpi.Summarize gives the lead's groups: for any one lead, each
// breakdown has one group, whose key is the cell's label.
func TestCellLabelsAreSummarizeGroups(t *testing.T) {
	zones := []string{"UTC", "Europe/Moscow", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham"}
	by := []kpi.Dimension{kpi.ByChannel, kpi.ByAgent, kpi.BySource, kpi.ByHour, kpi.ByWeekday}
	rapid.Check(t, func(t *rapid.T) {
		loc, err := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
		if err != nil {
			t.Fatal(err)
		}
		label := rapid.StringMatching(`[a-zа-я]{0,6}`)
		tenant := label.Draw(t, "tenant")
		start := time.Unix(rapid.Int64Range(-3e9, 4e9).Draw(t, "start"), 0).UTC()
		events := []onemin.Event{{ID: "e1", Tenant: tenant, Kind: onemin.MessageIn, At: start, ConversationID: "c1",
			Actor: onemin.Customer, Channel: label.Draw(t, "channel"), Source: label.Draw(t, "source")}}
		if rapid.Bool().Draw(t, "answered") {
			events = append(events, onemin.Event{ID: "e2", Tenant: tenant, Kind: onemin.MessageOut,
				At: start.Add(time.Duration(rapid.Int64Range(0, 1e13).Draw(t, "delay"))), ConversationID: "c1",
				Actor: onemin.Human, Agent: label.Draw(t, "agent")})
		}
		rep := kpi.Summarize(events, kpi.Options{Location: loc, KeepLeads: true,
			GroupBy: append([]kpi.Dimension{kpi.ByTenant, kpi.ByDay}, by...)})
		if len(rep.Leads) != 1 {
			t.Fatalf("%d leads, want 1", len(rep.Leads))
		}
		labels := cellLabels(nil, &rep.Leads[0], by, map[int64]string{})
		var want []string
		for _, b := range rep.Groups {
			if len(b.Groups) != 1 {
				t.Fatalf("%d %s groups for one lead", len(b.Groups), b.Dimension)
			}
			want = append(want, b.Groups[0].Key)
		}
		if diff := cmp.Diff(want, labels); diff != "" {
			t.Fatalf("cell labels differ from Summarize's group keys (-want +got):\n%s", diff)
		}
	})
}

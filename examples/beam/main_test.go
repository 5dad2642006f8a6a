package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/internal/sample"
	"github.com/onemin/onemin/kpi"
)

func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

// TestPipelineOnSample runs the command's pipeline on the sample split in
// three files and checks its document against kpi.Summarize of the sample.
func TestPipelineOnSample(t *testing.T) {
	dir := t.TempDir()
	lines := strings.Split(strings.TrimSpace(string(sample.CSV())), "\n")
	for i := range 3 {
		part := []string{lines[0]}
		for j := 1 + i; j < len(lines); j += 3 {
			part = append(part, lines[j])
		}
		if err := os.WriteFile(filepath.Join(dir, "part-"+string(rune('a'+i))+".csv"), []byte(strings.Join(part, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "kpi.json")
	p, err := pipeline(flags{input: filepath.Join(dir, "*.csv"), output: out, by: "channel,day", reply: "any",
		method: "linear", tz: "Europe/Moscow", sla: kpi.DefaultTarget, shards: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rows struct {
			Read, Accepted int
		} `json:"rows"`
		Overall kpi.Summary       `json:"overall"`
		Groups  []json.RawMessage `json:"groups"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	res, err := csvio.ReadAll(sample.Open(), csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := kpi.Summarize(res.Events, kpi.Options{Location: sample.Location(), GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByDay}})
	if diff := cmp.Diff(rep.Summary, doc.Overall); diff != "" {
		t.Errorf("overall summary differs from Summarize (-want +got):\n%s", diff)
	}
	if doc.Rows.Read != res.Counts.Read || doc.Rows.Accepted != res.Counts.Accepted {
		t.Errorf("rows %+v, want %+v", doc.Rows, res.Counts)
	}
	if want := len(rep.Groups[0].Groups) + len(rep.Groups[1].Groups); len(doc.Groups) != want {
		t.Errorf("%d groups, want %d", len(doc.Groups), want)
	}
}

func TestPipelineRejectsBadFlags(t *testing.T) {
	tests := []struct {
		reason string
		f      flags
	}{
		{"no input", flags{}},
		{"negative shards", flags{input: "x", reply: "any", method: "linear", shards: -1}},
		{"unknown reply policy", flags{input: "x", reply: "robot"}},
		{"holidays without hours", flags{input: "x", holidays: "2026-01-01"}},
		{"unknown dimension", flags{input: "x", by: "colour"}},
		{"bad schedule", flags{input: "x", hours: "someday 25:00-26:00"}},
	}
	for _, tc := range tests {
		if _, err := pipeline(tc.f); err == nil {
			t.Errorf("%s: no error", tc.reason)
		}
	}
}

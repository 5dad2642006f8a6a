package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// within reports whether got is within the relative error alpha of want.
func within(got, want *float64, alpha float64) bool {
	if got == nil || want == nil {
		return got == want
	}
	return math.Abs(*got-*want) <= alpha**want+1e-9
}

// TestKPIStreamNumbers checks --stream against the hand-computed numbers
// of kpi_events.csv (see TestKPIGoldens): counts and rate exact,
// percentiles within 1 %.
func TestKPIStreamNumbers(t *testing.T) {
	got, code, errOut := kpiRunJSON(t, "", "--stream", "--tz", "Europe/Samara", "testdata/kpi_events.csv")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	o := got.Overall
	if o.Leads != 8 || o.Answered != 6 || o.Met != 3 || o.Breached != 4 || o.Pending != 1 {
		t.Errorf("counts %+v, want 8 leads, 6 answered, 3 met, 4 breached, 1 pending", o)
	}
	if o.Rate == nil || math.Abs(*o.Rate-300.0/7) > 1e-9 {
		t.Errorf("SLA rate %v, want 42.857… (3 of 7 decided)", o.Rate)
	}
	for _, p := range []struct {
		name      string
		got, want *float64
	}{{"median", o.Median, f(65)}, {"P90", o.P90, f(360)}, {"P99", o.P99, f(576)}} {
		if !within(p.got, p.want, 0.01) {
			t.Errorf("%s %v, want %v within 1 %%", p.name, *p.got, *p.want)
		}
	}
}

// TestKPIStreamSaysSo: the output of --stream says its percentiles are
// estimates, in text and in JSON, and the exact output does not.
func TestKPIStreamSaysSo(t *testing.T) {
	_, text, _ := runCmd(t, "", "kpi", "--stream")
	if !strings.Contains(text, "estimated from a sketch (within 1% of the exact values, --stream)") {
		t.Errorf("text output does not say the percentiles are estimates:\n%s", text)
	}
	_, exact, _ := runCmd(t, "", "kpi")
	if strings.Contains(exact, "sketch") {
		t.Errorf("exact text output mentions a sketch:\n%s", exact)
	}
	for _, args := range [][]string{{"--stream"}, {}} {
		_, out, _ := runCmd(t, "", append([]string{"kpi", "--format", "json", "--by", "channel"}, args...)...)
		var j struct {
			Estimate      *string  `json:"estimate"`
			RelativeError *float64 `json:"relative_error"`
			Overall       struct {
				Estimate      *string  `json:"estimate"`
				RelativeError *float64 `json:"relative_error"`
			}
		}
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatal(err)
		}
		stream := len(args) > 0
		says := j.Estimate != nil && *j.Estimate == "sketch" && j.RelativeError != nil && *j.RelativeError == 0.01 &&
			j.Overall.Estimate != nil && *j.Overall.Estimate == "sketch" && j.Overall.RelativeError != nil
		silent := j.Estimate == nil && j.RelativeError == nil && j.Overall.Estimate == nil && j.Overall.RelativeError == nil
		if stream && !says || !stream && !silent {
			t.Errorf("kpi %v: estimate %v, relative_error %v, overall %v, %v", args, j.Estimate, j.RelativeError,
				j.Overall.Estimate, j.Overall.RelativeError)
		}
	}
}

// TestKPIStreamMatchesBatch runs the embedded month of a salon both ways:
// the same counts and rates in every group, percentiles within 1 %.
func TestKPIStreamMatchesBatch(t *testing.T) {
	batch, _, _ := kpiRunJSON(t, "", "--by", "channel,agent,day")
	stream, code, errOut := kpiRunJSON(t, "", "--by", "channel,agent,day", "--stream", "--idle", "2000h")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	check := func(what string, b, s summaryJSON) {
		if b.Leads != s.Leads || b.Answered != s.Answered || b.Pending != s.Pending || b.Met != s.Met ||
			b.Breached != s.Breached || !within(s.Rate, b.Rate, 0) {
			t.Errorf("%s: stream %+v, batch %+v", what, s, b)
		}
		for _, p := range [][2]*float64{{b.Median, s.Median}, {b.P90, s.P90}, {b.P99, s.P99}} {
			if !within(p[1], p[0], 0.01) {
				t.Errorf("%s: percentile %v, batch %v", what, p[1], p[0])
			}
		}
	}
	check("overall", batch.Overall, stream.Overall)
	if len(batch.Groups) != len(stream.Groups) {
		t.Fatalf("%d groups, batch %d", len(stream.Groups), len(batch.Groups))
	}
	for i, g := range batch.Groups {
		check(g.By+" "+g.Value, g.summaryJSON, stream.Groups[i].summaryJSON)
	}
}

func TestKPIStreamLateEvents(t *testing.T) {
	const csv = "kind,at,conversation_id,actor\n" +
		"message_out,2026-11-02T10:00:10Z,a,bot\n" +
		"message_in,2026-11-02T10:00:00Z,a,customer\n"
	got, code, errOut := kpiRunJSON(t, csv, "--stream", "-")
	if code != 0 || got.Overall.Met != 1 || got.Overall.Median == nil || *got.Overall.Median != 10 {
		t.Errorf("within --lateness: exit %d, %+v, stderr:\n%s", code, got.Overall, errOut)
	}
	got, code, errOut = kpiRunJSON(t, csv, "--stream", "--lateness", "0s", "-")
	if code != 1 || !strings.Contains(errOut, "too late") || got.Overall.Leads != 0 {
		t.Errorf("beyond --lateness: exit %d, %+v, stderr:\n%s", code, got.Overall, errOut)
	}
	_, code, _ = kpiRunJSON(t, csv, "--stream", "--lateness", "0s", "--allow-rejects", "-")
	if code != 0 {
		t.Errorf("beyond --lateness with --allow-rejects: exit %d", code)
	}
}

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// funnelJSON is the part of the JSON output the tests read.
type funnelJSON struct {
	Steps []struct {
		Step     string   `json:"step"`
		Count    int      `json:"count"`
		FromPrev *float64 `json:"conversion_from_previous"`
		Median   *float64 `json:"median_seconds_to_step"`
		P90      *float64 `json:"p90_seconds_to_step"`
	} `json:"steps"`
	Groups []struct {
		Key   string `json:"key"`
		Steps []struct {
			Count int `json:"count"`
		} `json:"steps"`
	} `json:"groups"`
	ZeroDialogs *struct {
		Conversations     int `json:"conversations"`
		NoCustomerMessage int `json:"no_customer_message"`
		Unanswered        int `json:"unanswered"`
	} `json:"zero_dialogs"`
}

func runFunnelJSON(t *testing.T, args ...string) funnelJSON {
	t.Helper()
	code, out, errOut := runCmd(t, "", append([]string{"funnel", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	var got funnelJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in\n%s", err, out)
	}
	return got
}

func TestFunnelChatbot(t *testing.T) {
	// anna goes all the way; boris stops at the lead; vera got no answer;
	// gleb's dialog is support and left out; dan's chat has only a greeting.
	got := runFunnelJSON(t, "--by", "source", "testdata/funnel_events.csv")
	var counts []int
	for _, s := range got.Steps {
		counts = append(counts, s.Count)
	}
	if diff := cmp.Diff([]int{3, 2, 2, 1, 1, 1}, counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	// engaged: anna after 120 s, boris after 600 s: median 360, P90 552.
	if e := got.Steps[1]; e.Median == nil || *e.Median != 360 || *e.P90 != 552 || *e.FromPrev != 2.0/3 {
		t.Errorf("engaged = %+v, want median 360, P90 552, 2/3 from previous", e)
	}
	groups := map[string][]int{}
	for _, g := range got.Groups {
		for _, s := range g.Steps {
			groups[g.Key] = append(groups[g.Key], s.Count)
		}
	}
	want := map[string][]int{"instagram": {2, 1, 1, 1, 1, 1}, "telegram": {1, 1, 1, 0, 0, 0}}
	if diff := cmp.Diff(want, groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	z := got.ZeroDialogs
	if z == nil || z.Conversations != 4 || z.NoCustomerMessage != 1 || z.Unanswered != 1 {
		t.Errorf("zero dialogs = %+v, want 4 conversations, 1 without a customer message, 1 unanswered", z)
	}
}

func TestFunnelSteps(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		want   []int
	}{
		{"lead to payment without a window", []string{"--steps", "lead,payment"}, []int{2, 1}},
		{"anna paid two days after her lead: out of a one-day window", []string{"--steps", "lead,payment", "--window", "1d"}, []int{2, 0}},
		{"either kind in one step", []string{"--steps", "lead|handoff,deal_won"}, []int{2, 1}},
		// anna, boris and gleb got a reply between their first message
		// and the lead step: dropped, whatever their later attempts did;
		// vera, never answered, stays and never leaves a lead.
		{"an exclusion drops the contact", []string{"--steps", "message_in,lead", "--exclude", "message_out"}, []int{1, 0}},
		{"with totals, only the attempts with the excluded event", []string{"--steps", "message_in,lead", "--exclude", "message_out", "--count", "totals"}, []int{4, 2}},
		// Totals: each customer message after a reply starts a new attempt:
		// c1, c2 and c4 make two each (one answered), c3 one: 7 → 3.
		{"per conversation, totals, support included", []string{"--steps", "message_in,message_out", "--unit", "conversation", "--count", "totals"}, []int{7, 3}},
	}
	for _, tt := range tests {
		got := runFunnelJSON(t, append(tt.args, "testdata/funnel_events.csv")...)
		var counts []int
		for _, s := range got.Steps {
			counts = append(counts, s.Count)
		}
		if diff := cmp.Diff(tt.want, counts); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestFunnelFormats(t *testing.T) {
	code, out, _ := runCmd(t, "", "funnel", "--steps", "lead,payment", "--format", "csv", "testdata/funnel_events.csv")
	want := "by,value,step,count,conversion_from_previous,conversion_from_start,dropoff,median_seconds_to_step,p90_seconds_to_step\n" +
		"overall,,lead,2,1,1,0,0,0\n" +
		"overall,,payment,1,0.5,0.5,1,172500,172500\n" // two days less five minutes
	if diff := cmp.Diff(want, out); code != 0 || diff != "" {
		t.Errorf("csv, exit %d (-want +got):\n%s", code, diff)
	}
	code, out, _ = runCmd(t, "", "funnel", "--steps", "lead,payment", "testdata/funnel_events.csv")
	if code != 0 || !strings.Contains(out, "payment  1      50.0%          50.0%       1         2d00h   2d00h") {
		t.Errorf("text, exit %d:\n%s", code, out)
	}
	code, out, _ = runCmd(t, "", "funnel", "--steps", "lead,payment", "--format", "markdown", "testdata/funnel_events.csv")
	if code != 0 || !strings.Contains(out, "| payment | 1 | 50.0% | 50.0% | 1 | 2d00h | 2d00h |") {
		t.Errorf("markdown, exit %d:\n%s", code, out)
	}
}

func TestFunnelErrors(t *testing.T) {
	funnel := func(args ...string) []string { return append([]string{"funnel"}, args...) }
	checkRefusals(t, []refusal{
		{"an unknown kind in --steps", funnel("--steps", "lead,sale"), 2, `onemin funnel: --steps: "sale" is not an event kind`},
		{"both --steps and --funnel", funnel("--steps", "lead", "--funnel", "chatbot"), 2, "give one, not both"},
		{"an unknown funnel", funnel("--funnel", "sales"), 2, "not a ready-made funnel"},
		{"a bad window", funnel("--window", "soon"), 2, `--window: "soon" is not a duration`},
		{"a bad order", funnel("--order", "random"), 2, "--order"},
		{"a bad dimension", funnel("--by", "colour"), 2, "--by"},
		{"a bad format", funnel("--format", "xml"), 2, `onemin funnel: --format: unknown format "xml" (want text, json, markdown or csv)`},
		{"a bad zone", funnel("--tz", "Samara"), 2, `onemin funnel: --tz "Samara": not an IANA time zone`},
		{"a flag it does not have", funnel("--sla", "1m"), 2, "flag provided but not defined: -sla"},
		{"a file that is not there", funnel("testdata/no-such.csv"), 2, "onemin funnel: open testdata/no-such.csv"},
		{"a rejected row fails the run", funnel("--steps", "message_in,lead", "testdata/funnel_bad.csv"), 1, "funnel_bad.csv:3:"},
		{"unless rejects are allowed", funnel("--steps", "message_in,lead", "--allow-rejects", "testdata/funnel_bad.csv"), 0, "1 of 3 rows rejected"},
	})
}

func TestFunnelOnTheSample(t *testing.T) {
	for _, args := range [][]string{{"funnel"}, {"funnel", "--funnel", "appointment", "--by", "agent"}, {"funnel", "--steps", "message_in,lead,booking", "--by", "hour", "--order", "strict"}} {
		code, out, errOut := runCmd(t, "", args...)
		if code != 0 || !strings.Contains(out, "(embedded sample)") {
			t.Errorf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}
	got := runFunnelJSON(t, "--funnel", "appointment")
	for i := 1; i < len(got.Steps); i++ {
		if got.Steps[i].Count > got.Steps[i-1].Count {
			t.Errorf("step %d grows: %d > %d", i, got.Steps[i].Count, got.Steps[i-1].Count)
		}
	}
}

func TestFunnelListsRejectedRowsInJSON(t *testing.T) {
	code, out, _ := runCmd(t, "", "funnel", "--steps", "message_in,lead", "--allow-rejects", "--format", "json", "testdata/funnel_bad.csv")
	var got struct {
		Rows     rowCounts     `json:"rows"`
		Rejected []rejectedRow `json:"rejected"`
		Steps    []struct {
			Count int `json:"count"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	want := []rejectedRow{{File: "testdata/funnel_bad.csv", Line: 3, Field: "kind", Error: `unknown kind "lead_captured"`}}
	if diff := cmp.Diff(want, got.Rejected); diff != "" || got.Rows != (rowCounts{Read: 3, Accepted: 2, Rejected: 1}) {
		t.Errorf("rows %+v, rejected (-want +got):\n%s", got.Rows, diff)
	}
	if len(got.Steps) != 2 || got.Steps[0].Count != 1 || got.Steps[1].Count != 1 {
		t.Errorf("steps %+v, want 1 → 1 on the two good rows", got.Steps)
	}
}

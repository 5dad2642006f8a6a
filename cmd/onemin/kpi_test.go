package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin/kpi"
)

var update = flag.Bool("update", false, "rewrite the golden files of cmd/onemin tests")

// runCmd runs the CLI with args and returns its exit status and output.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

// The goldens were checked by hand against these numbers. The first
// replies of kpi_events.csv (the automation's reply to c5 stops no clock)
// are, sorted: 5, 20, 40, 90, 120, 600 s; c6 is unanswered since 12:30 and
// c8 since 13:10:00, the latest event is at 13:10:30. So, with linear
// percentiles (rank h = (n−1)·p):
//
//	median = 40 + 0.5·(90−40)   = 65 s      P90 = 120 + 0.5·(600−120) = 360 s
//	P99    = 120 + 0.95·480     = 576 s     mean = 875/6 = 145.833… s
//	met (≤ 60 s) = 3, breached = 3 + c6 = 4, pending = c8 = 1
//	SLA rate = 3 ÷ (8 − 1) × 100 = 42.857… %  → red
//
// By channel: telegram {5, 120}: median 62.5, P90 108.5, rate 50 %;
// web {600, c6}: rate 0 %; whatsapp {20, 40, 90}: median 40, P90 80,
// rate 66.7 %; instagram {c8 pending}: rate undefined.
func TestKPIGoldens(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"kpi_channel.txt", []string{"--by", "channel"}},
		{"kpi_channel.json", []string{"--by", "channel", "--format", "json"}},
		{"kpi_channel_agent.md", []string{"--by", "channel,agent", "--target", "whatsapp=2m", "--format", "markdown"}},
		{"kpi_channel.csv", []string{"--by", "channel", "--format", "csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			args := append([]string{"kpi", "--tz", "Europe/Samara", "testdata/kpi_events.csv"}, tt.args...)
			code, out, errOut := runCmd(t, "", args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			golden(t, tt.golden, out)
		})
	}
}

// kpiJSON is the part of the JSON contract the tests read.
type kpiJSON struct {
	Rows struct {
		Read, Accepted, Duplicates, Rejected int
	}
	Rejected []struct {
		File  string
		Line  int
		Field string
		Error string
	}
	Clock   string
	Method  string
	Overall summaryJSON
	Groups  []struct {
		By    string
		Value string
		summaryJSON
	}
}

type summaryJSON struct {
	Leads, Answered, Unanswered, Pending, Met, Breached int
	Median                                              *float64 `json:"median_seconds"`
	P90                                                 *float64 `json:"p90_seconds"`
	P99                                                 *float64 `json:"p99_seconds"`
	SLA                                                 *float64 `json:"sla_seconds"`
	Rate                                                *float64 `json:"sla_rate"`
	Status                                              *string
}

func kpiRunJSON(t *testing.T, stdin string, args ...string) (kpiJSON, int, string) {
	t.Helper()
	code, out, errOut := runCmd(t, stdin, append([]string{"kpi", "--format", "json"}, args...)...)
	var got kpiJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("exit %d, output is not JSON: %v\n%s\nstderr:\n%s", code, err, out, errOut)
	}
	return got, code, errOut
}

func f(v float64) *float64 { return &v }
func s(v string) *string   { return &v }

func TestKPINumbers(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		clock  string
		want   summaryJSON
	}{
		{
			reason: "linear percentiles, the hand-computed case above",
			args:   []string{"testdata/kpi_events.csv"},
			clock:  "calendar",
			want: summaryJSON{Leads: 8, Answered: 6, Unanswered: 2, Pending: 1, Met: 3, Breached: 4,
				Median: f(65), P90: f(360), P99: f(576), SLA: f(60), Rate: f(300.0 / 7), Status: s("red")},
		},
		{
			reason: "nearest rank: x[⌈p·n⌉−1] of 5, 20, 40, 90, 120, 600",
			args:   []string{"testdata/kpi_events.csv", "--method", "nearest-rank"},
			clock:  "calendar",
			want: summaryJSON{Leads: 8, Answered: 6, Unanswered: 2, Pending: 1, Met: 3, Breached: 4,
				Median: f(40), P90: f(600), P99: f(600), SLA: f(60), Rate: f(300.0 / 7), Status: s("red")},
		},
		{
			reason: "the one-row-per-lead sheet of the same leads (semicolons, serial and day-first dates) gives the same KPI",
			args:   []string{"testdata/kpi_leads.csv", "--as-of", "2026-10-01 13:10:30"},
			clock:  "calendar",
			want: summaryJSON{Leads: 8, Answered: 6, Unanswered: 2, Pending: 1, Met: 3, Breached: 4,
				Median: f(65), P90: f(360), P99: f(576), SLA: f(60), Rate: f(300.0 / 7), Status: s("red")},
		},
		{
			reason: "human replies only: {90, 120, 600}; the bot-answered c1, c3, c7 and c6 are breached, c8 pending",
			args:   []string{"testdata/kpi_events.csv", "--reply", "human"},
			clock:  "calendar",
			want: summaryJSON{Leads: 8, Answered: 3, Unanswered: 5, Pending: 1, Met: 0, Breached: 7,
				Median: f(120), P90: f(504), P99: f(590.4), SLA: f(60), Rate: f(0), Status: s("red")},
		},
		{
			reason: "a 2-minute target: 20, 40, 90, 120 and 5 are met, 600 and c6 breached; 5 ÷ 7",
			args:   []string{"testdata/kpi_events.csv", "--sla", "2m"},
			clock:  "calendar",
			want: summaryJSON{Leads: 8, Answered: 6, Unanswered: 2, Pending: 1, Met: 5, Breached: 2,
				Median: f(65), P90: f(360), P99: f(576), SLA: f(120), Rate: f(500.0 / 7), Status: s("yellow")},
		},
		{
			reason: "as of 13:00:30 c7's reply and c8 are not yet known, and c7 is pending",
			args:   []string{"testdata/kpi_events.csv", "--as-of", "2026-10-01T13:00:30+04:00"},
			clock:  "calendar",
			want: summaryJSON{Leads: 7, Answered: 5, Unanswered: 2, Pending: 1, Met: 2, Breached: 4,
				Median: f(90), P90: f(408), P99: f(580.8), SLA: f(60), Rate: f(100.0 / 3), Status: s("red")},
		},
		{
			reason: "business hours: the 17:59:30 lead answered at 09:00:30 next day waited 60 s of open time",
			args:   []string{"testdata/kpi_overnight.csv", "--hours", "mon-fri 09:00-18:00"},
			clock:  "business",
			want: summaryJSON{Leads: 2, Answered: 2, Met: 2,
				Median: f(45), P90: f(57), P99: f(59.7), SLA: f(60), Rate: f(100), Status: s("green")},
		},
		{
			reason: "the same in calendar time: {30 s, 15 h 01 min = 54060 s}; median 27045, P90 30 + 0.9·54030",
			args:   []string{"testdata/kpi_overnight.csv"},
			clock:  "calendar",
			want: summaryJSON{Leads: 2, Answered: 2, Met: 1, Breached: 1,
				Median: f(27045), P90: f(48657), P99: f(53519.7), SLA: f(60), Rate: f(50), Status: s("red")},
		},
		{
			reason: "Friday a holiday: the reply came while closed, so only the 30 s before Thursday's close count",
			args:   []string{"testdata/kpi_overnight.csv", "--hours", "mon-fri 09:00-18:00", "--holidays", "2026-10-02"},
			clock:  "business",
			want: summaryJSON{Leads: 2, Answered: 2, Met: 2,
				Median: f(30), P90: f(30), P99: f(30), SLA: f(60), Rate: f(100), Status: s("green")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got, code, errOut := kpiRunJSON(t, "", append([]string{"--tz", "Europe/Samara"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, errOut)
			}
			if got.Clock != tt.clock {
				t.Errorf("clock = %q, want %q", got.Clock, tt.clock)
			}
			if diff := cmp.Diff(tt.want, got.Overall, approx); diff != "" {
				t.Errorf("overall (-want +got):\n%s", diff)
			}
		})
	}
}

// approx compares float pointers to 1e-9, for rates such as 300/7.
var approx = cmp.Comparer(func(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	d := *a - *b
	return d < 1e-9 && d > -1e-9
})

func TestKPIGroupsByChannel(t *testing.T) {
	got, _, _ := kpiRunJSON(t, "", "--tz", "Europe/Samara", "--by", "channel", "testdata/kpi_events.csv")
	type row struct {
		Value  string
		Leads  int
		Median *float64
		P90    *float64
		Rate   *float64
		Status *string
	}
	want := []row{
		{"instagram", 1, nil, nil, nil, nil},
		{"telegram", 2, f(62.5), f(108.5), f(50), s("red")},
		{"web", 2, f(600), f(600), f(0), s("red")},
		{"whatsapp", 3, f(40), f(80), f(200.0 / 3), s("red")},
	}
	var rows []row
	for _, g := range got.Groups {
		if g.By != "channel" {
			t.Errorf("group by %q, want channel", g.By)
		}
		rows = append(rows, row{g.Value, g.Leads, g.Median, g.P90, g.Rate, g.Status})
	}
	if diff := cmp.Diff(want, rows, approx); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
}

func TestKPIBadInput(t *testing.T) {
	wantStderr := []string{
		`testdata/kpi_bad.csv:4: rejected: event "e3": field kind: unknown kind "mesage_in"`,
		`testdata/kpi_bad.csv:5: rejected: event "e4": field at: "yesterday": not a time`,
		`testdata/kpi_bad.csv:6: duplicate: event "e2": field event_id: repeats the row on line 3`,
		`testdata/kpi_bad.csv:7: rejected: the row has 5 fields, the header 6`,
	}
	for _, allow := range []bool{false, true} {
		args := []string{"kpi", "testdata/kpi_bad.csv"}
		wantCode := 1
		if allow {
			args, wantCode = append(args, "--allow-rejects"), 0
		}
		code, out, errOut := runCmd(t, "", args...)
		if code != wantCode {
			t.Errorf("allow-rejects %v: exit %d, want %d", allow, code, wantCode)
		}
		if !strings.Contains(out, "6 rows read: 2 accepted, 1 duplicate, 3 rejected") {
			t.Errorf("allow-rejects %v: the report still prints and counts the rows; got:\n%s", allow, out)
		}
		lines := strings.Split(errOut, "\n")
		if len(lines) < len(wantStderr) {
			t.Fatalf("stderr:\n%s", errOut)
		}
		for i, w := range wantStderr {
			if !strings.HasPrefix(lines[i], w) {
				t.Errorf("stderr line %d = %q, want prefix %q", i+1, lines[i], w)
			}
		}
	}
	got, code, _ := kpiRunJSON(t, "", "testdata/kpi_bad.csv")
	if code != 1 {
		t.Errorf("json: exit %d, want 1", code)
	}
	type rej struct {
		Line  int
		Field string
	}
	var rejs []rej
	for _, r := range got.Rejected {
		rejs = append(rejs, rej{r.Line, r.Field})
		if r.File != "testdata/kpi_bad.csv" || r.Error == "" {
			t.Errorf("rejected row %+v lacks its file or error", r)
		}
	}
	if diff := cmp.Diff([]rej{{4, "kind"}, {5, "at"}, {7, ""}}, rejs); diff != "" {
		t.Errorf("json rejected (-want +got):\n%s", diff)
	}
	if got.Rows.Read != 6 || got.Rows.Accepted != 2 || got.Rows.Duplicates != 1 || got.Rows.Rejected != 3 {
		t.Errorf("json rows = %+v", got.Rows)
	}
}

func TestKPIUsageErrors(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		stderr string
	}{
		{"a bad --sla", []string{"--sla", "soon"}, "not a duration"},
		{"a negative --sla", []string{"--sla", "-5s"}, "positive"},
		{"a bad --target", []string{"--target", "whatsapp"}, "channel=duration"},
		{"a bad --by", []string{"--by", "colour"}, "unknown dimension"},
		{"a bad --reply", []string{"--reply", "robot"}, "--reply"},
		{"a bad --method", []string{"--method", "median-of-medians"}, "--method"},
		{"a bad --format", []string{"--format", "xml"}, "unknown format"},
		{"a bad --tz", []string{"--tz", "Mars/Olympus"}, "IANA"},
		{"bad --hours", []string{"--hours", "someday 9-6"}, "--hours"},
		{"--holidays without --hours", []string{"--holidays", "2026-10-02"}, "--holidays needs --hours"},
		{"a bad --as-of", []string{"--as-of", "tomorrow"}, "--as-of"},
		{"a missing file", []string{"testdata/no-such-file.csv"}, "no-such-file.csv"},
		{"a header that names no layout", []string{"testdata/kpi_nolayout.csv"}, "names neither"},
		{"an unknown flag", []string{"--colour"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			args := append([]string{"kpi"}, tt.args...)
			if !strings.HasSuffix(tt.args[0], ".csv") {
				args = append(args, "testdata/kpi_events.csv")
			}
			code, _, errOut := runCmd(t, "", args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q does not say %q", errOut, tt.stderr)
			}
		})
	}
}

func TestKPIHelp(t *testing.T) {
	code, _, errOut := runCmd(t, "", "kpi", "-h")
	if code != 0 || !strings.Contains(errOut, "--sla") && !strings.Contains(errOut, "-sla") {
		t.Errorf("kpi -h: exit %d, stderr:\n%s", code, errOut)
	}
}

func TestKPIStdinAndFlagsAfterFiles(t *testing.T) {
	data, err := os.ReadFile("testdata/kpi_events.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, code, errOut := kpiRunJSON(t, string(data), "-", "--tz", "Europe/Samara", "--sla", "2m")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got.Overall.Met != 5 || got.Rows.Read != 16 {
		t.Errorf("stdin with flags after it: met %d of %d rows, want 5 of 16", got.Overall.Met, got.Rows.Read)
	}
}

func TestKPIEmptyInput(t *testing.T) {
	got, code, errOut := kpiRunJSON(t, "event_id,kind,at,conversation_id\n", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got.Overall.Leads != 0 || got.Overall.Rate != nil || got.Overall.Median != nil || got.Overall.Status != nil {
		t.Errorf("no leads: the rate, the median and the status are undefined, got %+v", got.Overall)
	}
}

func TestKPISample(t *testing.T) {
	got, code, errOut := kpiRunJSON(t, "", "--by", "channel")
	if code != 0 {
		t.Fatalf("the embedded sample: exit %d\n%s", code, errOut)
	}
	var raw struct {
		Sample   bool   `json:"sample"`
		TimeZone string `json:"time_zone"`
	}
	_, out, _ := runCmd(t, "", "kpi", "--format", "json")
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	if !raw.Sample || raw.TimeZone != "Europe/Moscow" {
		t.Errorf("sample %v in %q, want the sample in its own zone, Europe/Moscow", raw.Sample, raw.TimeZone)
	}
	r := got.Rows
	if r.Read == 0 || r.Read != r.Accepted+r.Duplicates+r.Rejected || r.Rejected != 0 {
		t.Errorf("rows %+v: want a clean sample whose counts balance", r)
	}
	o := got.Overall
	if o.Leads == 0 || o.Answered+o.Unanswered != o.Leads || o.Met+o.Breached+o.Pending != o.Leads || o.Median == nil {
		t.Errorf("overall %+v: want leads with consistent counts", o)
	}
	sum := 0
	for _, g := range got.Groups {
		sum += g.Leads
	}
	if sum != o.Leads {
		t.Errorf("channel groups hold %d leads, overall %d", sum, o.Leads)
	}
	code, out, _ = runCmd(t, "", "kpi")
	if code != 0 || !strings.Contains(out, "(embedded sample data)") {
		t.Errorf("text on the sample: exit %d, output:\n%s", code, out)
	}
}

func TestHumanDuration(t *testing.T) {
	tests := []struct {
		seconds float64
		want    string
	}{
		{0, "0s"},
		{0.44, "0.4s"},
		{2.5, "2.5s"},
		{28, "28s"},
		{59.9, "59.9s"},
		{59.96, "1m00s"},
		{125, "2m05s"},
		{3599.4, "59m59s"},
		{3600, "1h00m"},
		{4320, "1h12m"},
		{86369, "23h59m"},
		{86399, "1d00h"},
		{86400, "1d00h"},
		{3*86400 + 4*3600 + 1200, "3d04h"},
	}
	for _, tt := range tests {
		if got := humanDuration(kpi.Some(tt.seconds)); got != tt.want {
			t.Errorf("humanDuration(%v) = %q, want %q", tt.seconds, got, tt.want)
		}
	}
	if got := humanDuration(kpi.NullFloat{}); got != "-" {
		t.Errorf("undefined = %q, want -", got)
	}
	targets := map[time.Duration]string{30 * time.Second: "30s", time.Minute: "60s", 3 * time.Minute: "3m",
		90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 1500 * time.Millisecond: "1.5s"}
	for d, want := range targets {
		if got := target(&kpi.Summary{Target: d}); got != want {
			t.Errorf("target(%v) = %q, want %q", d, got, want)
		}
	}
}

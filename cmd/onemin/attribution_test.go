package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// attrJSON is the part of the attribution JSON contract the tests read.
type attrJSON struct {
	Model            string
	TotalConversions float64 `json:"total_conversions"`
	TotalValue       string  `json:"total_value"`
	Channels         []struct {
		Channel     string
		Conversions float64
		Value       string
	}
}

func attrRun(t *testing.T, stdin string, args ...string) (attrJSON, int, string) {
	t.Helper()
	code, out, errOut := runCmd(t, stdin, append([]string{"attribution", "--format", "json"}, args...)...)
	var got attrJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("exit %d, output is not JSON: %v\n%s\nstderr:\n%s", code, err, out, errOut)
	}
	return got, code, errOut
}

// credits flattens the channels to "channel conversions value".
func credits(r attrJSON) []string {
	var out []string
	for _, c := range r.Channels {
		out = append(out, c.Channel+" "+strings.TrimRight(strings.TrimRight(jsonNumber(c.Conversions), "0"), ".")+" "+c.Value)
	}
	return out
}

func jsonNumber(v float64) string { b, _ := json.Marshal(v); return string(b) + ".0" }

// The events of attribution_events.csv, by hand: k1 touched web, then
// wrote on WhatsApp, and paid 3000; k2 touched vk then web and paid 1000;
// k3 wrote on Telegram and did not buy; k4 touched web 41 days before
// writing on WhatsApp and paying 2000, so the 30-day lookback drops the
// web touch. Linear: whatsapp 1500 + 2000, web 1500 + 500, vk 500.
func TestAttributionNumbers(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		want   []string
	}{
		{"linear, 30-day lookback", []string{"--model", "linear"},
			[]string{"whatsapp 1.5 3500.00", "web 1 2000.00", "vk 0.5 500.00", "telegram 0 0.00"}},
		{"first touch", []string{"--model", "first"},
			[]string{"web 1 3000.00", "whatsapp 1 2000.00", "vk 1 1000.00", "telegram 0 0.00"}},
		{"last touch", []string{"--model", "last"},
			[]string{"whatsapp 2 5000.00", "web 1 1000.00", "telegram 0 0.00", "vk 0 0.00"}},
		{"no lookback keeps k4's old web touch", []string{"--model", "first", "--lookback", "0"},
			[]string{"web 2 5000.00", "vk 1 1000.00", "telegram 0 0.00", "whatsapp 0 0.00"}},
		{"by source: conversations carry no source", []string{"--model", "first", "--level", "source"},
			[]string{"yandex 1 3000.00", "(not set) 1 2000.00", "vk 1 1000.00"}},
		{"position 30/40/30: k1 and k2 have two touches each, so 50/50 all the same", []string{"--model", "position", "--position", "30/40/30"},
			[]string{"whatsapp 1.5 3500.00", "web 1 2000.00", "vk 0.5 500.00", "telegram 0 0.00"}},
		{"leads: none in the file", []string{"--conversion", "lead"},
			[]string{"telegram 0 0.00", "vk 0 0.00", "web 0 0.00", "whatsapp 0 0.00"}},
	}
	for _, tt := range tests {
		got, code, errOut := attrRun(t, "", append([]string{"testdata/attribution_events.csv"}, tt.args...)...)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", tt.reason, code, errOut)
		}
		if diff := cmp.Diff(tt.want, credits(got)); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tt.reason, diff)
		}
	}
}

func TestAttributionPaths(t *testing.T) {
	vignette := "A > B > A > B > B > A;1;1;0\nA > B > B > A > A;1;1;0\nA > A;1;1;0\n"
	got, code, errOut := attrRun(t, vignette, "--model", "markov", "--paths", "-", "--currency", "USD")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if diff := cmp.Diff([]string{"A 2 2.00", "B 1 1.00"}, credits(got)); diff != "" {
		t.Errorf("ChannelAttribution's vignette (-want +got)\n%s", diff)
	}
	if got.TotalValue != "3.00" || got.TotalConversions != 3 {
		t.Errorf("totals %v, %s; want 3, 3.00", got.TotalConversions, got.TotalValue)
	}

	got, code, errOut = attrRun(t, "a > b > c > d;2;100;0\n", "--model", "position", "--position", "30/10/60", "--paths", "-")
	if code != 0 {
		t.Fatalf("--position: exit %d\n%s", code, errOut)
	}
	if diff := cmp.Diff([]string{"d 1.2 60.00", "a 0.6 30.00", "b 0.1 5.00", "c 0.1 5.00"}, credits(got)); diff != "" {
		t.Errorf("position 30/10/60 over four touches (-want +got)\n%s", diff)
	}

	// Paths written from events read back to the same result.
	written := filepath.Join(t.TempDir(), "paths.csv")
	fromEvents, code, errOut := attrRun(t, "", "testdata/attribution_events.csv", "--model", "markov", "--currency", "RUB", "--write-paths", written)
	if code != 0 {
		t.Fatalf("--write-paths: exit %d\n%s", code, errOut)
	}
	fromPaths, code, errOut := attrRun(t, "", "--paths", written, "--model", "markov", "--currency", "RUB")
	if code != 0 {
		t.Fatalf("--paths of written paths: exit %d\n%s", code, errOut)
	}
	if diff := cmp.Diff(credits(fromEvents), credits(fromPaths)); diff != "" {
		t.Errorf("events and their written paths differ (-events +paths)\n%s", diff)
	}

	// A bad line is named and fails the run, unless rejects are allowed.
	bad := vignette + "A > ;1;1;0\n"
	code, _, errOut = runCmd(t, bad, "attribution", "--paths", "-")
	if code != 1 || !strings.Contains(errOut, "-:4: rejected: field path: empty channel name") {
		t.Errorf("bad line: exit %d, stderr:\n%s", code, errOut)
	}
	if code, _, _ = runCmd(t, bad, "attribution", "--paths", "-", "--allow-rejects"); code != 0 {
		t.Errorf("--allow-rejects: exit %d", code)
	}

	// Time decay needs touch times, which the path format lacks.
	code, _, errOut = runCmd(t, vignette, "attribution", "--model", "time-decay", "--paths", "-")
	if code != 2 || !strings.Contains(errOut, "time-decay needs touch times") {
		t.Errorf("time decay on paths: exit %d, stderr:\n%s", code, errOut)
	}
}

func TestAttributionFlags(t *testing.T) {
	attr := func(args ...string) []string {
		return append([]string{"attribution", "testdata/attribution_events.csv"}, args...)
	}
	checkRefusals(t, []refusal{
		{"an unknown model", attr("--model", "u-shaped"), 2, `onemin attribution: --model: attribution: unknown model "u-shaped"`},
		{"an unknown level", attr("--level", "medium"), 2, `--level: attribution: unknown level "medium"`},
		{"a conversion that is no sale", attr("--conversion", "touch"), 2, `--conversion: "touch" is not payment, deal_won or lead`},
		{"a format it has not", attr("--format", "xml"), 2, `onemin attribution: --format: unknown format "xml" (want text or json)`},
		{"a half-life that is no span", attr("--half-life", "soon"), 2, `invalid value "soon" for flag -half-life`},
		{"a negative lookback", attr("--lookback", "-3d"), 2, `invalid value "-3d" for flag -lookback: "-3d" is not a number of days`},
		{"shares over 100", attr("--position", "50/50/50"), 2, `--position: "50/50/50" is not first/between/last in percent summing to 100`},
		{"two shares", attr("--position", "40/60"), 2, `--position: "40/60" is not first/between/last`},
		{"a bad zone", attr("--tz", "Samara"), 2, `onemin attribution: --tz "Samara": not an IANA time zone`},
		{"paths and events", attr("--paths", "testdata/attribution_events.csv"), 2, "give either --paths or event files, not both"},
		{"a rejected row fails the run", []string{"attribution", "testdata/funnel_bad.csv"}, 1, "funnel_bad.csv:3: rejected:"},
		{"unless rejects are allowed", []string{"attribution", "--allow-rejects", "testdata/funnel_bad.csv"}, 0, "1 of 3 rows rejected; going on without them"},
	})
}

// The golden's time-decay values, by hand (H = 7 days): k1's web touch is
// 5 d 2 h before the payment and its WhatsApp dialog 1 d 2 h, so 3000
// splits 1206.76 / 1793.24; k2's vk and web are 2 and 1 days before, so
// 1000 splits 475.26 / 524.74; k4 gives 2000 to WhatsApp. Totals:
// whatsapp 3793.24, web 1731.50, vk 475.26 (computed apart in Python).
func TestAttributionText(t *testing.T) {
	code, out, errOut := runCmd(t, "", "attribution", "--model", "time-decay", "testdata/attribution_events.csv")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	golden(t, "attribution_time_decay.txt", out)
}

// With no FILE every model runs on the embedded sample, and the channels'
// shares add up to the totals exactly.
func TestAttributionSample(t *testing.T) {
	if _, _, ok := sampleData(); !ok {
		t.Skip("no embedded sample in this build")
	}
	for _, model := range []string{"first", "last", "linear", "time-decay", "position", "markov", "shapley"} {
		got, code, errOut := attrRun(t, "", "--model", model)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", model, code, errOut)
			continue
		}
		conv, value := decimal.Zero, decimal.Zero
		for _, c := range got.Channels {
			conv = conv.Add(decimal.NewFromFloat(c.Conversions))
			value = value.Add(decimal.RequireFromString(c.Value))
		}
		if !conv.Equal(decimal.NewFromFloat(got.TotalConversions)) || !value.Equal(decimal.RequireFromString(got.TotalValue)) {
			t.Errorf("%s: channels sum to %s conversions and %s, totals are %v and %s", model, conv, value, got.TotalConversions, got.TotalValue)
		}
		if got.TotalConversions == 0 {
			t.Errorf("%s: the sample has no conversions", model)
		}
	}
}

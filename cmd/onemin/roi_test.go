package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// roiJSON is the part of the roi JSON output the tests read.
type roiJSON struct {
	Currency     string
	TotalRevenue struct{ Amount string } `json:"total_revenue"`
	Savings      struct{ Amount string }
	Costs        struct{ Bot, Marketing struct{ Amount string } }
	ROI          *string `json:"roi_percent"`
	ROMI         *string `json:"romi_percent"`
	ROAS         *string `json:"roas_percent"`
	CPL, CPA     *struct{ Amount string }
	CAC          *struct{ Amount string }
	Check        *struct{ Amount string } `json:"average_check"`
	LTV          *struct{ Amount string }
	Payback      *string `json:"payback_months"`
}

// flat renders the figures as strings, "null" for undefined ones.
func (r roiJSON) flat() map[string]string {
	str := func(p *string) string {
		if p == nil {
			return "null"
		}
		return *p
	}
	amt := func(p *struct{ Amount string }) string {
		if p == nil {
			return "null"
		}
		return p.Amount
	}
	return map[string]string{
		"currency": r.Currency, "revenue": r.TotalRevenue.Amount, "savings": r.Savings.Amount,
		"costs": r.Costs.Bot.Amount, "marketing": r.Costs.Marketing.Amount,
		"roi": str(r.ROI), "romi": str(r.ROMI), "roas": str(r.ROAS),
		"cpl": amt(r.CPL), "cpa": amt(r.CPA), "cac": amt(r.CAC), "check": amt(r.Check), "ltv": amt(r.LTV),
		"payback": str(r.Payback),
	}
}

func roiRun(t *testing.T, args ...string) (map[string]string, int, string) {
	t.Helper()
	code, out, errOut := runCmd(t, "", append([]string{"roi", "--format", "json"}, args...)...)
	var got roiJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("exit %d, output is not JSON: %v\n%s\nstderr:\n%s", code, err, out, errOut)
	}
	return got.flat(), code, errOut
}

// roi_events.csv by hand: k1 and k2 started with the bot (k3 with a
// human: its 99 999 is not the bot's). k1 paid 200 000 (kitchen) and then
// 50 000 (installation: a new product, upsell); k2 paid 50 000 after a won
// deal. Revenue 300 000. The bot closed d1 and d2 alone: savings 2 × 25 000
// = 50 000. roi_costs.csv: 120 000 / 12 + 15 000 + 2 000 000 / 1000 × 2.50
// + 20 × 2 500 + 20 000 = 100 000; marketing 60 000. So ROI (300 000 +
// 50 000 − 100 000) / 100 000 = 250 %, ROMI 240 000 / 60 000 = 400 %, ROAS
// 500 %, CPL 60 000 / 1 lead, CPA 60 000 / 1 won deal, CAC 160 000 / 2,
// average check 300 000 / 3, LTV 300 000 / 2, payback 120 000 / (350 000 −
// 90 000) = 0.46 months.
func TestROINumbers(t *testing.T) {
	full := map[string]string{
		"currency": "RUB", "revenue": "300000.00", "savings": "50000.00", "costs": "100000.00", "marketing": "60000.00",
		"roi": "250", "romi": "400", "roas": "500",
		"cpl": "60000.00", "cpa": "60000.00", "cac": "80000.00", "check": "100000.00", "ltv": "150000.00",
		"payback": "0.46",
	}
	got, code, errOut := roiRun(t, "--costs", "testdata/roi_costs.csv", "testdata/roi_events.csv")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if diff := cmp.Diff(full, got); diff != "" {
		t.Errorf("costs file (-want +got)\n%s", diff)
	}

	// The same costs by flags.
	got, code, errOut = roiRun(t, "testdata/roi_events.csv", "--currency", "rub",
		"--development", "120000", "--lifetime", "12", "--platform", "15000", "--llm-tokens", "2000000", "--llm-price", "2,50",
		"--support-hours", "20", "--support-rate", "2500", "--integrations", "20000", "--marketing", "60000", "--human-contact", "25000")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if diff := cmp.Diff(full, got); diff != "" {
		t.Errorf("flags (-want +got)\n%s", diff)
	}

	// No costs, no marketing: the ratios over costs are undefined, not
	// zero; the costs per lead or customer are zero (nothing spent, and
	// there are leads and customers to divide by).
	got, code, _ = roiRun(t, "testdata/roi_events.csv")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	want := map[string]string{"roi": "null", "romi": "null", "roas": "null", "cpl": "0.00", "cpa": "0.00", "cac": "0.00", "payback": "0"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("no costs: %s = %s, want %s", k, got[k], w)
		}
	}
}

func TestROIBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "costs.csv")
	if err := os.WriteFile(bad, []byte("item,amount,currency,quantity\nplatform,15000,RUB,\ncoffee,100,RUB,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd(t, "", "roi", "--costs", bad, "testdata/roi_events.csv")
	if code != 1 || !strings.Contains(errOut, `costs.csv:3: rejected: field item: unknown item "coffee"`) {
		t.Errorf("bad costs line: exit %d, stderr:\n%s", code, errOut)
	}
	mixed := filepath.Join(dir, "mixed.csv")
	if err := os.WriteFile(mixed, []byte("platform,15000,RUB,\nmarketing,100,USD,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, "", "roi", "--costs", mixed, "testdata/roi_events.csv")
	if code != 2 || !strings.Contains(errOut, "different currencies") {
		t.Errorf("currency mix without rates: exit %d, stderr:\n%s", code, errOut)
	}
	got, code, errOut := roiRun(t, "--costs", mixed, "--currency", "RUB", "--rates", "USD=90", "testdata/roi_events.csv")
	if code != 0 || got["marketing"] != "9000.00" {
		t.Errorf("with rates: exit %d, marketing %s (want 9000.00)\n%s", code, got["marketing"], errOut)
	}
}

func TestROIFlags(t *testing.T) {
	roi := func(args ...string) []string { return append([]string{"roi", "testdata/roi_events.csv"}, args...) }
	checkRefusals(t, []refusal{
		{"a format it has not", roi("--format", "xml"), 2, `onemin roi: --format: unknown format "xml" (want text or json)`},
		{"no months", roi("--months", "0"), 2, "onemin roi: --months must be positive"},
		{"an amount that is no number", roi("--platform", "abc"), 2, `--platform: roi: "abc" is not an amount`},
		{"rates into no currency", roi("--rates", "USD=90"), 2, "--rates needs --currency"},
		{"a rate without its value", roi("--currency", "RUB", "--rates", "USD"), 2, `--rates: "USD" is not CODE=rate`},
		{"a bad zone", roi("--tz", "Samara"), 2, `onemin roi: --tz "Samara": not an IANA time zone`},
		{"a costs file that is not there", roi("--costs", "testdata/no-such.csv"), 2, "onemin roi: open testdata/no-such.csv"},
		{"a rejected row fails the run", []string{"roi", "testdata/funnel_bad.csv"}, 1, "funnel_bad.csv:3: rejected:"},
		{"unless rejects are allowed", []string{"roi", "--allow-rejects", "testdata/funnel_bad.csv"}, 0, "1 of 3 rows rejected; going on without them"},
	})
}

func TestROIText(t *testing.T) {
	code, out, errOut := runCmd(t, "", "roi", "--costs", "testdata/roi_costs.csv", "testdata/roi_events.csv")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	golden(t, "roi_report.txt", out)
}

// With no FILE the report runs on the embedded sample.
func TestROISample(t *testing.T) {
	if _, _, ok := sampleData(); !ok {
		t.Skip("no embedded sample in this build")
	}
	got, code, errOut := roiRun(t, "--costs", "testdata/roi_costs.csv")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if got["currency"] != "RUB" || got["roi"] == "null" || got["revenue"] == "0.00" {
		t.Errorf("sample report: %v", got)
	}
}

package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The cohort test file: a (first touch instagram) writes in January and
// February and pays 100 RUB in February; b writes in January only; c
// writes and pays 50.50 RUB in February and writes again on 2 March. As of
// 15 March, March is not over.
var cohortArgs = []string{"--tz", "UTC", "--as-of", "2026-03-15", "testdata/cohort_events.csv"}

func TestCohortRetention(t *testing.T) {
	code, out, errOut := runCmd(t, "", append([]string{"cohort", "--format", "csv"}, cohortArgs...)...)
	want := `cohort,contacts,period,active,rate,complete
2026-01,2,0,2,1,true
2026-01,2,1,1,0.5,true
2026-01,2,2,0,0,false
2026-02,1,0,1,1,true
2026-02,1,1,1,1,false
average,3,0,3,1,true
average,2,1,1,0.5,true
average,0,2,0,,false
`
	if diff := cmp.Diff(want, out); code != 0 || diff != "" {
		t.Errorf("exit %d, %s (-want +got):\n%s", code, errOut, diff)
	}
	code, out, _ = runCmd(t, "", append([]string{"cohort"}, cohortArgs...)...)
	for _, line := range []string{
		"2026-01  2         100.0%  50.0%    0.0%*",
		"2026-02  1         100.0%  100.0%*",
		"average            100.0%  50.0%    -",
	} {
		if code != 0 || !strings.Contains(out, line) {
			t.Errorf("text output lacks %q:\n%s", line, out)
		}
	}
	// On or after: b is never back; a is back in February; by month M1
	// is as "on", but c's March visit makes its M1 100 % either way.
	code, out, _ = runCmd(t, "", append([]string{"cohort", "--mode", "on-or-after", "--format", "markdown"}, cohortArgs...)...)
	if code != 0 || !strings.Contains(out, "| 2026-01 | 2 | 100.0% | 50.0% | 0.0%* |") {
		t.Errorf("markdown on or after:\n%s", out)
	}
}

func TestCohortLTV(t *testing.T) {
	code, out, errOut := runCmd(t, "", append([]string{"cohort", "--metric", "ltv", "--format", "csv"}, cohortArgs...)...)
	// January: 0, then 100 ÷ 2 = 50; February: 50.50 ÷ 1. Average M0 =
	// 50.50 ÷ 3 = 16.8333 (to four places); M1 over January only.
	want := `cohort,contacts,period,revenue,per_contact,currency,complete
2026-01,2,0,0,0,RUB,true
2026-01,2,1,100,50,RUB,true
2026-01,2,2,100,50,RUB,false
2026-02,1,0,50.5,50.5,RUB,true
2026-02,1,1,50.5,50.5,RUB,false
average,3,0,50.5,16.8333,RUB,true
average,2,1,100,50,RUB,true
average,0,2,0,,RUB,false
`
	if diff := cmp.Diff(want, out); code != 0 || diff != "" {
		t.Errorf("exit %d, %s (-want +got):\n%s", code, errOut, diff)
	}
}

func TestCohortOtherMetrics(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		want   string
	}{
		{"first-touch source: a's touch makes it instagram", []string{"--by", "source", "--metric", "repeat", "--format", "csv"},
			"cohort,buyers,repeat,rate\ninstagram,2,0,0\ntelegram,0,0,\n"},
		{"average check by source beside the others", []string{"--by", "source", "--metric", "check", "--format", "csv"},
			"cohort,payments,revenue,average,others_average,currency\ninstagram,2,150.5,75.25,,RUB\ntelegram,0,0,,75.25,RUB\n"},
		// a paid 26 days after her first message, b never; c (10 February)
		// is mature on 15 March, and paid the same day.
		{"conversion within 30 days", []string{"--metric", "conversion", "--window", "30d", "--format", "csv"},
			"cohort,contacts,mature,hits,rate\n2026-01,2,2,1,0.5\n2026-02,1,1,1,1\n"},
		{"back within 30 days: a returned after 26 days, b never, c after 20", []string{"--metric", "returned", "--by", "source", "--format", "csv"},
			"cohort,contacts,mature,hits,rate\ninstagram,2,2,2,1\ntelegram,1,1,0,0\n"},
	}
	for _, tt := range tests {
		code, out, errOut := runCmd(t, "", append(append([]string{"cohort"}, tt.args...), cohortArgs...)...)
		if diff := cmp.Diff(tt.want, out); code != 0 || diff != "" {
			t.Errorf("%s: exit %d, %s (-want +got):\n%s", tt.reason, code, errOut, diff)
		}
	}
}

func TestCohortErrors(t *testing.T) {
	cohort := func(args ...string) []string { return append([]string{"cohort"}, args...) }
	checkRefusals(t, []refusal{
		{"a mix of currencies", cohort("--metric", "ltv", "testdata/cohort_mixed.csv"), 2, "more than one currency"},
		{"an unknown key", cohort("--by", "colour"), 2, `onemin cohort: --by: "colour" is not a cohort key`},
		{"an unknown metric", cohort("--metric", "happiness"), 2, "--metric"},
		{"an unknown period", cohort("--period", "year"), 2, "--period"},
		{"an unknown mode", cohort("--mode", "sometimes"), 2, "--mode"},
		{"a bad as-of", cohort("--as-of", "yesterday"), 2, `--as-of: "yesterday" is not a time`},
		{"a bad format", cohort("--format", "xml"), 2, `onemin cohort: --format: unknown format "xml" (want text, json, markdown or csv)`},
		{"a bad zone", cohort("--tz", "Samara"), 2, `--tz "Samara": not an IANA time zone`},
		{"a rejected row fails the run", cohort("testdata/funnel_bad.csv"), 1, "funnel_bad.csv:3: rejected:"},
		{"unless rejects are allowed", cohort("--allow-rejects", "testdata/funnel_bad.csv"), 0, "1 of 3 rows rejected; going on without them"},
	})
}

func TestCohortOnTheSample(t *testing.T) {
	for _, m := range cohortMetrics {
		code, out, errOut := runCmd(t, "", "cohort", "--metric", m, "--by", "week", "--period", "week", "--format", "json")
		if code != 0 || !strings.Contains(out, `"sample": true`) {
			t.Errorf("%s: exit %d\n%s", m, code, errOut)
		}
	}
}

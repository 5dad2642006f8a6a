package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The answered first replies are 12, 28, 45 and 95 s. With linear
// percentiles (rank h = (n−1)·p): median = (28 + 45) / 2 = 36.5 s and
// P90 = 45 + 0.7·(95 − 45) = 80 s. L3 is unanswered and its minute is
// long past at the last event (10:31:35), so it is breached: 3 of 5 leads
// are met, 60 %, below the 70 % yellow line.
func TestQuickstart(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	want := "leads 5, answered 4\n" +
		"median 36.5 s, P90 80 s\n" +
		"SLA rate (≤ 1m0s): 60 % (red)\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

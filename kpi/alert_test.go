package kpi

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestAlertRule(t *testing.T) {
	day := Period{From: t0.Truncate(24 * time.Hour), To: t0.Truncate(24*time.Hour).AddDate(0, 0, 1)}
	summary := func(met, breached, pending int) Summary {
		c := Counts{Leads: met + breached + pending, Answered: met + breached, Unanswered: pending,
			Met: met, Breached: breached, Pending: pending}
		return Summary{Counts: c, Rate: c.Rate(), Target: time.Minute}
	}
	tests := []struct {
		reason string
		rule   AlertRule
		s      Summary
		want   *Alert
	}{
		{"no leads: the rate is undefined, no alert", AlertRule{}, summary(0, 0, 0), nil},
		{"only pending leads: undefined, no alert", AlertRule{}, summary(0, 0, 3), nil},
		{"exactly 70 % does not alert", AlertRule{}, summary(7, 3, 0), nil},
		{"90 % does not alert", AlertRule{}, summary(9, 1, 5), nil},
		{
			"6 of 10 is below 70 %", AlertRule{}, summary(6, 4, 2),
			&Alert{Period: day, Rate: 60, Threshold: 70, Target: time.Minute,
				Counts:  Counts{Leads: 12, Answered: 10, Unanswered: 2, Met: 6, Breached: 4, Pending: 2},
				Message: "SLA rate 60.0% is below 70% for 2025-01-06 – 2025-01-07: 6 of 10 leads answered within 1m0s (4 breached, 2 pending)"},
		},
		{"a custom threshold", AlertRule{Threshold: 50}, summary(6, 4, 0), nil},
		{"too few decided leads to page anyone", AlertRule{MinDecided: 5}, summary(0, 2, 0), nil},
	}
	for _, tt := range tests {
		a, ok := tt.rule.Check(day, tt.s)
		if ok != (tt.want != nil) {
			t.Errorf("%s: fired = %v, want %v", tt.reason, ok, tt.want != nil)
			continue
		}
		if ok {
			if diff := cmp.Diff(*tt.want, a); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		}
	}
}

func TestAlertRuleProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := Counts{Met: rapid.IntRange(0, 50).Draw(t, "met"), Breached: rapid.IntRange(0, 50).Draw(t, "breached"),
			Pending: rapid.IntRange(0, 50).Draw(t, "pending")}
		c.Leads = c.Met + c.Breached + c.Pending
		th := rapid.Float64Range(1, 100).Draw(t, "threshold")
		s := Summary{Counts: c, Rate: c.Rate()}
		_, fired := AlertRule{Threshold: th}.Check(Period{}, s)
		r, ok := s.Rate.Get()
		if fired != (ok && r < th) {
			t.Fatalf("rate %v, threshold %v: fired = %v", s.Rate, th, fired)
		}
	})
}

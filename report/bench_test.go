package report

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/internal/sample"
	"github.com/onemin/onemin/kpi"
)

// sampleEvents reads the embedded sample (a month of a salon, 8321 events)
// and, with copies > 1, that many copies of it as separate tenants: a
// platform's month.
func sampleEvents(b *testing.B, copies int) []onemin.Event {
	b.Helper()
	res, err := csvio.ReadAll(sample.Open(), csvio.Options{Location: sample.Location()})
	if err != nil {
		b.Fatal(err)
	}
	if copies <= 1 {
		return res.Events
	}
	out := make([]onemin.Event, 0, len(res.Events)*copies)
	for i := range copies {
		for _, e := range res.Events {
			e.Tenant = fmt.Sprintf("t%03d", i)
			out = append(out, e)
		}
	}
	onemin.SortByTime(out)
	return out
}

func benchOptions() Options {
	return Options{Location: sample.Location(), Title: sample.Name}
}

// BenchmarkMonth compares each report of the sample month with the one
// pass of kpi.Summarize that the One-Minute reports are cut from: the peer
// that tells what the report adds.
func BenchmarkMonth(b *testing.B) {
	for _, copies := range []int{1, 12} {
		events := sampleEvents(b, copies)
		from, to := sample.Month()
		month := Period{From: from, To: to}
		day := PeriodOf(Day, to.Add(-time.Hour), sample.Location())
		opts := benchOptions()
		run := func(name string, f func() error) {
			b.Run(fmt.Sprintf("events=%d/%s", len(events), name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := f(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("kpi.Summarize", func() error {
			kpi.Summarize(events, opts.kpiOptions(to))
			return nil
		})
		run("dashboard", func() error { _, err := NewDashboard(events, month, to, opts); return err })
		run("daily", func() error { _, err := NewDailyDigest(events, day, to, opts); return err })
		run("weekly", func() error {
			_, err := NewNoShowReport(events, PeriodOf(Week, from.AddDate(0, 0, 14), nil), to, opts)
			return err
		})
		run("monthly", func() error { _, err := NewMarketingReport(events, month, to, opts); return err })
		run("bot", func() error { _, err := NewBotDashboard(events, month, to, opts, BotCosts{}); return err })
	}
}

// BenchmarkRender writes the sample's five reports in each format.
func BenchmarkRender(b *testing.B) {
	events := sampleEvents(b, 1)
	from, to := sample.Month()
	month := Period{From: from, To: to}
	opts := benchOptions()
	var reports []Report
	for _, build := range []func() (Report, error){
		func() (Report, error) { return NewDailyDigest(events, LastComplete(Day, to, opts.Location), to, opts) },
		func() (Report, error) {
			return NewNoShowReport(events, LastComplete(Week, to, opts.Location), to, opts)
		},
		func() (Report, error) { return NewMarketingReport(events, month, to, opts) },
		func() (Report, error) { return NewDashboard(events, month, to, opts) },
		func() (Report, error) { return NewBotDashboard(events, month, to, opts, BotCosts{}) },
	} {
		r, err := build()
		if err != nil {
			b.Fatal(err)
		}
		reports = append(reports, r)
	}
	for _, f := range []Format{Text, Markdown, JSON, HTML} {
		b.Run(f.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Render(io.Discard, f, reports...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

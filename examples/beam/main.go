// Command beam computes the One-Minute KPI of sharded event files on any
// Apache Beam runner and writes the JSON document that "onemin kpi
// --format json" writes for the same files.
//
// On prism, in this process:
//
//	go run . --input 'data/part-*.csv' --output kpi.json --by channel,day
//
// --shards sets how many shards each shuffle cuts the events into (64 by
// default): a worker holds about events/shards events at a time, so raise
// it with the input.
//
// On Dataflow (Flink and Spark take --runner flink or spark and
// --endpoint of their job server):
//
//	go run . --runner dataflow --project P --region europe-west1 \
//		--staging_location gs://B/staging --input 'gs://B/events/*.csv' \
//		--output gs://B/kpi.json --by channel,day
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/onemin/onemin/adapters/beam"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/kpi"
)

var (
	input    = flag.String("input", "", "files to read, a glob on any Beam file system: 'events/*.csv', 'gs://bucket/events/*.jsonl'")
	output   = flag.String("output", "kpi.json", "where to write the JSON document")
	by       = flag.String("by", "", "group by, comma-separated: channel, agent, source, hour, weekday, day, tenant")
	sla      = flag.Duration("sla", kpi.DefaultTarget, "SLA target for the first reply")
	reply    = flag.String("reply", "any", "which replies stop the clock: any (a bot or a human) or human")
	method   = flag.String("method", "linear", "percentile method: linear (as spreadsheets) or nearest-rank")
	tz       = flag.String("tz", "", "IANA time zone of days and hours, and of times written without an offset (default UTC)")
	hours    = flag.String("hours", "", `business hours, e.g. "mon-fri 09:00-18:00; sat 10:00-16:00", in --tz`)
	holidays = flag.String("holidays", "", "closed dates with --hours, comma-separated YYYY-MM-DD")
	asOf     = flag.String("as-of", "", "judge unanswered leads as of this time (RFC 3339); default: the latest event")
	shards   = flag.Int("shards", onebeam.DefaultShards, "shards of each shuffle: a worker holds about events/shards events at a time")
)

func main() {
	flag.Parse()
	beam.Init()
	p, err := pipeline(flags{input: *input, output: *output, by: *by, sla: *sla, reply: *reply,
		method: *method, tz: *tz, hours: *hours, holidays: *holidays, asOf: *asOf, shards: *shards})
	if err != nil {
		log.Fatalf("beam: %v", err)
	}
	if err := beamx.Run(context.Background(), p); err != nil {
		log.Fatalf("beam: %v", err)
	}
}

// flags are the command's settings.
type flags struct {
	input, output, by, reply, method, tz, hours, holidays, asOf string
	sla                                                         time.Duration
	shards                                                      int
}

// pipeline builds the pipeline the flags describe.
func pipeline(f flags) (*beam.Pipeline, error) {
	if f.input == "" {
		return nil, fmt.Errorf("--input is required")
	}
	if f.shards < 0 {
		return nil, fmt.Errorf("--shards %d: want a positive number, or 0 for %d", f.shards, onebeam.DefaultShards)
	}
	opts := onebeam.KPIOptions{SLA: kpi.SLA{Default: f.sla}, TimeZone: f.tz, Shards: f.shards}
	var err error
	if opts.Policy, err = kpi.ParseReplyPolicy(f.reply); err != nil {
		return nil, fmt.Errorf("--reply: %w", err)
	}
	if opts.Method, err = kpi.ParseMethod(f.method); err != nil {
		return nil, fmt.Errorf("--method: %w", err)
	}
	if f.hours != "" {
		opts.Hours = &onebeam.Hours{TimeZone: f.tz, Week: f.hours, Holidays: split(f.holidays)}
		if _, err := opts.Hours.Calendar(); err != nil {
			return nil, fmt.Errorf("--hours/--holidays: %w", err)
		}
	} else if f.holidays != "" {
		return nil, fmt.Errorf("--holidays needs --hours: holidays close business hours")
	}
	loc := time.UTC
	if f.tz != "" {
		if loc, err = time.LoadLocation(f.tz); err != nil {
			return nil, fmt.Errorf("--tz: %w", err)
		}
	}
	if f.asOf != "" {
		if opts.AsOf, err = csvio.ParseTime(f.asOf, loc); err != nil {
			return nil, fmt.Errorf("--as-of: %w", err)
		}
	}
	var groupBy []kpi.Dimension
	for _, name := range split(f.by) {
		d, err := kpi.ParseDimension(strings.ToLower(name))
		if err != nil {
			return nil, fmt.Errorf("--by: %w", err)
		}
		groupBy = append(groupBy, d)
		if d != kpi.ByTenant && d != kpi.ByDay {
			opts.By = append(opts.By, d)
		}
	}
	p, s := beam.NewPipelineWithRoot()
	in := onebeam.ReadFiles(s, f.input, onebeam.ReadOptions{TimeZone: f.tz, Shards: f.shards})
	onebeam.WriteKPI(s, f.output, in, onebeam.KPI(s, in.Events, opts), opts, groupBy)
	return p, nil
}

func split(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

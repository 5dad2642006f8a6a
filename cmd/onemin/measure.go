package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin/kpi"
)

// measureFlags say how replies are measured: the SLA targets, which
// replies count, business hours and the percentile method. onemin kpi and
// onemin report share them, so a report's One-Minute figures can be made
// to match the command's.
type measureFlags struct {
	sla      time.Duration
	targets  string
	reply    string
	hours    string
	holidays string
	method   string
}

// measurement is what measureFlags give.
type measurement struct {
	SLA    kpi.SLA
	Policy kpi.ReplyPolicy
	Clock  kpi.Clock // nil: calendar time
	Method kpi.Method
}

func (f *measureFlags) register(fs *flag.FlagSet) {
	f.sla = kpi.DefaultTarget
	fs.Func("sla", "SLA target for the first reply: 60s, 3m, 1h30m, or plain seconds (default 60s)", func(s string) error {
		d, err := parseTarget(s)
		f.sla = d
		return err
	})
	fs.StringVar(&f.targets, "target", "", "per-channel targets that override --sla: `channel=duration,...` (whatsapp=3m,email=15m)")
	fs.StringVar(&f.reply, "reply", "any", "which replies stop the clock: any (a bot or a human) or human")
	fs.StringVar(&f.hours, "hours", "", "business hours, e.g. `\"mon-fri 09:00-18:00; sat 10:00-16:00\"`: durations then count open time only")
	fs.StringVar(&f.holidays, "holidays", "", "closed dates with --hours, comma-separated YYYY-MM-DD")
	fs.StringVar(&f.method, "method", "linear", "percentile method: linear (as spreadsheets) or nearest-rank")
}

// parseTarget reads a target: a Go duration (45s, 3m, 1h30m) or a number
// of seconds; it must be positive.
func parseTarget(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(secs) || math.IsInf(secs, 0) || secs > 1e9 {
			return 0, fmt.Errorf("%q is not a duration (60s, 3m, 1h30m) or a number of seconds", s)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q: a target must be positive", s)
	}
	return d, nil
}

// measurement turns the flags into what kpi and report take; business
// hours are in loc.
func (f *measureFlags) measurement(loc *time.Location) (measurement, error) {
	m := measurement{SLA: kpi.SLA{Default: f.sla}}
	var err error
	if m.Policy, err = kpi.ParseReplyPolicy(f.reply); err != nil {
		return m, fmt.Errorf("--reply: %w", err)
	}
	if m.Method, err = kpi.ParseMethod(f.method); err != nil {
		return m, fmt.Errorf("--method: %w", err)
	}
	if f.targets != "" {
		m.SLA.Targets = map[kpi.Scope]time.Duration{}
		for _, part := range strings.Split(f.targets, ",") {
			ch, d, ok := strings.Cut(strings.TrimSpace(part), "=")
			ch = strings.ToLower(strings.TrimSpace(ch))
			if !ok || ch == "" {
				return m, fmt.Errorf("--target: %q is not channel=duration", part)
			}
			t, err := parseTarget(strings.TrimSpace(d))
			if err != nil {
				return m, fmt.Errorf("--target %s: %w", ch, err)
			}
			m.SLA.Targets[kpi.Scope{Step: kpi.FirstReply, Channel: ch}] = t
		}
	}
	if f.holidays != "" && f.hours == "" {
		return m, errors.New("--holidays needs --hours: holidays close business hours")
	}
	if f.hours != "" {
		week, err := kpi.ParseSchedule(f.hours)
		if err != nil {
			return m, fmt.Errorf("--hours: %w", err)
		}
		var days []string
		for _, d := range strings.Split(f.holidays, ",") {
			if d = strings.TrimSpace(d); d != "" {
				days = append(days, d)
			}
		}
		cal, err := kpi.NewCalendar(loc, week, kpi.WithHolidays(days...))
		if err != nil {
			return m, fmt.Errorf("--hours/--holidays: %w", err)
		}
		m.Clock = cal
	}
	return m, nil
}

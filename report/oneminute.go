package report

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
)

// Dashboard is the One-Minute dashboard of a period: the minimal panel
// (leads, median, P90, SLA rate with its traffic light), the same by
// channel, the median by hour of day, the SLA rate by day, the distribution
// of first-reply times, and the alert when the SLA rate is under the rule's
// threshold (70 % by default).
//
// Leads belong to the period in which their first customer message falls;
// outcomes are judged as of AsOf. Durations are in seconds, rates in percent
// (0–100). A Dashboard is a plain value.
type Dashboard struct {
	// Title names the business (Options.Title); empty for none.
	Title string `json:"title,omitempty"`
	// Period is the span reported on, in the report's zone, and AsOf the
	// time its outcomes were judged at; TimeZone names the zone.
	Period   Period    `json:"period"`
	AsOf     time.Time `json:"as_of"`
	TimeZone string    `json:"time_zone"`
	// Complete reports whether the period had ended by AsOf; a partial
	// period may still have pending leads.
	Complete bool `json:"complete"`
	// BusinessHours is true when reply times were measured in business
	// hours only ([Options.Clock]); the text forms say so under the as-of
	// line.
	BusinessHours bool `json:"business_hours,omitempty"`
	// Summary is the panel: every lead of the period.
	Summary kpi.Summary `json:"summary"`
	// PreviousPeriod is the period of equal length just before Period,
	// and Previous its summary, for the trend.
	PreviousPeriod Period      `json:"previous_period"`
	Previous       kpi.Summary `json:"previous"`
	// PreviousEvents counts the events of the period before (known at
	// AsOf); with none, no change is shown.
	PreviousEvents int `json:"previous_events"`
	// ByChannel has one group per channel, by name.
	ByChannel []kpi.Group `json:"by_channel"`
	// ByHour has 24 groups, keys "00" to "23", hour of day of the first
	// customer message in the report's zone; an hour without leads has an
	// undefined median.
	ByHour []kpi.Group `json:"by_hour"`
	// ByDay has one group per calendar day of the period, up to AsOf,
	// key "2006-01-02".
	ByDay []kpi.Group `json:"by_day"`
	// Distribution counts the answered leads by first-reply time, in
	// bins whose edges include the SLA target; Unanswered are counted
	// apart.
	Distribution []Bin `json:"distribution"`
	// TargetSeconds is the SLA target in seconds, drawn as the SLA line;
	// zero when channels have different targets.
	TargetSeconds float64 `json:"target_seconds"`
	// Alert is set when the alert rule fires on Summary.
	Alert *kpi.Alert `json:"alert"`
}

// Bin is one bar of the first-reply time distribution: the answered leads
// whose first-reply time is in (FromSeconds, ToSeconds]; ToSeconds is zero
// for the last, open-ended bin.
type Bin struct {
	FromSeconds float64 `json:"from_seconds"`
	ToSeconds   float64 `json:"to_seconds"`
	Leads       int     `json:"leads"`
}

// binEdges are the default upper edges of the distribution, in seconds.
var binEdges = []float64{10, 30, 60, 180, 600, 1800, 3600, 3 * 3600, 12 * 3600}

// measured is the per-lead first-reply results of a set of events, as of a
// time: every report that shows the One-Minute KPI cuts its periods out of
// one pass of kpi.Summarize, so that all of them agree.
type measured struct {
	leads []kpi.Result
	opts  *Options
	// previousEvents is set by the dashboard: the events of its previous
	// period known at the as-of time.
	previousEvents int
}

func measure(events []onemin.Event, opts *Options, asOf time.Time) measured {
	rep := kpi.Summarize(events, opts.kpiOptions(asOf))
	return measured{leads: rep.Leads, opts: opts}
}

// summary returns the summary of the leads that started in p and, when
// keep is not nil, that keep accepts.
func (m *measured) summary(p Period, keep func(*kpi.Result) bool) kpi.Summary {
	var acc kpi.Accumulator
	for i := range m.leads {
		r := &m.leads[i]
		if in(p, r.Start) && (keep == nil || keep(r)) {
			acc.Add(r)
		}
	}
	return acc.Summary(m.opts.Method, m.opts.Thresholds)
}

// groups returns the summaries of the leads of p grouped by key, ordered by
// key; every key of want is present even without leads.
func (m *measured) groups(p Period, key func(*kpi.Result) string, want []string) []kpi.Group {
	accs := map[string]*kpi.Accumulator{}
	for _, k := range want {
		accs[k] = &kpi.Accumulator{}
	}
	for i := range m.leads {
		r := &m.leads[i]
		if !in(p, r.Start) {
			continue
		}
		k := key(r)
		a := accs[k]
		if a == nil {
			a = &kpi.Accumulator{}
			accs[k] = a
		}
		a.Add(r)
	}
	keys := make([]string, 0, len(accs))
	for k := range accs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]kpi.Group, len(keys))
	for i, k := range keys {
		out[i] = kpi.Group{Key: k, Summary: accs[k].Summary(m.opts.Method, m.opts.Thresholds)}
	}
	return out
}

// NewDashboard builds the One-Minute dashboard of period p from events as of
// asOf. events should have passed onemin.Prepare; events after asOf are not
// yet known and are left out. It returns an error wrapping ErrPeriod when p
// is empty or asOf is before p starts.
func NewDashboard(events []onemin.Event, p Period, asOf time.Time, opts Options) (*Dashboard, error) {
	if err := checkAsOf(p, asOf); err != nil {
		return nil, err
	}
	m := measure(events, &opts, asOf)
	loc := opts.location()
	m.previousEvents = countIn(upTo(events, asOf.Add(1)), PreviousRange(Period{From: p.From.In(loc), To: p.To.In(loc)}))
	return m.dashboard(p, asOf), nil
}

func checkAsOf(p Period, asOf time.Time) error {
	if err := checkPeriod(p); err != nil {
		return err
	}
	if asOf.Before(p.From) {
		return fmt.Errorf("%w: as of %s is before the period %v starts", ErrPeriod, asOf.Format(time.RFC3339), p)
	}
	return nil
}

func (m *measured) dashboard(p Period, asOf time.Time) *Dashboard {
	loc := m.opts.location()
	p = Period{From: p.From.In(loc), To: p.To.In(loc)}
	d := &Dashboard{
		Title:          m.opts.Title,
		Period:         p,
		AsOf:           asOf.In(loc),
		TimeZone:       loc.String(),
		Complete:       !asOf.Before(p.To),
		BusinessHours:  m.opts.Clock != nil,
		Summary:        m.summary(p, nil),
		PreviousPeriod: PreviousRange(p),
	}
	d.Previous = m.summary(d.PreviousPeriod, nil)
	d.PreviousEvents = m.previousEvents
	d.ByChannel = m.groups(p, func(r *kpi.Result) string { return r.Channel }, nil)
	hours := make([]string, 24)
	for h := range hours {
		hours[h] = fmt.Sprintf("%02d", h)
	}
	d.ByHour = m.groups(p, func(r *kpi.Result) string { return hours[r.Start.In(loc).Hour()] }, hours)
	var days []string
	for t := p.From; t.Before(p.To) && !t.After(asOf); {
		days = append(days, t.Format(time.DateOnly))
		y, mo, dd := t.Date()
		t = time.Date(y, mo, dd+1, 0, 0, 0, 0, loc)
	}
	d.ByDay = m.groups(p, func(r *kpi.Result) string { return r.Start.In(loc).Format(time.DateOnly) }, days)
	d.TargetSeconds = d.Summary.Target.Seconds()
	d.Distribution = m.distribution(p, d.Summary.Target)
	if a, ok := m.opts.Alert.Check(p, d.Summary); ok {
		d.Alert = &a
	}
	return d
}

// distribution counts the answered leads of p in bins (a, b] of first-reply
// time; the target, when set, is one of the edges.
func (m *measured) distribution(p Period, target time.Duration) []Bin {
	edges := slices.Clone(binEdges)
	if t := target.Seconds(); t > 0 && !slices.Contains(edges, t) {
		edges = append(edges, t)
		slices.Sort(edges)
	}
	bins := make([]Bin, len(edges)+1)
	lo := 0.0
	for i, e := range edges {
		bins[i] = Bin{FromSeconds: lo, ToSeconds: e}
		lo = e
	}
	bins[len(edges)] = Bin{FromSeconds: lo}
	for i := range m.leads {
		r := &m.leads[i]
		if !in(p, r.Start) || !r.Answered() {
			continue
		}
		s := r.Business.Seconds()
		j, _ := slices.BinarySearch(edges, s) // first edge ≥ s: s is in (edges[j-1], edges[j]]
		bins[j].Leads++
	}
	return bins
}

// binLabel writes a bin as "≤10s", "10s–30s", ">12h".
func binLabel(b Bin) string {
	switch {
	case b.ToSeconds == 0:
		return ">" + seconds(b.FromSeconds)
	case b.FromSeconds == 0:
		return "≤" + seconds(b.ToSeconds)
	}
	return seconds(b.FromSeconds) + "–" + seconds(b.ToSeconds)
}

// seconds writes a whole number of seconds as 45s, 3m, 1h30m.
func seconds(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d < time.Minute:
		return strconv.FormatFloat(s, 'f', -1, 64) + "s"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < time.Hour && d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return d.String()
}

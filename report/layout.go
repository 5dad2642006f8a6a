package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin/kpi"
	"github.com/onemin/onemin/roi"
)

// Kind implements Report.
func (d *Dashboard) Kind() string { return "dashboard" }

// Kind implements Report.
func (d *DailyDigest) Kind() string { return "daily" }

// Kind implements Report.
func (r *NoShowReport) Kind() string { return "weekly" }

// Kind implements Report.
func (r *MarketingReport) Kind() string { return "monthly" }

// Kind implements Report.
func (d *BotDashboard) Kind() string { return "bot" }

// slaFact is the SLA rate with its light and its change.
func slaFact(now, before kpi.Summary) fact {
	label := "SLA rate"
	if now.Target > 0 {
		label += " (≤ " + seconds(now.Target.Seconds()) + ")"
	}
	return fact{label: label, value: percent(now.Rate), change: changePoints(now.Rate, before.Rate),
		status: now.Status, hasStatus: true}
}

func kpiTable(first string, groups []kpi.Group) *table {
	t := &table{header: []string{first, "leads", "answered", "median", "P90", "SLA rate", "status"},
		numeric: []bool{false, true, true, true, true, true, false}}
	for _, g := range groups {
		s := &g.Summary
		t.rows = append(t.rows, []cell{plain(orNone(g.Key)), itoa(s.Leads), itoa(s.Answered), plain(duration(s.Median)),
			plain(duration(s.P90)), plain(percent(s.Rate)), lit(s.Status)})
	}
	return t
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func (d *Dashboard) document() *document {
	doc := &document{title: titled("One-Minute dashboard", d.Title),
		lines: []string{periodText(d.Period), asOfText(d.AsOf, d.TimeZone, d.Complete, d.BusinessHours)}}
	if d.Alert != nil {
		doc.alert = alertText(d.Alert, d.Period)
	}
	s, p := d.Summary, d.Previous
	doc.sections = append(doc.sections, section{heading: "First reply",
		facts: []fact{
			{label: "Leads", value: strconv.Itoa(s.Leads), change: changeCount(s.Leads, p.Leads)},
			{label: "Median", value: duration(s.Median), change: changeDuration(s.Median, p.Median)},
			{label: "P90", value: duration(s.P90), change: changeDuration(s.P90, p.P90)},
			slaFact(s, p),
			{label: "Unanswered", value: strconv.Itoa(s.Unanswered), change: changeCount(s.Unanswered, p.Unanswered)},
		},
		notes: []string{against(d.PreviousPeriod, d.PreviousEvents)}})
	doc.sections = append(doc.sections, section{heading: "By channel", table: kpiTable("channel", d.ByChannel)})

	target := -1
	dist := &table{header: []string{"first reply", "leads"}, numeric: []bool{false, true}}
	bars := make([]column, len(d.Distribution))
	for i, b := range d.Distribution {
		bars[i] = column{label: binLabel(b), value: float64(b.Leads), ok: true, text: strconv.Itoa(b.Leads) + " leads"}
		if d.TargetSeconds > 0 && b.ToSeconds == d.TargetSeconds {
			target = i
		}
		dist.rows = append(dist.rows, []cell{plain(binLabel(b)), itoa(b.Leads)})
	}
	dist.rows = append(dist.rows, []cell{plain("unanswered"), itoa(s.Unanswered)})
	doc.sections = append(doc.sections, section{heading: "First-reply time distribution", table: dist,
		chart: columnChart(columnSpec{label: "answered leads by first-reply time", bars: bars, xRefAfter: target,
			xRefLabel: "SLA " + seconds(d.TargetSeconds), axis: axisCount, every: 1}),
		notes: []string{strconv.Itoa(s.Unanswered) + " unanswered leads are not in the chart."}})

	days := &table{header: []string{"day", "leads", "median", "SLA rate", "status"}, numeric: []bool{false, true, true, true, false}}
	dayBars := make([]column, len(d.ByDay))
	for i, g := range d.ByDay {
		r, ok := g.Summary.Rate.Get()
		label := g.Key
		if t, err := time.Parse(time.DateOnly, g.Key); err == nil {
			label = t.Format("01-02")
		}
		dayBars[i] = column{label: label, value: r, ok: ok, text: percent(g.Summary.Rate) + ", " + statusWord(g.Summary.Status),
			colour: statusColour(g.Summary.Status)}
		days.rows = append(days.rows, []cell{plain(g.Key), itoa(g.Summary.Leads), plain(duration(g.Summary.Median)),
			plain(percent(g.Summary.Rate)), lit(g.Summary.Status)})
	}
	doc.sections = append(doc.sections, section{heading: "SLA rate by day", table: days,
		chart: columnChart(columnSpec{label: "SLA rate by day, %", bars: dayBars, top: 100, xRefAfter: -1, axis: axisPercent,
			yRefs: thresholdRefs()})})

	hours := &table{header: []string{"hour", "leads", "median", "P90"}, numeric: []bool{false, true, true, true}}
	hourBars := make([]column, len(d.ByHour))
	for i, g := range d.ByHour {
		m, ok := g.Summary.Median.Get()
		hourBars[i] = column{label: g.Key, value: m, ok: ok, text: duration(g.Summary.Median)}
		hours.rows = append(hours.rows, []cell{plain(g.Key + ":00"), itoa(g.Summary.Leads), plain(duration(g.Summary.Median)),
			plain(duration(g.Summary.P90))})
	}
	doc.sections = append(doc.sections, section{heading: "Median first reply by hour of day", table: hours,
		chart: columnChart(columnSpec{label: "median first reply by hour of day", bars: hourBars, xRefAfter: -1, axis: axisDuration, nice: niceDuration, every: 3})})
	return withoutChanges(doc, d.PreviousEvents)
}

func thresholdRefs() []yRef {
	return []yRef{{value: kpi.DefaultGreen, label: "green ≥ 80%", colour: colourGreen},
		{value: kpi.DefaultYellow, label: "alert < 70%", colour: colourRed}}
}

func axisCount(v float64) string   { return strconv.FormatFloat(v, 'f', -1, 64) }
func axisPercent(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + "%" }
func axisDuration(v float64) string {
	if v == 0 {
		return "0"
	}
	return seconds(v)
}

func (d *DailyDigest) document() *document {
	doc := &document{title: titled("Daily lead digest", d.Title),
		lines: []string{periodText(d.Day.Period), asOfText(d.AsOf, d.TimeZone, d.Day.Complete, d.BusinessHours)}}
	if d.Alert != nil {
		doc.alert = alertText(d.Alert, d.Day.Period)
	}
	t, b := &d.Day, &d.Before
	doc.sections = []section{
		{heading: "Incoming", facts: []fact{
			{label: "New leads", value: strconv.Itoa(t.Incoming), change: changeCount(t.Incoming, b.Incoming)},
			{label: "Answered", value: strconv.Itoa(t.Answered), change: changeCount(t.Answered, b.Answered)},
			{label: "Unanswered", value: strconv.Itoa(t.Unanswered), change: changeCount(t.Unanswered, b.Unanswered)},
			{label: "Customer messages", value: strconv.Itoa(t.Messages), change: changeCount(t.Messages, b.Messages)},
			{label: "Replies", value: strconv.Itoa(t.Replies), change: changeCount(t.Replies, b.Replies)},
		}},
		{heading: "Speed", facts: []fact{
			{label: "Median first reply", value: duration(t.KPI.Median), change: changeDuration(t.KPI.Median, b.KPI.Median)},
			{label: "P90", value: duration(t.KPI.P90), change: changeDuration(t.KPI.P90, b.KPI.P90)},
			slaFact(t.KPI, b.KPI),
		}},
		{heading: "Conversions", facts: []fact{
			{label: "Leads captured", value: strconv.Itoa(t.Leads), change: changeCount(t.Leads, b.Leads)},
			{label: "Bookings", value: strconv.Itoa(t.Bookings), change: changeCount(t.Bookings, b.Bookings)},
			{label: "Deals won", value: strconv.Itoa(t.Sales), change: changeCount(t.Sales, b.Sales)},
			{label: "Payments", value: strconv.Itoa(t.Payments), change: changeCount(t.Payments, b.Payments)},
			{label: "Revenue", value: moneys(t.Revenue), change: "vs " + moneys(b.Revenue)},
		}, notes: []string{against(b.Period, b.Events)}},
	}
	return withoutChanges(doc, d.Before.Events)
}

func (r *NoShowReport) document() *document {
	doc := &document{title: titled("Weekly no-shows and confirmations", r.Title),
		lines: []string{periodText(r.Period), asOfText(r.AsOf, r.TimeZone, r.Complete, false)}}
	t, p := &r.Total, &r.Previous
	doc.sections = append(doc.sections, section{heading: "Bookings made this week", facts: []fact{
		{label: "Bookings", value: strconv.Itoa(t.Bookings), change: changeCount(t.Bookings, p.Bookings)},
		{label: "Confirmed", value: strconv.Itoa(t.Confirmed), change: changeCount(t.Confirmed, p.Confirmed)},
		{label: "Confirmation rate", value: ratio(t.ConfirmationRate), change: changePoints(nullRatio(t.ConfirmationRate), nullRatio(p.ConfirmationRate))},
		{label: "Attended", value: strconv.Itoa(t.Attended), change: changeCount(t.Attended, p.Attended)},
		{label: "No-shows", value: strconv.Itoa(t.NoShow), change: changeCount(t.NoShow, p.NoShow)},
		{label: "Cancelled", value: strconv.Itoa(t.Cancelled), change: changeCount(t.Cancelled, p.Cancelled)},
		{label: "No-show rate", value: ratio(t.NoShowRate), change: changePoints(nullRatio(t.NoShowRate), nullRatio(p.NoShowRate)),
			status: r.Status, hasStatus: true},
	}, notes: []string{"No-show rate = no-shows ÷ (attended + no-shows).", against(r.PreviousPeriod, r.PreviousEvents)}})
	tab := &table{header: []string{"employee", "bookings", "confirmed", "confirmation", "attended", "no-show", "cancelled", "no-show rate", "status"},
		numeric: []bool{false, true, true, true, true, true, true, true, false}}
	for _, a := range r.ByAgent {
		tab.rows = append(tab.rows, []cell{plain(a.Key), itoa(a.Bookings), itoa(a.Confirmed), plain(ratio(a.ConfirmationRate)),
			itoa(a.Attended), itoa(a.NoShow), itoa(a.Cancelled), plain(ratio(a.NoShowRate)), lit(a.Status)})
	}
	tab.rows = append(tab.rows, []cell{plain("total"), itoa(t.Bookings), itoa(t.Confirmed), plain(ratio(t.ConfirmationRate)),
		itoa(t.Attended), itoa(t.NoShow), itoa(t.Cancelled), plain(ratio(t.NoShowRate)), lit(r.Status)})
	doc.sections = append(doc.sections, section{heading: "By employee", table: tab})
	return withoutChanges(doc, r.PreviousEvents)
}

func (r *MarketingReport) document() *document {
	doc := &document{title: titled("Monthly marketing report", r.Title),
		lines: []string{periodText(r.Period), asOfText(r.AsOf, r.TimeZone, r.Complete, false)}}
	t, p := &r.Total, &r.Previous
	doc.sections = append(doc.sections, section{heading: "Total", facts: []fact{
		{label: "Spend", value: money(t.Spend), change: changeMoney(t.Spend, p.Spend)},
		{label: "Leads", value: strconv.Itoa(t.Leads), change: changeCount(t.Leads, p.Leads)},
		{label: "CPL", value: moneyPtr(t.CPL), change: "vs " + moneyPtr(p.CPL)},
		{label: "Revenue", value: money(t.Revenue), change: changeMoney(t.Revenue, p.Revenue)},
		{label: "ROI", value: decimalPercent(t.ROIPercent), change: "vs " + decimalPercent(p.ROIPercent)},
	}, notes: []string{against(r.PreviousPeriod, r.PreviousEvents)}})
	tab := &table{header: []string{"channel", "spend", "leads", "CPL", "sales", "revenue", "ROI"},
		numeric: []bool{false, true, true, true, true, true, true}}
	var bars []hbar
	for _, c := range append(append([]ChannelRow(nil), r.Channels...), r.Total) {
		tab.rows = append(tab.rows, []cell{plain(c.Channel), plain(money(c.Spend)), itoa(c.Leads), plain(moneyPtr(c.CPL)),
			plain(count(c.Sales)), plain(money(c.Revenue)), plain(decimalPercent(c.ROIPercent))})
		if c.Channel != "total" {
			f, _ := c.Revenue.Amount.Float64() // for the bar's length only
			bars = append(bars, hbar{label: c.Channel, value: f, text: money(c.Revenue) + " · ROI " + decimalPercent(c.ROIPercent)})
		}
	}
	doc.sections = append(doc.sections, section{heading: "By channel", table: tab,
		chart: barChart("revenue by channel", bars),
		notes: []string{fmt.Sprintf("Channel = UTM source. Revenue is the month's payments shared among the sources each payer touched (%s attribution); ROI = (revenue − spend) ÷ spend × 100.", r.Model)}})
	return withoutChanges(doc, r.PreviousEvents)
}

func (d *BotDashboard) document() *document {
	doc := &document{title: titled("Bot revenue dashboard", d.Title),
		lines: []string{periodText(d.Period), asOfText(d.AsOf, d.TimeZone, d.Complete, d.BusinessHours)}}
	c, p := &d.Current, &d.Previous
	cr, pr := &c.ROI, &p.ROI
	rev := []fact{{label: "Revenue from the bot", value: money(cr.TotalRevenue), change: changeMoney(cr.TotalRevenue, pr.TotalRevenue)}}
	if d.Plan != nil {
		rev = append(rev, fact{label: "Plan", value: money(*d.Plan), change: decimalPercent(d.PlanPercent) + " done"})
	}
	rev = append(rev,
		fact{label: "First purchases", value: money(cr.Revenue.Direct)},
		fact{label: "Upsell", value: money(cr.Revenue.Upsell)},
		fact{label: "Repeat", value: money(cr.Revenue.Repeat)},
		fact{label: "Refunds", value: negative(cr.Revenue.Refunds)},
		fact{label: "Paying customers (new)", value: strconv.FormatInt(cr.Customers, 10), change: changeCount(int(cr.Customers), int(pr.Customers))},
		fact{label: "ROI", value: decimalPercent(cr.ROIPercent), change: "vs " + decimalPercent(pr.ROIPercent)},
	)
	doc.sections = append(doc.sections, section{heading: "Revenue", facts: rev,
		notes: []string{"Revenue counts the payments of contacts whose first conversation the bot answered.", against(d.PreviousPeriod, d.PreviousEvents)}})

	ft := &table{header: []string{"step", "contacts", "from previous", "from start", "lost"}, numeric: []bool{false, true, true, true, true}}
	var fb []hbar
	for _, s := range c.Funnel {
		ft.rows = append(ft.rows, []cell{plain(s.Step), itoa(s.Count), plain(ratio(s.ConversionFromPrevious)),
			plain(ratio(s.ConversionFromStart)), itoa(s.Dropoff)})
		fb = append(fb, hbar{label: s.Step, value: float64(s.Count), text: strconv.Itoa(s.Count) + " · " + ratio(s.ConversionFromPrevious)})
	}
	doc.sections = append(doc.sections, section{heading: "Funnel", table: ft, chart: barChart("funnel: dialogs, leads, deals, payments", fb),
		notes: []string{"Contacts who reached each step in the period, in any order; support dialogs are left out."}})

	doc.sections = append(doc.sections, section{heading: "Quality", facts: []fact{
		{label: "CSAT (1–5)", value: floatPtr(c.CSAT), change: fmt.Sprintf("%d responses", c.CSATResponses)},
		{label: "Escalation to a human", value: ratio(c.Escalation), change: changePoints(nullRatio(c.Escalation), nullRatio(p.Escalation))},
		{label: "Median first reply", value: duration(c.FirstReply.Median), change: changeDuration(c.FirstReply.Median, p.FirstReply.Median)},
		slaFact(c.FirstReply, p.FirstReply),
	}})

	doc.sections = append(doc.sections, section{heading: "Savings", facts: []fact{
		{label: "Dialogs the bot closed alone", value: strconv.FormatInt(cr.BotClosed, 10), change: changeCount(int(cr.BotClosed), int(pr.BotClosed))},
		{label: "Saved on human contacts", value: money(cr.Savings), change: changeMoney(cr.Savings, pr.Savings)},
		{label: "Bot costs", value: money(cr.Costs.Bot)},
		{label: "Net (revenue + savings − costs)", value: money(cr.Net), change: changeMoney(cr.Net, pr.Net)},
	}})

	tr := &table{header: []string{"", "this period", "before", "change"}, numeric: []bool{false, true, true, true}}
	addRow := func(name, now, before, change string) {
		tr.rows = append(tr.rows, []cell{plain(name), plain(now), plain(before), plain(change)})
	}
	addRow("revenue", money(cr.TotalRevenue), money(pr.TotalRevenue), deltaMoney(cr.TotalRevenue, pr.TotalRevenue))
	addRow("leads", strconv.FormatInt(cr.Leads, 10), strconv.FormatInt(pr.Leads, 10), signed(int(cr.Leads-pr.Leads)))
	addRow("orders", strconv.FormatInt(cr.Orders, 10), strconv.FormatInt(pr.Orders, 10), signed(int(cr.Orders-pr.Orders)))
	addRow("bot dialogs", strconv.Itoa(c.BotDialogs), strconv.Itoa(p.BotDialogs), signed(c.BotDialogs-p.BotDialogs))
	addRow("escalation", ratio(c.Escalation), ratio(p.Escalation), deltaPoints(nullRatio(c.Escalation), nullRatio(p.Escalation)))
	addRow("CSAT", floatPtr(c.CSAT), floatPtr(p.CSAT), "")
	addRow("median first reply", duration(c.FirstReply.Median), duration(p.FirstReply.Median),
		deltaDuration(c.FirstReply.Median, p.FirstReply.Median))
	addRow("SLA rate", percent(c.FirstReply.Rate), percent(p.FirstReply.Rate),
		deltaPoints(c.FirstReply.Rate, p.FirstReply.Rate))
	doc.sections = append(doc.sections, section{heading: "Trends", table: tr})

	rc := &table{header: []string{"channel", "sales", "revenue"}, numeric: []bool{false, true, true}}
	var rb []hbar
	for _, ch := range d.RevenueByChannel.Channels {
		m := money(moneyOf(ch.Value, d.RevenueByChannel.Currency))
		rc.rows = append(rc.rows, []cell{plain(ch.Channel), plain(count(ch.Conversions)), plain(m)})
		f, _ := ch.Value.Float64() // for the bar's length only
		rb = append(rb, hbar{label: ch.Channel, value: f, text: m})
	}
	doc.sections = append(doc.sections, section{heading: "Revenue by channel", table: rc, chart: barChart("revenue by channel", rb),
		notes: []string{fmt.Sprintf("Every payment of the period, shared among the channels the payer touched (%s attribution).", d.RevenueByChannel.Model)}})

	rows, cols, cells, tab := retentionGrid(d)
	doc.sections = append(doc.sections, section{heading: "Retention by first-contact week", table: tab,
		chart: heatMap("weekly retention", rows, cols, cells),
		notes: []string{"Share of each week's new contacts active again k weeks later; * marks a week not over yet."}})
	return withoutChanges(doc, d.PreviousEvents)
}

func retentionGrid(d *BotDashboard) (rows, cols []string, cells [][]heatCell, tab *table) {
	n := 0
	for _, r := range d.Retention.Cohorts {
		n = max(n, len(r.Cells))
	}
	for k := range n {
		cols = append(cols, "week "+strconv.Itoa(k))
	}
	tab = &table{header: append([]string{"cohort", "contacts"}, cols...), numeric: []bool{false, true}}
	for range cols {
		tab.numeric = append(tab.numeric, true)
	}
	for _, r := range d.Retention.Cohorts {
		rows = append(rows, r.Key)
		row := make([]heatCell, n)
		tr := []cell{plain(r.Key), itoa(r.Contacts)}
		for k := range n {
			if k >= len(r.Cells) {
				tr = append(tr, plain(""))
				continue
			}
			c := r.Cells[k]
			v, ok := c.Rate.Value()
			text := ratio(c.Rate)
			if !c.Complete {
				text += "*"
			}
			row[k] = heatCell{value: v, ok: ok, text: text, complete: c.Complete}
			tr = append(tr, plain(text))
		}
		cells = append(cells, row)
		tab.rows = append(tab.rows, tr)
	}
	return rows, cols, cells, tab
}

// negative writes an amount that is taken away: "−2 200,00 ₽", and zero
// without a sign.
func negative(m roi.Money) string {
	if m.IsZero() {
		return money(m)
	}
	return "−" + money(m)
}

// against is the note under figures compared with the period before.
func against(p Period, events int) string {
	if events == 0 {
		return "No data for " + periodText(p) + ", the period before: nothing to compare with."
	}
	return "Changes are against " + periodText(p) + "."
}

// withoutChanges clears the comparisons of a document whose period before
// has no data: "+793 vs 0" would only say that nothing was recorded.
func withoutChanges(d *document, events int) *document {
	if events > 0 {
		return d
	}
	for i := range d.sections {
		for j := range d.sections[i].facts {
			f := &d.sections[i].facts[j]
			if strings.Contains(f.change, "vs ") {
				f.change = ""
			}
		}
	}
	return d
}

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"os"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/report"
	"github.com/onemin/onemin/report/send"
	"github.com/onemin/onemin/roi"
)

func init() {
	register("report", "the owner's reports: daily digest, weekly no-shows, monthly marketing, One-Minute and bot dashboards, as text, Markdown, a message, JSON or HTML", runReport)
}

// reportFlags are the flags of "onemin report".
type reportFlags struct {
	kinds, date, from, to, asOf      string
	format, out, title, model        string
	costs, humanContact, plan, rates string
	currency, lookback               string
	telegramChat, telegramURL        string
	mailTo, mailFrom, smtpAddr       string
	measureFlags
}

func (f *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.kinds, "kind", "dashboard", "report(s), comma-separated: daily, weekly, monthly, dashboard, bot")
	fs.StringVar(&f.date, "date", "", "a `day` (YYYY-MM-DD) in the period: the day, its ISO week or its month, by kind; default: the last complete one of the data")
	fs.StringVar(&f.from, "from", "", "first `day` of a custom period (with --to)")
	fs.StringVar(&f.to, "to", "", "last `day` of a custom period, included (with --from)")
	fs.StringVar(&f.asOf, "as-of", "", "judge the data as of this `time` ("+asOfForms+"); default: the end of the day of the latest event, or now while that day lasts")
	fs.StringVar(&f.format, "format", "text", "output: text, markdown, message (daily and dashboard), json or html")
	fs.StringVar(&f.out, "o", "", "write to `FILE` instead of standard output")
	fs.StringVar(&f.title, "title", "", "business name for the headings (default: the sample's name with the sample)")
	f.measureFlags.register(fs)
	fs.StringVar(&f.model, "model", "last", "attribution model of revenue by channel: first, last, linear, time-decay, position, markov, shapley")
	fs.StringVar(&f.lookback, "lookback", "30d", "attribution lookback: touches older than this before a payment are dropped")
	fs.StringVar(&f.costs, "costs", "", "bot costs for --kind bot, a CSV `FILE` as for onemin roi (item,amount,currency,quantity)")
	fs.StringVar(&f.humanContact, "human-contact", "", "cost of one contact handled by a human, for the bot's savings (overrides --costs)")
	fs.StringVar(&f.plan, "plan", "", "revenue plan of the period, for --kind bot")
	fs.StringVar(&f.currency, "currency", "", "currency of --plan, --human-contact and the report (default: that of the data, else RUB)")
	fs.StringVar(&f.rates, "rates", "", "exchange rates into --currency: `CODE=rate,...`")
	fs.StringVar(&f.telegramChat, "telegram-chat", "", "also send the daily digest, or the dashboard's SLA alert when it fires, to this Telegram `chat` id; the bot token is read from $"+telegramTokenEnv)
	fs.StringVar(&f.telegramURL, "telegram-url", "", "Bot API address (default "+send.DefaultTelegramURL+")")
	fs.StringVar(&f.mailTo, "mail-to", "", "also send them by e-mail to these `addresses` (comma-separated), through --smtp")
	fs.StringVar(&f.mailFrom, "mail-from", "", "sender address of the e-mail")
	fs.StringVar(&f.smtpAddr, "smtp", "", "SMTP server `host:port`; login from $"+smtpUserEnv+" and $"+smtpPasswordEnv+" when set")
}

// Environment variables that hold the senders' secrets, kept off the
// command line (and out of shell history and process lists).
const (
	telegramTokenEnv = "ONEMIN_TELEGRAM_TOKEN"
	smtpUserEnv      = "ONEMIN_SMTP_USER"
	smtpPasswordEnv  = "ONEMIN_SMTP_PASSWORD"
)

// senders returns the senders the flags ask for; none without them.
func (f *reportFlags) senders(getenv func(string) string) ([]send.Sender, error) {
	var out []send.Sender
	if f.telegramChat != "" {
		token := getenv(telegramTokenEnv)
		if token == "" {
			return nil, fmt.Errorf("--telegram-chat: set $%s to the bot's token", telegramTokenEnv)
		}
		out = append(out, &send.Telegram{Token: token, ChatID: f.telegramChat, BaseURL: f.telegramURL})
	}
	if f.mailTo != "" {
		if f.smtpAddr == "" || f.mailFrom == "" {
			return nil, errors.New("--mail-to needs --smtp and --mail-from")
		}
		host, _, err := net.SplitHostPort(f.smtpAddr)
		if err != nil {
			return nil, fmt.Errorf("--smtp %q: %w", f.smtpAddr, err)
		}
		m := &send.Mail{Addr: f.smtpAddr, From: f.mailFrom, To: strings.Split(f.mailTo, ",")}
		if user := getenv(smtpUserEnv); user != "" {
			m.Auth = smtp.PlainAuth("", user, getenv(smtpPasswordEnv), host)
		}
		out = append(out, m)
	}
	return out, nil
}

// deliver sends each daily digest, and each dashboard's alert when it
// fired, to every sender; it says what it sent on stderr.
func deliver(senders []send.Sender, reports []report.Report, stderr io.Writer) error {
	if len(senders) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	to := send.All(senders...)
	for _, r := range reports {
		var msg send.Message
		switch r := r.(type) {
		case *report.DailyDigest:
			msg = r.Message()
		case *report.Dashboard:
			if r.Alert == nil {
				fmt.Fprintf(stderr, "no SLA alert for %s: nothing sent\n", r.Period)
				continue
			}
			msg = report.AlertMessage(r.Title, r.Alert)
		default:
			continue
		}
		if err := to.Send(ctx, msg); err != nil {
			return fmt.Errorf("sending %q: %w", msg.Subject, err)
		}
		fmt.Fprintf(stderr, "sent %q\n", msg.Subject)
	}
	return nil
}

var reportSpans = map[string]report.Span{"daily": report.Day, "weekly": report.Week, "monthly": report.Month, "dashboard": report.Month, "bot": report.Month}

// reportUsage is the usage of "onemin report", before its flags.
const reportUsage = `usage: onemin report [--kind K[,K...]] [--date D | --from D --to D] [--format F] [-o FILE] [flags] [FILE...]

The owner's reports, each for a period (default: the last complete day,
week or month of the data, by kind):

  daily      lead digest: new leads, replies, conversions, median, P90 and
             SLA rate against the day before, and the alert under 70 %
  weekly     no-shows and confirmations by employee, for the ISO week
  monthly    marketing: spend, leads, CPL, revenue and ROI by UTM source
  dashboard  One-Minute dashboard: leads, median, P90, SLA rate with its
             light; by channel, by hour, by day; the distribution
  bot        the director's view of the bot: revenue (vs the month before
             and --plan), funnel, quality, savings, trends, revenue by
             channel, weekly retention

Formats: text, markdown, json, html (one self-contained page with charts)
and message (a short text for Telegram or e-mail: daily and dashboard).

With --telegram-chat or --mail-to the daily digest is also sent, and so is
the dashboard's SLA alert when the rate is under 70 % (nothing is sent
when it is not): run it from cron each morning.

FILE is CSV or JSON Lines in the event or the one-row-per-lead layout; with
no FILE the embedded sample runs, and - reads standard input. Rejected rows
are listed on stderr and make the exit status 1 unless --allow-rejects.
`

func runReport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newInvocation("report", reportUsage, stdin, stderr)
	c.inputFlags()
	var f reportFlags
	f.register(c.flags)
	if code, ok := c.parse(args); !ok {
		return code
	}
	format, err := report.ParseFormat(f.format)
	if err != nil {
		return c.fail(fmt.Errorf("--format: %w", err))
	}
	kinds := strings.Split(f.kinds, ",")
	for _, k := range kinds {
		if _, ok := reportSpans[k]; !ok {
			return c.fail(fmt.Errorf("--kind: unknown report %q (want daily, weekly, monthly, dashboard or bot)", k))
		}
		if (format == report.Message || f.telegramChat != "" || f.mailTo != "") && k != "daily" && k != "dashboard" {
			return c.fail(fmt.Errorf("only the daily digest and the dashboard's alert have a short message to show or send, not %q", k))
		}
	}
	senders, err := f.senders(os.Getenv)
	if err != nil {
		return c.fail(err)
	}
	model, err := attribution.ParseModel(f.model)
	if err != nil {
		return c.fail(fmt.Errorf("--model: %w", err))
	}
	lookback, err := parseSpan(f.lookback)
	if err != nil {
		return c.fail(fmt.Errorf("--lookback: %w", err))
	}
	loc, err := c.location()
	if err != nil {
		return c.fail(err)
	}
	status := 0
	var sheet roi.CostSheet
	if f.costs != "" {
		if sheet, status, err = readCostsFile(f.costs, stderr, c.allowRejects); err != nil {
			return c.fail(err)
		}
	}
	in, inStatus, err := c.load(loc)
	if err != nil {
		return c.fail(err)
	}
	status = max(status, inStatus)
	if len(in.Events) == 0 {
		return c.fail(errors.New("no events to report on"))
	}
	asOf, err := reportAsOf(f.asOf, loc, in.Events)
	if err != nil {
		return c.fail(err)
	}
	cur := strings.ToUpper(f.currency)
	rates, err := parseRates(f.rates, cur)
	if err != nil {
		return c.fail(err)
	}
	m, err := f.measurement(loc)
	if err != nil {
		return c.fail(err)
	}
	opts := report.Options{Location: loc, Title: f.title, Model: model, Lookback: lookback, Rates: rates,
		SLA: m.SLA, Policy: m.Policy, Clock: m.Clock, Method: m.Method}
	if opts.Title == "" && in.Sample {
		opts.Title = sampleTitle
	}
	costs, err := f.botCosts(sheet, cur, in.Events)
	if err != nil {
		return c.fail(err)
	}
	var reports []report.Report
	for _, k := range kinds {
		p, err := f.period(reportSpans[k], asOf, loc)
		if err != nil {
			return c.fail(err)
		}
		var r report.Report
		switch k {
		case "daily":
			r, err = report.NewDailyDigest(in.Events, p, asOf, opts)
		case "weekly":
			r, err = report.NewNoShowReport(in.Events, p, asOf, opts)
		case "monthly":
			r, err = report.NewMarketingReport(in.Events, p, asOf, opts)
		case "dashboard":
			r, err = report.NewDashboard(in.Events, p, asOf, opts)
		case "bot":
			r, err = report.NewBotDashboard(in.Events, p, asOf, opts, costs)
		}
		if err != nil {
			return c.fail(fmt.Errorf("%s: %w", k, err))
		}
		reports = append(reports, r)
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, format, reports...); err != nil {
		return c.fail(err)
	}
	if err := deliver(senders, reports, stderr); err != nil {
		return c.fail(err)
	}
	if f.out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return c.fail(err)
		}
		return status
	}
	if err := os.WriteFile(f.out, buf.Bytes(), 0o644); err != nil {
		return c.fail(err)
	}
	return status
}

// sampleTitle names the embedded sample in headings.
const sampleTitle = "Beauty salon, Kazan"

// reportAsOf reads --as-of. Without it, an export is taken to cover whole
// days: the as-of time is the midnight after the latest event, unless the
// clock shows that day is still going on (a morning run on today's
// export), in which case it is now, and the last complete day is yesterday.
func reportAsOf(s string, loc *time.Location, events []onemin.Event) (time.Time, error) {
	if s != "" {
		return parseAsOf(s, loc, events)
	}
	last := events[0].At
	for i := range events {
		if events[i].At.After(last) {
			last = events[i].At
		}
	}
	end := report.PeriodOf(report.Day, last, loc).To
	if now := clock(); now.After(last) && now.Before(end) {
		return now, nil
	}
	return end, nil
}

// clock is the time now; tests replace it.
var clock = time.Now

// period is the report's period: --from/--to, the span around --date, or
// the last complete span as of asOf.
func (f *reportFlags) period(s report.Span, asOf time.Time, loc *time.Location) (report.Period, error) {
	day := func(flag, v string) (time.Time, error) {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return t, fmt.Errorf("%s: %q is not a date YYYY-MM-DD", flag, v)
		}
		return t, nil
	}
	switch {
	case f.from != "" || f.to != "":
		if f.from == "" || f.to == "" || f.date != "" {
			return report.Period{}, errors.New("--from and --to go together, without --date")
		}
		from, err := day("--from", f.from)
		if err != nil {
			return report.Period{}, err
		}
		to, err := day("--to", f.to)
		if err != nil {
			return report.Period{}, err
		}
		if to.Before(from) {
			return report.Period{}, errors.New("--to is before --from")
		}
		return report.Period{From: from, To: report.PeriodOf(report.Day, to, loc).To}, nil
	case f.date != "":
		d, err := day("--date", f.date)
		if err != nil {
			return report.Period{}, err
		}
		return report.PeriodOf(s, d, loc), nil
	}
	return report.LastComplete(s, asOf, loc), nil
}

// botCosts reads the costs, the cost of a human contact and the plan.
func (f *reportFlags) botCosts(sheet roi.CostSheet, cur string, events []onemin.Event) (report.BotCosts, error) {
	if cur == "" {
		cur = firstCurrency(sheet.Costs.Development, sheet.Costs.PlatformMonthly, sheet.HumanContactCost)
	}
	for i := 0; cur == "" && i < len(events); i++ {
		cur = events[i].Currency
	}
	if cur == "" {
		cur = "RUB"
	}
	c := report.BotCosts{Costs: sheet.Costs, HumanContactCost: sheet.HumanContactCost}
	for _, it := range []struct {
		flag, value string
		to          *roi.Money
	}{{"--human-contact", f.humanContact, &c.HumanContactCost}, {"--plan", f.plan, &c.Plan}} {
		if it.value == "" {
			continue
		}
		m, err := roi.Parse(it.value, cur)
		if err != nil {
			return c, fmt.Errorf("%s: %w", it.flag, err)
		}
		*it.to = m
	}
	return c, nil
}

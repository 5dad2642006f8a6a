package cohort

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/money"
)

// ErrCurrencyMix is wrapped by the error of a money metric over amounts in
// more than one currency: they are never added silently.
var ErrCurrencyMix = errors.New("cohort: amounts in more than one currency")

// ErrConfig is wrapped by the error of a configuration that cannot be used.
var ErrConfig = errors.New("cohort: invalid configuration")

// Config says how contacts are put into cohorts and what counts as
// activity. The zero Config puts every contact into one cohort with monthly
// periods in UTC and the default activity.
type Config struct {
	// By is the cohort key; the zero Key makes one cohort, "all".
	By Key
	// Period is the length of a retention period; zero is Month.
	Period Period
	// Location is the time zone of periods and time keys; nil means UTC.
	Location *time.Location
	// Active reports whether an event makes its contact active in its
	// period; nil means [DefaultActive].
	Active func(*onemin.Event) bool
	// Converted reports whether an event is a conversion, for
	// [Cohorts.ConversionWithin]; nil means a won deal or a payment.
	Converted func(*onemin.Event) bool
	// Filter, when not nil, keeps only the events for which it reports
	// true; the others are ignored as if absent.
	Filter func(*onemin.Event) bool
}

// DefaultActive reports whether the customer did something: wrote
// (message_in), left a lead, booked, came (attended), closed a deal or paid.
// Replies, reminders, touches and costs are not activity of the customer.
func DefaultActive(e *onemin.Event) bool {
	switch e.Kind {
	case onemin.MessageIn, onemin.Lead, onemin.Booking, onemin.Attended, onemin.DealWon, onemin.Payment:
		return true
	}
	return false
}

func defaultConverted(e *onemin.Event) bool {
	return e.Kind == onemin.DealWon || e.Kind == onemin.Payment
}

// Cohorts holds the contacts of a set of events put into cohorts as of a
// time; its methods compute retention, LTV, repeat purchases and
// conversion. Build it with [Build]. It is safe for concurrent use by
// several readers.
type Cohorts struct {
	cfg      Config
	loc      *time.Location
	asOf     time.Time
	asOfIdx  int // period index of asOf
	groups   []group
	currency string
	digits   int32 // decimal places of the currency's minor unit
	moneyErr error
	// Skipped counts events left out because they name no contact or
	// happened after asOf, after filtering.
	Skipped int
	// NotEntered counts the contacts with events but no active one (only
	// touches, say): they never made contact and are in no cohort.
	NotEntered int
}

// group is one cohort: what the metrics need of its contacts, summed in
// [Build] so that no contact keeps a slice of its own.
type group struct {
	key      string
	contacts []member
	minEntry int // earliest entry period
	maxEntry int // latest entry period
	// on[k] counts the contacts active in period offset k; last[k] those
	// whose last active period offset is k.
	on, last []int
	// revenue[k] is the payments minus refunds in period offset k.
	revenue []money.Sum
	// payments counts the payment events and paid sums them; buyers
	// counts the contacts with a payment, repeat those with two or more.
	payments       int
	paid           money.Sum
	buyers, repeat int
}

// member is what the window metrics need of one contact.
type member struct {
	entry     time.Time
	converted time.Time // first conversion, zero if none
	returned  time.Time // first activity on a later day than the entry's, zero if none
}

// Build puts the contacts of events into cohorts as of asOf. Events that
// happen after asOf are ignored (their outcome is not known yet at asOf),
// as are events without a contact id. The input need not be sorted and is
// not changed; the result does not depend on its order.
//
// A contact enters at its first active event ([Config.Active]): its first
// contact. Its events before that (ad clicks, say) count only for its key,
// such as the first-touch source. A contact with no active event is in no
// cohort and is counted in NotEntered.
func Build(events []onemin.Event, cfg Config, asOf time.Time) (*Cohorts, error) {
	if cfg.Period > Day || (cfg.By.byTime && cfg.By.period > Day) {
		return nil, fmt.Errorf("%w: unknown period", ErrConfig)
	}
	if asOf.IsZero() {
		return nil, fmt.Errorf("%w: asOf is the zero time", ErrConfig)
	}
	if len(events) > math.MaxInt32 {
		return nil, fmt.Errorf("cohort: %d events in one call, at most %d", len(events), math.MaxInt32)
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	active := cfg.Active
	if active == nil {
		active = DefaultActive
	}
	converted := cfg.Converted
	if converted == nil {
		converted = defaultConverted
	}
	c := &Cohorts{cfg: cfg, loc: loc, asOf: asOf, asOfIdx: cfg.Period.index(asOf, loc)}
	clk := newClock(loc)

	// Pass 1: number the contacts, find each one's entry and key.
	ids, firsts := c.contacts(events, active)
	c.digits = money.Digits(c.currency)

	// Each contact that entered joins its cohort.
	in := make([]int32, len(firsts)) // the contact's group, −1 if it did not enter
	entryIdx := make([]int, len(firsts))
	byKey := map[string]int32{}
	byPeriod := map[int]int32{}
	var sizes []int // contacts per group
	join := func(key string, idx int) int32 {
		g, ok := byKey[key]
		if !ok {
			g = int32(len(c.groups))
			byKey[key] = g
			c.groups = append(c.groups, group{key: key, minEntry: idx, maxEntry: idx})
			sizes = append(sizes, 0)
		}
		return g
	}
	entry := func(n int) time.Time {
		if i := firsts[n].entry; i >= 0 {
			return events[i].At
		}
		return time.Time{}
	}
	for n := range firsts {
		f := &firsts[n]
		at := entry(n)
		if at.IsZero() {
			c.NotEntered++
			in[n] = -1
			continue
		}
		idx := clk.index(cfg.Period, at)
		var g int32
		switch {
		case cfg.By.byTime:
			p := clk.index(cfg.By.period, at)
			var ok bool
			if g, ok = byPeriod[p]; !ok {
				g = join(cfg.By.period.label(p, loc), idx)
				byPeriod[p] = g
			}
		case cfg.By.field != nil:
			key := NoValue
			if f.key >= 0 {
				key = cfg.By.field(&events[f.key])
			}
			g = join(key, idx)
		default:
			g = join("all", idx)
		}
		grp := &c.groups[g]
		grp.minEntry = min(grp.minEntry, idx)
		grp.maxEntry = max(grp.maxEntry, idx)
		in[n], entryIdx[n] = g, idx
		sizes[g]++
	}
	// The groups' contacts share one array, each group its own part.
	all := make([]member, len(firsts)-c.NotEntered)
	for g, size := range sizes {
		c.groups[g].contacts, all = all[:0:size], all[size:]
	}

	// Pass 2: what each contact did, relative to its entry, one contact
	// at a time.
	order, bounds := byContact(ids, len(firsts))
	var offsets []int // the contact's active period offsets
	for n := range firsts {
		if in[n] < 0 {
			continue
		}
		g := &c.groups[in[n]]
		m := member{entry: entry(n)}
		base := entryIdx[n]
		entryDay := clk.day(m.entry)
		payments := 0
		offsets = offsets[:0]
		for _, i := range order[bounds[n]:bounds[n+1]] {
			e := &events[i]
			day := clk.day(e.At)
			k := max(periodOfDay(cfg.Period, day)-base, 0) // a touch or a refund before the entry counts in period 0
			if active(e) {
				offsets = append(offsets, k)
				if (m.returned.IsZero() || e.At.Before(m.returned)) && day > entryDay {
					m.returned = e.At
				}
			}
			if converted(e) && (m.converted.IsZero() || e.At.Before(m.converted)) {
				m.converted = e.At
			}
			switch e.Kind {
			case onemin.Payment:
				payments++
				rev := &grow(&g.revenue, k)[k]
				if u, ok := money.Units(e.Amount, c.digits); ok {
					g.paid.AddUnits(u, c.digits)
					rev.AddUnits(u, c.digits)
				} else {
					g.paid.Add(e.Amount, c.digits)
					rev.Add(e.Amount, c.digits)
				}
			case onemin.Refund:
				grow(&g.revenue, k)[k].Sub(e.Amount, c.digits)
			}
		}
		if len(offsets) > 0 {
			if !slices.IsSorted(offsets) {
				slices.Sort(offsets)
			}
			offsets = slices.Compact(offsets)
			for _, k := range offsets {
				grow(&g.on, k)[k]++
			}
			last := offsets[len(offsets)-1]
			grow(&g.last, last)[last]++
		}
		g.payments += payments
		switch {
		case payments >= 2:
			g.repeat++
			g.buyers++
		case payments == 1:
			g.buyers++
		}
		g.contacts = append(g.contacts, m)
	}
	slices.SortFunc(c.groups, func(a, b group) int { return cmp.Compare(a.key, b.key) })
	return c, nil
}

// first is what pass 1 finds of a contact, as positions in the events
// (small, as there are millions of contacts): its entry, the event with
// its key. −1 means none.
type first struct{ entry, key int32 }

// contacts numbers the contacts of events: ids[i] is the number of the
// contact of events[i], or −1 for an event left out. It finds each
// contact's entry and key, counts what it skips and notes the currency.
func (c *Cohorts) contacts(events []onemin.Event, active func(*onemin.Event) bool) (ids []int32, firsts []first) {
	cfg := &c.cfg
	ids = make([]int32, len(events))
	// Most event sets have one tenant: a map keyed by the id alone hashes
	// half as much. A contact's events often come one after another, so
	// the last contact is tried first.
	plain := map[string]int32{}
	var tenants map[onemin.ContactKey]int32
	lastTenant, lastID, last := "", "", int32(-1)
	for i := range events {
		e := &events[i]
		if cfg.Filter != nil && !cfg.Filter(e) {
			ids[i] = -1
			continue
		}
		if e.ContactID == "" || e.At.After(c.asOf) {
			ids[i] = -1
			c.Skipped++
			continue
		}
		n := last
		if last < 0 || e.ContactID != lastID || e.Tenant != lastTenant {
			var ok bool
			if e.Tenant == "" {
				if n, ok = plain[e.ContactID]; !ok {
					n = int32(len(firsts))
					plain[e.ContactID] = n
					firsts = append(firsts, first{-1, -1})
				}
			} else {
				if tenants == nil {
					tenants = map[onemin.ContactKey]int32{}
				}
				k := onemin.ContactKey{Tenant: e.Tenant, ID: e.ContactID}
				if n, ok = tenants[k]; !ok {
					n = int32(len(firsts))
					tenants[k] = n
					firsts = append(firsts, first{-1, -1})
				}
			}
			lastTenant, lastID, last = e.Tenant, e.ContactID, n
		}
		ids[i] = n
		f := &firsts[n]
		if active(e) && (f.entry < 0 || e.At.Before(events[f.entry].At)) {
			f.entry = int32(i)
			if e.At.IsZero() { // no time is no entry
				f.entry = -1
			}
		}
		if cfg.By.field != nil {
			if v := cfg.By.field(e); v != "" {
				if f.key < 0 {
					f.key = int32(i)
				} else if k := &events[f.key]; e.At.Before(k.At) || e.At.Equal(k.At) && v < cfg.By.field(k) {
					f.key = int32(i)
				}
			}
		}
		if e.Kind == onemin.Payment || e.Kind == onemin.Refund {
			switch {
			case c.currency == "":
				c.currency = e.Currency
			case e.Currency != c.currency && c.moneyErr == nil:
				c.moneyErr = fmt.Errorf("%w: %s and %s (event %q of contact %q)", ErrCurrencyMix, c.currency, e.Currency, e.ID, e.ContactID)
			}
		}
	}
	return ids, firsts
}

// byContact groups the event indices by contact without moving events: the
// events of contact n are order[bounds[n]:bounds[n+1]], in input order.
func byContact(ids []int32, contacts int) (order, bounds []int32) {
	bounds = make([]int32, contacts+1)
	for _, n := range ids {
		if n >= 0 {
			bounds[n+1]++
		}
	}
	for n := range contacts {
		bounds[n+1] += bounds[n]
	}
	next := slices.Clone(bounds[:contacts])
	order = make([]int32, bounds[contacts])
	for i, n := range ids {
		if n >= 0 {
			order[next[n]] = int32(i)
			next[n]++
		}
	}
	return order, bounds
}

// grow extends *s with zeros so that (*s)[k] exists, and returns it.
func grow[T any](s *[]T, k int) []T {
	if k >= len(*s) {
		*s = append(*s, make([]T, k+1-len(*s))...)
	}
	return *s
}

// Sizes returns each cohort's key and number of contacts, ordered by key.
func (c *Cohorts) Sizes() []Size {
	out := make([]Size, len(c.groups))
	for i, g := range c.groups {
		out[i] = Size{Key: g.key, Contacts: len(g.contacts)}
	}
	return out
}

// Size is a cohort's number of contacts.
type Size struct {
	Key      string `json:"key"`
	Contacts int    `json:"contacts"`
}

// periods returns how many periods a cohort's row has: from its first
// entry period to the period that contains asOf.
func (c *Cohorts) periods(g *group) int { return c.asOfIdx - g.minEntry + 1 }

// complete reports whether period offset k has fully elapsed at asOf for
// every contact of g, even the latest to enter.
func (c *Cohorts) complete(g *group, k int) bool {
	return !c.cfg.Period.start(g.maxEntry+k+1, c.loc).After(c.asOf)
}

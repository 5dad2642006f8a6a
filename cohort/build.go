package cohort

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
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
	moneyErr error
	// Skipped counts events left out because they name no contact or
	// happened after asOf, after filtering.
	Skipped int
	// NotEntered counts the contacts with events but no active one (only
	// touches, say): they never made contact and are in no cohort.
	NotEntered int
}

// group is one cohort.
type group struct {
	key      string
	contacts []member
	minEntry int // earliest entry period
	maxEntry int // latest entry period
}

// money is an amount of one period offset of a contact.
type money struct {
	k      int
	amount decimal.Decimal // payments positive, refunds negative
}

// member is what a metric needs of one contact.
type member struct {
	entry     time.Time
	entryIdx  int     // period index of the entry
	entryDay  int     // civil day of the entry, for returns
	active    []int32 // period offsets with activity, ascending, distinct
	payments  int
	paid      decimal.Decimal // sum of payments, without refunds
	revenue   []money
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

	// Pass 1: number the contacts, find each one's entry and key.
	type first struct {
		entry, keyAt time.Time
		key          string
	}
	ids := make([]int32, len(events))
	index := map[onemin.ContactKey]int32{}
	var firsts []first
	for i := range events {
		e := &events[i]
		if cfg.Filter != nil && !cfg.Filter(e) {
			ids[i] = -1
			continue
		}
		if e.ContactID == "" || e.At.After(asOf) {
			ids[i] = -1
			c.Skipped++
			continue
		}
		k := onemin.ContactKey{Tenant: e.Tenant, ID: e.ContactID}
		n, ok := index[k]
		if !ok {
			n = int32(len(firsts))
			index[k] = n
			firsts = append(firsts, first{})
		}
		ids[i] = n
		f := &firsts[n]
		if active(e) && (f.entry.IsZero() || e.At.Before(f.entry)) {
			f.entry = e.At
		}
		if cfg.By.field != nil {
			if v := cfg.By.field(e); v != "" && (f.key == "" || e.At.Before(f.keyAt) || e.At.Equal(f.keyAt) && v < f.key) {
				f.key, f.keyAt = v, e.At
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

	// Pass 2: what each contact did, relative to its entry.
	members := make([]member, len(firsts))
	for n := range firsts {
		members[n].entry = firsts[n].entry
		members[n].entryIdx = cfg.Period.index(firsts[n].entry, loc)
		members[n].entryDay = daysSinceEpoch(firsts[n].entry.In(loc))
	}
	for i, n := range ids {
		if n < 0 || members[n].entry.IsZero() {
			continue
		}
		e, m := &events[i], &members[n]
		k := max(cfg.Period.index(e.At, loc)-m.entryIdx, 0) // a touch or a refund before the entry counts in period 0
		if active(e) {
			if l := len(m.active); l == 0 || m.active[l-1] != int32(k) {
				m.active = append(m.active, int32(k))
			}
			if (m.returned.IsZero() || e.At.Before(m.returned)) && daysSinceEpoch(e.At.In(loc)) > m.entryDay {
				m.returned = e.At
			}
		}
		if converted(e) && (m.converted.IsZero() || e.At.Before(m.converted)) {
			m.converted = e.At
		}
		switch e.Kind {
		case onemin.Payment:
			m.payments++
			m.paid = m.paid.Add(e.Amount)
			m.revenue = append(m.revenue, money{k, e.Amount})
		case onemin.Refund:
			m.revenue = append(m.revenue, money{k, e.Amount.Neg()})
		}
	}

	// Cohorts.
	byKey := map[string]int{}
	for n := range members {
		m := &members[n]
		if m.entry.IsZero() {
			c.NotEntered++
			continue
		}
		slices.Sort(m.active)
		m.active = slices.Compact(m.active)
		key := "all"
		switch {
		case cfg.By.byTime:
			key = cfg.By.period.label(cfg.By.period.index(m.entry, loc), loc)
		case cfg.By.field != nil:
			key = firsts[n].key
			if key == "" {
				key = NoValue
			}
		}
		g, ok := byKey[key]
		if !ok {
			g = len(c.groups)
			byKey[key] = g
			c.groups = append(c.groups, group{key: key, minEntry: m.entryIdx, maxEntry: m.entryIdx})
		}
		grp := &c.groups[g]
		grp.contacts = append(grp.contacts, *m)
		grp.minEntry = min(grp.minEntry, m.entryIdx)
		grp.maxEntry = max(grp.maxEntry, m.entryIdx)
	}
	slices.SortFunc(c.groups, func(a, b group) int { return cmp.Compare(a.key, b.key) })
	return c, nil
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

package promkpi

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/onemin/onemin/kpi"
)

// Label values that stand for more than one group.
const (
	// Other is the label value of every group folded away by a [Limit]:
	// the channels or agents that are not on the allow-list, or that came
	// after the first Max.
	Other = "other"
	// None is the label value of the leads that have no channel (or no
	// agent, or no tenant): the group with the empty key in a
	// [kpi.Breakdown].
	None = "none"
)

// Default bounds of the label sets, for a zero [Limit.Max].
const (
	DefaultMaxChannels = 16  // messengers, web, phone, e-mail: a dozen in practice
	DefaultMaxAgents   = 64  // managers and bots of one business
	DefaultMaxTenants  = 100 // the biggest businesses of a platform; the rest are other
)

// Limit bounds the values a label takes. Every distinct value is a time
// series of its own in Prometheus, kept in memory and on disk for as long
// as the data are retained, so a label whose values come from the data
// (agent names, free-text channels) must be bounded: values past the bound
// are folded into one series labelled [Other].
//
// The zero Limit keeps the first values seen, up to the label's default
// (DefaultMaxChannels, DefaultMaxAgents or DefaultMaxTenants). A Limit is
// a plain value.
type Limit struct {
	// Allow lists the values kept under their own name; every other value
	// is folded into Other. When Allow is set, Max is ignored.
	Allow []string
	// Max is the most values kept when Allow is empty. Values are
	// admitted as they first appear, the group with the most leads first
	// within one scrape (then by name), until Max are held; later values
	// are folded into Other. An admitted value stays admitted for the
	// collector's life, so that no group ever moves between its own
	// series and Other, which would make both series jump. Zero means
	// the label's default; a negative Max folds every value into Other.
	Max int
}

// folder maps the group keys of one dimension to bounded label values.
// It is safe for concurrent use.
type folder struct {
	mu    sync.Mutex
	allow map[string]bool // the allow-list, or nil
	kept  map[string]bool // values admitted so far, when there is no allow-list
	max   int             // most values admitted; 0 folds all
}

func newFolder(l Limit, def int) *folder {
	f := &folder{max: l.Max}
	switch {
	case len(l.Allow) > 0:
		f.allow = make(map[string]bool, len(l.Allow))
		for _, v := range l.Allow {
			f.allow[v] = true
		}
	case f.max == 0:
		f.max = def
	case f.max < 0:
		f.max = 0
	}
	f.kept = make(map[string]bool)
	return f
}

// foldedGroup is the sum of the groups that share one label value.
type foldedGroup struct {
	label   string
	counts  kpi.Counts
	summary kpi.Summary // the last group's summary: its own when it is one group
	groups  int         // how many groups were folded into it
	sum     float64     // sum of the answered durations, in seconds
	target  time.Duration
	mixed   bool // the groups had different targets, or one had none
}

// add folds the summary of one more group in.
func (fg *foldedGroup) add(s *kpi.Summary) {
	if fg.groups == 0 {
		fg.target = s.Target
	}
	if s.Target == 0 || s.Target != fg.target {
		fg.mixed = true
	}
	fg.counts = fg.counts.Add(s.Counts)
	fg.summary = *s
	fg.sum += durationSum(s)
	fg.groups++
}

// fold admits new values of groups (most leads first) and returns the
// groups summed by label value, with a function that maps any key of the
// dimension to its label value under the same admission.
func (f *folder) fold(groups []kpi.Group) ([]foldedGroup, func(string) string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.allow == nil && len(f.kept) < f.max {
		fresh := make([]kpi.Group, 0, len(groups))
		for _, g := range groups {
			if g.Key != "" && !f.kept[g.Key] {
				fresh = append(fresh, g)
			}
		}
		slices.SortFunc(fresh, func(a, b kpi.Group) int {
			if c := cmp.Compare(b.Summary.Leads, a.Summary.Leads); c != 0 {
				return c
			}
			return cmp.Compare(a.Key, b.Key)
		})
		for _, g := range fresh {
			if len(f.kept) >= f.max {
				break
			}
			f.kept[g.Key] = true
		}
	}
	// The labels of this scrape's keys are decided here, under the lock,
	// and kept for the histogram's leads.
	snapshot := make(map[string]string, len(groups))
	byLabel := make(map[string]*foldedGroup, len(groups))
	for _, g := range groups {
		l := f.labelLocked(g.Key)
		snapshot[g.Key] = l
		fg := byLabel[l]
		if fg == nil {
			fg = &foldedGroup{label: l}
			byLabel[l] = fg
		}
		fg.add(&g.Summary)
	}
	out := make([]foldedGroup, 0, len(byLabel))
	for _, fg := range byLabel {
		out = append(out, *fg)
	}
	return out, func(key string) string {
		if l, ok := snapshot[key]; ok {
			return l
		}
		if key == "" {
			return None
		}
		return Other
	}
}

// labelLocked returns the label value of key; f.mu is held.
func (f *folder) labelLocked(key string) string {
	switch {
	case key == "":
		return None
	case f.allow != nil && f.allow[key], f.allow == nil && f.kept[key]:
		// A label value must be UTF-8; keys come from the data.
		return strings.ToValidUTF8(key, "\uFFFD")
	}
	return Other
}

// admit admits key if there is room and returns its label value: for
// values that come one at a time, as an [Observer]'s do.
func (f *folder) admit(key string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.allow == nil && key != "" && len(f.kept) < f.max {
		f.kept[key] = true
	}
	return f.labelLocked(key)
}

package attribution

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
)

// Path is one customer journey: the touchpoints of a contact, oldest
// first, and how it ended. A path read from the aggregated format of
// [ReadPaths] stands for many journeys with the same touches: Conversions
// of them converted (with total value Value) and Nulls did not.
//
// A Path is a plain value; the models never change it.
type Path struct {
	// Channels names the touchpoints in time order, at the level the
	// path was built for (a channel, a source or a campaign).
	Channels []string
	// At holds the time of each touch, parallel to Channels. It is nil
	// for aggregated paths, which have no times; the time-decay model
	// needs it.
	At []time.Time
	// ConvertedAt is when the conversion happened; zero for a path that
	// did not convert or has no times.
	ConvertedAt time.Time
	// Conversions is how many journeys along this path converted.
	Conversions int64
	// Value is the total value of those conversions, in the currency of
	// the whole set of paths; zero for counted conversions such as leads.
	Value decimal.Decimal
	// Nulls is how many journeys along this path ended without a
	// conversion. Only the Markov model uses them.
	Nulls int64
}

// Level says which field of an event names a touchpoint's "channel" in a
// path.
type Level uint8

// The levels. The zero Level is LevelChannel.
const (
	LevelChannel  Level = iota // the event's channel: whatsapp, web, …
	LevelSource                // the UTM source
	LevelCampaign              // the UTM campaign
)

// String returns "channel", "source" or "campaign".
func (l Level) String() string {
	switch l {
	case LevelChannel:
		return "channel"
	case LevelSource:
		return "source"
	case LevelCampaign:
		return "campaign"
	}
	return fmt.Sprintf("Level(%d)", uint8(l))
}

// ParseLevel returns the level named s ("channel", "source" or "campaign").
func ParseLevel(s string) (Level, error) {
	for l := LevelChannel; l <= LevelCampaign; l++ {
		if l.String() == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("attribution: unknown level %q (want channel, source or campaign)", s)
}

func (l Level) of(e *onemin.Event) string {
	switch l {
	case LevelSource:
		return e.Source
	case LevelCampaign:
		return e.Campaign
	}
	return e.Channel
}

// Names of the touchpoints that the events leave unnamed.
const (
	// NotSet names a touch whose event has no value at the chosen level
	// (a touch without a campaign, say).
	NotSet = "(not set)"
	// Direct names the path of a conversion that has no touch within the
	// lookback window: it is credited to Direct rather than left out.
	Direct = "(direct)"
)

// PathOptions says how [BuildPaths] turns events into paths. The zero
// value builds channel-level paths with no lookback limit and payments as
// conversions. It is a plain value.
type PathOptions struct {
	// Level picks the field that names a touchpoint.
	Level Level
	// Lookback drops touches older than Lookback before the conversion.
	// Zero means no limit.
	Lookback time.Duration
	// Conversion is the kind of event that converts: onemin.Payment (the
	// zero value means Payment), onemin.DealWon (its amount, if any, is
	// the value) or onemin.Lead (a count: value 0).
	Conversion onemin.Kind
}

// Paths is the result of [BuildPaths], a plain value.
type Paths struct {
	// Paths holds, contact by contact (in the order of
	// [onemin.Contacts]: by first event), a path per conversion in time
	// order, then a null path if the contact's last touches did not
	// convert.
	Paths []Path
	// Currency is the currency of every value ("" when no conversion
	// carries money).
	Currency string
	// NoContact counts conversion events that name no contact: they
	// cannot be linked to touches and are not in Paths.
	NoContact int
}

// ErrCurrencyMix means conversions in different currencies were to be
// added together.
var ErrCurrencyMix = errors.New("attribution: conversions in different currencies")

// BuildPaths reads the touch paths of contacts from events (of one tenant
// or several: contacts are keyed by tenant and id, and the paths of all
// tenants come out together; to attribute each tenant apart, call it on
// each tenant's events). A contact's touches
// are its touch events and the start of each of its conversations (the
// first event naming the conversation, on the conversation's channel,
// source or campaign). Each conversion event of the chosen kind ends a
// path made of the contact's touches since the previous conversion, at or
// before the conversion, and no older than the lookback; touches after a
// contact's last conversion make a path that ended without converting (a
// null path). A touch with an empty name gets [NotSet]; a conversion with
// no touch gets the path [Direct].
//
// Events should have passed [onemin.Prepare]; BuildPaths orders each
// contact's events by time itself. Values in different currencies give
// [ErrCurrencyMix].
func BuildPaths(events []onemin.Event, opt PathOptions) (Paths, error) {
	conv := opt.Conversion
	if conv == onemin.KindUnknown {
		conv = onemin.Payment
	}
	switch conv {
	case onemin.Payment, onemin.DealWon, onemin.Lead:
	default:
		return Paths{}, fmt.Errorf("attribution: %s is not a conversion (want payment, deal_won or lead)", conv)
	}
	var out Paths
	for i := range events {
		if events[i].Kind == conv && events[i].ContactID == "" {
			out.NoContact++
		}
	}
	for _, c := range onemin.Contacts(events) {
		// A conversation's touch takes the first non-empty name among
		// the contact's events of that conversation.
		convName := map[string]string{}
		for i := range c.Events {
			e := &c.Events[i]
			if e.ConversationID != "" && convName[e.ConversationID] == "" {
				convName[e.ConversationID] = opt.Level.of(e)
			}
		}
		seen := map[string]bool{}
		var names []string
		var times []time.Time
		for i := range c.Events {
			e := &c.Events[i]
			touch, name := false, ""
			switch {
			case e.Kind == onemin.Touch:
				touch, name = true, opt.Level.of(e)
			case e.ConversationID != "" && !seen[e.ConversationID]:
				seen[e.ConversationID] = true
				touch, name = true, convName[e.ConversationID]
			}
			if touch {
				if name == "" {
					name = NotSet
				}
				names = append(names, name)
				times = append(times, e.At)
			}
			if e.Kind != conv {
				continue
			}
			p := Path{ConvertedAt: e.At, Conversions: 1, Value: decimal.Zero}
			if conv != onemin.Lead && e.HasMoney() {
				if out.Currency == "" {
					out.Currency = e.Currency
				} else if out.Currency != e.Currency {
					return Paths{}, fmt.Errorf("%w: %s and %s (event %q)", ErrCurrencyMix, out.Currency, e.Currency, e.ID)
				}
				p.Value = e.Amount
			}
			from := 0
			if opt.Lookback > 0 {
				for from < len(times) && e.At.Sub(times[from]) > opt.Lookback {
					from++
				}
			}
			if from == len(names) {
				p.Channels, p.At = []string{Direct}, []time.Time{e.At}
			} else {
				p.Channels = append([]string(nil), names[from:]...)
				p.At = append([]time.Time(nil), times[from:]...)
			}
			out.Paths = append(out.Paths, p)
			names, times = names[:0], times[:0]
		}
		if len(names) > 0 {
			out.Paths = append(out.Paths, Path{Channels: names, At: times, Nulls: 1, Value: decimal.Zero})
		}
	}
	return out, nil
}

// Join writes channels as the path format does: "a > b > c".
func Join(channels []string) string { return strings.Join(channels, " > ") }

// Aggregate merges paths with the same channels, in the same order, into
// one path each (as the aggregated format of [ReadPaths] and [WritePaths]
// holds them): conversions, values and nulls add up, and touch times are
// dropped. Paths keep the order in which their channels first appear. Every
// model but time decay gives the same result on the aggregated paths as on
// the originals, with less work on large sets of journeys.
func Aggregate(paths []Path) []Path {
	index := map[string]int{}
	var out []Path
	var key []byte
	for i := range paths {
		p := &paths[i]
		// Each name prefixed by its length: no two sequences share a key.
		key = key[:0]
		for _, c := range p.Channels {
			key = binary.AppendUvarint(key, uint64(len(c)))
			key = append(key, c...)
		}
		k := string(key)
		j, ok := index[k]
		if !ok {
			j = len(out)
			index[k] = j
			out = append(out, Path{Channels: p.Channels, Value: decimal.Zero})
		}
		out[j].Conversions += p.Conversions
		out[j].Nulls += p.Nulls
		out[j].Value = out[j].Value.Add(p.Value)
	}
	return out
}

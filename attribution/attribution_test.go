package attribution

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// brief is a channel's credit as strings, for readable diffs.
type brief struct {
	Conversions float64
	Value       string
}

func briefs(r Result) map[string]brief {
	out := map[string]brief{}
	for _, c := range r.Channels {
		out[c.Channel] = brief{c.Conversions, c.Value.String()}
	}
	return out
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// adobePath is Adobe Analytics' worked example of time decay: a $50
// purchase after paid search 9 days before, social 6 days before, and
// e-mail and display on the day of the purchase.
func adobePath() Path {
	buy := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	return Path{
		Channels:    []string{"paid search", "social", "email", "display"},
		At:          []time.Time{buy.Add(-9 * day), buy.Add(-6 * day), buy, buy},
		ConvertedAt: buy,
		Conversions: 1,
		Value:       dec("50"),
	}
}

func TestPublishedExamples(t *testing.T) {
	vignette := []Path{ // ChannelAttribution's vignette: one conversion each
		{Channels: []string{"A", "B", "A", "B", "B", "A"}, Conversions: 1, Value: dec("1")},
		{Channels: []string{"A", "B", "B", "A", "A"}, Conversions: 1, Value: dec("1")},
		{Channels: []string{"A", "A"}, Conversions: 1, Value: dec("1")},
	}
	shapley := []Path{
		{Channels: []string{"a"}, Conversions: 4, Value: dec("40")},
		{Channels: []string{"a", "b"}, Conversions: 6, Value: dec("60")},
	}
	tests := []struct {
		reason string
		paths  []Path
		model  Model
		want   map[string]brief
	}{
		// Conversion shares in millionths: exact quotas 138466.665,
		// 186362.312, 337585.512 and 337585.512; the two units left go to
		// the largest remainders, the tie to "display" before "email".
		{"Adobe: time decay with a 7-day half-life", []Path{adobePath()}, TimeDecay, map[string]brief{
			"paid search": {0.138467, "6.92"}, "social": {0.186362, "9.32"},
			"email": {0.337585, "16.88"}, "display": {0.337586, "16.88"}}},
		{"Adobe: linear gives 12.50 each", []Path{adobePath()}, Linear, map[string]brief{
			"paid search": {0.25, "12.5"}, "social": {0.25, "12.5"}, "email": {0.25, "12.5"}, "display": {0.25, "12.5"}}},
		{"Adobe: first touch", []Path{adobePath()}, FirstTouch, map[string]brief{
			"paid search": {1, "50"}, "social": {0, "0"}, "email": {0, "0"}, "display": {0, "0"}}},
		{"Adobe: last touch", []Path{adobePath()}, LastTouch, map[string]brief{
			"paid search": {0, "0"}, "social": {0, "0"}, "email": {0, "0"}, "display": {1, "50"}}},
		{"Adobe: position-based 40/20/40", []Path{adobePath()}, PositionBased, map[string]brief{
			"paid search": {0.4, "20"}, "social": {0.1, "5"}, "email": {0.1, "5"}, "display": {0.4, "20"}}},
		{"ChannelAttribution vignette: Markov gives A = 2, B = 1", vignette, Markov, map[string]brief{
			"A": {2, "2"}, "B": {1, "1"}}},
		{"simplified Shapley: {a: 4, a>b: 6} gives a = 7, b = 3", shapley, Shapley, map[string]brief{
			"a": {7, "70"}, "b": {3, "30"}}},
		{"time decay: touches one half-life apart weigh 1 : 2, however old", []Path{{
			Channels:    []string{"older", "old"},
			At:          []time.Time{time.Unix(0, 0), time.Unix(0, 0).Add(7 * 24 * time.Hour)},
			ConvertedAt: time.Unix(0, 0).Add(20000 * 24 * time.Hour),
			Conversions: 1, Value: dec("3"),
		}}, TimeDecay, map[string]brief{"old": {0.666667, "2"}, "older": {0.333333, "1"}}},
		{"position-based: two touches split 50/50", []Path{{Channels: []string{"x", "y"}, Conversions: 1, Value: dec("1")}}, PositionBased, map[string]brief{
			"x": {0.5, "0.5"}, "y": {0.5, "0.5"}}},
		{"linear counts a repeated channel twice", []Path{{Channels: []string{"x", "y", "x"}, Conversions: 3, Value: dec("3")}}, Linear, map[string]brief{
			"x": {2, "2"}, "y": {1, "1"}}},
		{"Shapley counts a repeated channel once", []Path{{Channels: []string{"x", "y", "x"}, Conversions: 2, Value: dec("3")}}, Shapley, map[string]brief{
			"x": {1, "1.5"}, "y": {1, "1.5"}}},
	}
	for _, tt := range tests {
		got, err := Attribute(tt.paths, tt.model, Options{Currency: "USD"})
		if err != nil {
			t.Errorf("%s: %v", tt.reason, err)
			continue
		}
		// Values compare as numbers: 12.5 and 12.50 are the same.
		g := briefs(got)
		for k, b := range g {
			if w, ok := tt.want[k]; ok && dec(w.Value).Equal(dec(b.Value)) {
				b.Value = w.Value
				g[k] = b
			}
		}
		if diff := cmp.Diff(tt.want, g); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tt.reason, diff)
		}
	}
}

func TestMarkovRemovalEffects(t *testing.T) {
	// Hand-computed: paths a>conv (1), b>null (1), a>b>conv (1).
	// start→a 2/3, start→b 1/3; a→conv 1/2, a→b 1/2; b→conv 1/2, b→null 1/2.
	// p_b = 1/2, p_a = 1/2 + 1/4 = 3/4, P = 2/3·3/4 + 1/3·1/2 = 2/3.
	// Without a: P = 1/6, effect 3/4. Without b: p_a = 1/2, P = 1/3, effect 1/2.
	paths := []Path{
		{Channels: []string{"a"}, Conversions: 1},
		{Channels: []string{"b"}, Nulls: 1},
		{Channels: []string{"a", "b"}, Conversions: 1},
	}
	got, err := Attribute(paths, Markov, Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt := cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) < 1e-12 })
	if diff := cmp.Diff(map[string]float64{"a": 0.75, "b": 0.5}, got.RemovalEffects, opt); diff != "" {
		t.Errorf("removal effects (-want +got)\n%s", diff)
	}
	// 2 conversions shared 0.75 : 0.5 → 1.2 and 0.8.
	if diff := cmp.Diff(map[string]brief{"a": {1.2, "0"}, "b": {0.8, "0"}}, briefs(got)); diff != "" {
		t.Errorf("credits (-want +got)\n%s", diff)
	}
}

func TestMarkovOrderTwo(t *testing.T) {
	// a>b converts, c>b does not. Order 1 cannot tell the b after a from
	// the b after c: b → conversion 1/2, so removing a or c halves P and
	// both get 1/2. Order 2 remembers where b came from: (a,b) always
	// converts and (c,b) never, so c's removal effect is 0 and a's is 1.
	paths := []Path{
		{Channels: []string{"a", "b"}, Conversions: 1},
		{Channels: []string{"c", "b"}, Nulls: 1},
	}
	for _, tt := range []struct {
		order int
		want  map[string]float64
	}{
		{1, map[string]float64{"a": 0.5, "b": 1, "c": 0.5}},
		{2, map[string]float64{"a": 1, "b": 1, "c": 0}},
	} {
		got, err := Attribute(paths, Markov, Options{Order: tt.order})
		if err != nil {
			t.Fatal(err)
		}
		opt := cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) < 1e-12 })
		if diff := cmp.Diff(tt.want, got.RemovalEffects, opt); diff != "" {
			t.Errorf("order %d: removal effects (-want +got)\n%s", tt.order, diff)
		}
	}
	if _, err := Attribute(paths, Markov, Options{Order: 9}); err == nil {
		t.Error("order 9: got no error")
	}
}

func TestAttributeErrors(t *testing.T) {
	tests := []struct {
		reason string
		paths  []Path
		model  Model
		want   error
	}{
		{"time decay without times", []Path{{Channels: []string{"a"}, Conversions: 1}}, TimeDecay, ErrNoTimes},
		{"a converting path with no touch", []Path{{Conversions: 1}}, Linear, ErrBadPath},
		{"times that do not match the touches", []Path{{Channels: []string{"a"}, At: []time.Time{{}, {}}, Conversions: 1}}, Linear, ErrBadPath},
		{"negative counts", []Path{{Channels: []string{"a"}, Nulls: -1}}, Markov, ErrBadPath},
		{"a negative value", []Path{{Channels: []string{"a"}, Conversions: 1, Value: dec("-1")}}, Linear, ErrBadPath},
		{"a value without a conversion", []Path{{Channels: []string{"a"}, Nulls: 1, Value: dec("1")}}, Markov, ErrBadPath},
	}
	for _, tt := range tests {
		if _, err := Attribute(tt.paths, tt.model, Options{}); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.reason, err, tt.want)
		}
	}
	if _, err := Attribute(nil, Model(99), Options{}); err == nil {
		t.Error("unknown model: got no error")
	}
	if _, err := Attribute([]Path{{Channels: []string{"a", "b", "c"}, Conversions: 1}}, PositionBased, Options{FirstShare: 0.7, LastShare: 0.7}); err == nil {
		t.Error("position shares over 1: got no error")
	}
}

func TestNoConversions(t *testing.T) {
	paths := []Path{{Channels: []string{"a", "b"}, Nulls: 5}}
	for _, m := range Models() {
		got, err := Attribute(paths, m, Options{})
		if err != nil {
			t.Errorf("%s: %v", m, err)
			continue
		}
		if diff := cmp.Diff(map[string]brief{"a": {0, "0"}, "b": {0, "0"}}, briefs(got)); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", m, diff)
		}
	}
}

func TestParseModel(t *testing.T) {
	for _, m := range Models() {
		got, err := ParseModel(m.String())
		if err != nil || got != m {
			t.Errorf("ParseModel(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseModel("u-shaped"); err == nil {
		t.Error("unknown model: got no error")
	}
}

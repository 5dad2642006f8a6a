package funnel

import (
	"testing"
	"time"

	"github.com/onemin/onemin"
)

// FuzzCompute runs funnels over events decoded from arbitrary bytes, kinds
// and actors out of range included: Compute must not panic, counts must
// not grow from step to step, and rates must stay in [0, 1].
func FuzzCompute(f *testing.F) {
	f.Add([]byte{0, 0, 3, 1, 5, 13}, []byte{0, 1, 0, 0, 1, 0, 5, 0, 1, 2, 13, 0, 0, 3})
	f.Add([]byte{2, 1, 1, 1, 1}, []byte{1, 1, 1, 0, 0, 0, 1, 2, 1, 1, 1, 1})
	f.Add([]byte{1, 0, 60, 5, 9, 10}, []byte{0, 9, 0, 0, 0, 10, 0, 200, 0, 8, 0, 201})
	f.Fuzz(func(t *testing.T, config, data []byte) {
		if len(config) < 4 {
			return
		}
		fn := Funnel{
			Order:  Order(config[0] % 3),
			Count:  Counting(config[1] % 2),
			Window: time.Duration(config[2]) * time.Minute,
			Unit:   Unit(config[3] % 2),
			By:     []Dimension{{}, BySource, ByHour(nil)}[int(config[3])%3],
		}
		for _, b := range config[4:min(len(config), 12)] {
			fn.Steps = append(fn.Steps, KindStep(onemin.Kind(b%20)))
		}
		if len(fn.Steps) == 0 {
			fn.Steps = []Step{DialogStart, Engaged}
		}
		if len(fn.Steps) > 1 && config[2]%2 == 0 {
			fn.Exclusions = []Exclusion{{Name: "refund", Match: KindStep(onemin.Refund).Match, From: 0, To: len(fn.Steps) - 1}}
		}
		var events []onemin.Event
		for i := 0; i+3 < len(data); i += 4 {
			c := string(rune('a' + data[i]%5))
			events = append(events, onemin.Event{ContactID: c, ConversationID: c + "1", Kind: onemin.Kind(data[i+1] % 20),
				Actor: onemin.Actor(data[i+2] % 6), Source: []string{"", "ads"}[data[i+2]%2],
				At: t0.Add(time.Duration(data[i+3]) * time.Minute)})
		}
		res, err := fn.Compute(events)
		if err != nil {
			t.Fatal(err)
		}
		for s, row := range res.Steps {
			if s > 0 && row.Count > res.Steps[s-1].Count {
				t.Fatalf("step %d grows", s)
			}
			if v, ok := row.ConversionFromStart.Value(); ok && (v < 0 || v > 1) {
				t.Fatalf("rate %v", v)
			}
		}
	})
}

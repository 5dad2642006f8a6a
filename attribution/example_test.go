package attribution_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/attribution"
)

// Adobe's worked example of time decay: a $50 purchase after a paid search
// click 9 days before, a social visit 6 days before, and an e-mail and a
// display ad on the day.
func ExampleAttribute() {
	buy := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	path := attribution.Path{
		Channels:    []string{"paid search", "social", "email", "display"},
		At:          []time.Time{buy.Add(-9 * day), buy.Add(-6 * day), buy, buy},
		ConvertedAt: buy,
		Conversions: 1,
		Value:       decimal.RequireFromString("50"),
	}
	res, err := attribution.Attribute([]attribution.Path{path}, attribution.TimeDecay, attribution.Options{Currency: "USD"})
	if err != nil {
		panic(err)
	}
	for _, c := range res.Channels {
		fmt.Printf("%-12s %s\n", c.Channel, c.Value.StringFixed(2))
	}
	// Output:
	// display      16.88
	// email        16.88
	// social       9.32
	// paid search  6.92
}

// ChannelAttribution's vignette: three converting paths; the Markov
// removal effects give A two conversions and B one.
func ExampleReadPaths() {
	in := `path;total_conversions;total_conversion_value;total_null
A > B > A > B > B > A;1;100;0
A > B > B > A > A;1;100;0
A > A;1;100;0
A > C;1;1;x`
	paths, bad, err := attribution.ReadPaths(strings.NewReader(in))
	if err != nil {
		panic(err)
	}
	for _, b := range bad {
		fmt.Println("rejected:", b)
	}
	res, _ := attribution.Attribute(paths, attribution.Markov, attribution.Options{Currency: "RUB"})
	for _, c := range res.Channels {
		fmt.Printf("%s %.0f %s (removal effect %.2f)\n", c.Channel, c.Conversions, c.Value, res.RemovalEffects[c.Channel])
	}
	// Output:
	// rejected: line 5: field total_null: "x" is not a whole number
	// A 2 200 (removal effect 1.00)
	// B 1 100 (removal effect 0.50)
}

// Paths from events: a contact clicked an ad, wrote on WhatsApp and paid.
func ExampleBuildPaths() {
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	events := []onemin.Event{
		{ID: "1", Kind: onemin.Touch, At: t0, ContactID: "+77010000001", Channel: "web", Source: "vk"},
		{ID: "2", Kind: onemin.MessageIn, At: t0.Add(time.Hour), ContactID: "+77010000001", ConversationID: "d1", Channel: "whatsapp", Actor: onemin.Customer},
		{ID: "3", Kind: onemin.Payment, At: t0.Add(50 * time.Hour), ContactID: "+77010000001", Amount: decimal.RequireFromString("15000"), Currency: "KZT"},
	}
	paths, err := attribution.BuildPaths(events, attribution.PathOptions{Lookback: 30 * 24 * time.Hour})
	if err != nil {
		panic(err)
	}
	for _, p := range paths.Paths {
		fmt.Println(attribution.Join(p.Channels), p.Conversions, p.Value, paths.Currency)
	}
	res, _ := attribution.Attribute(paths.Paths, attribution.PositionBased, attribution.Options{Currency: paths.Currency})
	for _, c := range res.Channels {
		fmt.Println(c.Channel, c.Conversions, c.Value)
	}
	// Output:
	// web > whatsapp 1 15000 KZT
	// web 0.5 7500
	// whatsapp 0.5 7500
}

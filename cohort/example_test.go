package cohort_test

import (
	"fmt"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/cohort"
	"github.com/shopspring/decimal"
)

func at(month time.Month, day int) time.Time {
	return time.Date(2025, month, day, 12, 0, 0, 0, time.UTC)
}

func wrote(contact, source string, t time.Time) onemin.Event {
	return onemin.Event{ContactID: contact, Source: source, Kind: onemin.MessageIn, At: t}
}

func paid(contact string, t time.Time, amount string) onemin.Event {
	return onemin.Event{ContactID: contact, Kind: onemin.Payment, At: t, Amount: decimal.RequireFromString(amount), Currency: "RUB"}
}

var events = []onemin.Event{
	wrote("anna", "instagram", at(1, 10)), paid("anna", at(1, 11), "1500"), wrote("anna", "", at(2, 3)), paid("anna", at(2, 4), "900"),
	wrote("boris", "telegram", at(1, 20)),
	wrote("vera", "instagram", at(2, 14)), paid("vera", at(2, 14), "2000"), wrote("vera", "", at(3, 1)),
}

func ExampleCohorts_Retention() {
	c, err := cohort.Build(events, cohort.Config{By: cohort.ByMonth}, at(3, 15))
	if err != nil {
		panic(err)
	}
	tab := c.Retention(cohort.On)
	for _, row := range tab.Cohorts {
		fmt.Print(row.Key, " (", row.Contacts, ")")
		for _, cell := range row.Cells {
			mark := ""
			if !cell.Complete {
				mark = "*"
			}
			fmt.Print("  ", cell.Rate, mark)
		}
		fmt.Println()
	}
	fmt.Print("average")
	for _, cell := range tab.Average {
		fmt.Print("  ", cell.Rate)
	}
	fmt.Println()
	// Output:
	// 2025-01 (2)  100.0%  50.0%  0.0%*
	// 2025-02 (1)  100.0%  100.0%*
	// average  100.0%  50.0%  n/a
}

func ExampleCohorts_LTV() {
	c, _ := cohort.Build(events, cohort.Config{By: cohort.BySource}, at(3, 15))
	tab, err := c.LTV()
	if err != nil {
		panic(err)
	}
	for _, row := range tab.Cohorts {
		last := row.Cells[len(row.Cells)-1]
		fmt.Printf("%s: %s %s per contact after %d months\n", row.Key, last.PerContact.Decimal, tab.Currency, last.Period)
	}
	// Output:
	// instagram: 2200 RUB per contact after 2 months
	// telegram: 0 RUB per contact after 2 months
}

func ExampleCohorts_AverageCheck() {
	c, _ := cohort.Build(events, cohort.Config{By: cohort.BySource}, at(3, 15))
	rows, cur, _ := c.AverageCheck()
	for _, r := range rows {
		show := func(d decimal.NullDecimal) string {
			if !d.Valid {
				return "n/a"
			}
			return d.Decimal.StringFixed(2) + " " + cur
		}
		fmt.Printf("%s: %d payments, average %s, the others %s\n", r.Key, r.Payments, show(r.Average), show(r.OthersAverage))
	}
	// Output:
	// instagram: 3 payments, average 1466.67 RUB, the others n/a
	// telegram: 0 payments, average n/a, the others 1466.67 RUB
}

func ExampleCohorts_ConversionWithin() {
	c, _ := cohort.Build(events, cohort.Config{}, at(3, 15))
	for _, r := range c.ConversionWithin(30 * 24 * time.Hour) {
		fmt.Printf("%s: %d of %d mature contacts paid within 30 days (%s)\n", r.Key, r.Hits, r.Mature, r.Rate)
	}
	// Output:
	// all: 1 of 2 mature contacts paid within 30 days (50.0%)
}

func ExampleCohorts_ReturnedWithin() {
	c, _ := cohort.Build(events, cohort.Config{By: cohort.BySource}, at(3, 15))
	// anna paid the day after her first message: back. vera (14 February)
	// has not had her 30 days by 15 March and is not judged yet.
	for _, r := range c.ReturnedWithin(30 * 24 * time.Hour) {
		fmt.Printf("%s: %d of %d back within 30 days (%s)\n", r.Key, r.Hits, r.Mature, r.Rate)
	}
	// Output:
	// instagram: 1 of 1 back within 30 days (100.0%)
	// telegram: 0 of 1 back within 30 days (0.0%)
}

func ExampleCohorts_RepeatPurchase() {
	c, _ := cohort.Build(events, cohort.Config{}, at(3, 15))
	r := c.RepeatPurchase()[0]
	fmt.Printf("%d of %d buyers bought again (%s)\n", r.Repeat, r.Buyers, r.Rate)
	// Output:
	// 1 of 2 buyers bought again (50.0%)
}

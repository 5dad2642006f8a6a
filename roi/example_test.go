package roi_test

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin/roi"
)

func rub(s string) roi.Money { return roi.New(decimal.RequireFromString(s), "RUB") }

// The seed's formula on round numbers: revenue 300 000, savings 50 000,
// costs 100 000.
func ExampleROI() {
	v, ok := roi.ROI(decimal.NewFromInt(300000), decimal.NewFromInt(50000), decimal.NewFromInt(100000))
	fmt.Println(v, ok)
	_, ok = roi.ROI(decimal.NewFromInt(1), decimal.Zero, decimal.Zero)
	fmt.Println("no costs:", ok)
	// Output:
	// 250 true
	// no costs: false
}

func ExampleMoney_Format() {
	fmt.Println(rub("12345.67").Format())
	fmt.Println(rub("12345.67").Plain())
	fmt.Println(roi.New(decimal.NewFromInt(1500000), "KZT").Format())
	// Output:
	// 12 345,67 ₽
	// 12345.67
	// 1 500 000,00 ₸
}

// Development of 100 000 ₽ over 12 months: the parts differ by a kopeck
// and sum to the whole.
func ExampleAmortize() {
	parts, _ := roi.Amortize(rub("100000"), 12)
	fmt.Println(parts[0], parts[11])
	sum, _ := roi.Sum(nil, parts...)
	fmt.Println(sum)
	// Output:
	// 8333.34 RUB 8333.33 RUB
	// 100000.00 RUB
}

func ExampleCompute() {
	sheet, bad, _ := roi.ReadCosts(strings.NewReader(`item,amount,currency,quantity
development,120000,RUB,12
platform,15000,RUB,
llm,2.50,RUB,2000000
support,2500,RUB,20
integrations,20000,RUB,
marketing,60000,RUB,
human_contact,100,RUB,`))
	fmt.Println("bad lines:", len(bad))
	rep, err := roi.Compute(roi.Inputs{
		Months:           1,
		Revenue:          roi.Revenue{Direct: rub("250000"), Upsell: rub("30000"), Repeat: rub("20000")},
		BotClosed:        500,
		HumanContactCost: sheet.HumanContactCost,
		Leads:            200,
		Customers:        40,
		Costs:            sheet.Costs,
	}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("costs:", rep.Costs.Bot.Format())
	fmt.Println("ROI:", rep.ROIPercent, "%")
	fmt.Println("CPL:", rep.CPL.Format())
	fmt.Println("CPA defined:", rep.CPA != nil)
	// Output:
	// bad lines: 0
	// costs: 100 000,00 ₽
	// ROI: 250 %
	// CPL: 300,00 ₽
	// CPA defined: false
}

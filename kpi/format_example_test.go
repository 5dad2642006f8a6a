package kpi_test

import (
	"fmt"

	"github.com/onemin/onemin/kpi"
)

func ExampleFormatSeconds() {
	for _, s := range []float64{4.54, 59.96, 125, 4319.6, 86369, 273600} {
		fmt.Println(kpi.FormatSeconds(s))
	}
	// Output:
	// 4.5s
	// 1m00s
	// 2m05s
	// 1h12m
	// 23h59m
	// 3d04h
}

package onemin_test

import (
	"fmt"

	"github.com/onemin/onemin"
)

// Phones written the way customers and managers write them become one E.164
// contact id.
func ExampleNormalizePhone() {
	for _, raw := range []string{"8 (916) 123-45-67", "+7 916 123 45 67", "7.916.123.45.67", "8 701 123 4567", "8 916 123"} {
		e164, err := onemin.NormalizePhone(raw, "RU")
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(e164, onemin.PhoneRegion(e164))
	}
	// Output:
	// +79161234567 RU
	// +79161234567 RU
	// +79161234567 RU
	// +77011234567 KZ
	// error: invalid: phone "8 916 123": 7 digits is not a RU number (10 national digits)
}

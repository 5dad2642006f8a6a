// Package money holds the exact money arithmetic that packages roi,
// attribution and cohort share: the minor units of a currency (ISO 4217),
// sums in minor units, and the split of an amount into parts that sum
// exactly to it.
//
// # Minor units
//
// [Digits] gives the number of decimal places of a currency's minor unit:
// 2 for RUB, KZT, USD and EUR (kopeck, tiyn, cent), 0 for JPY, 3 for KWD.
// A code the table does not know has 2, the most common value.
//
// # Summing
//
// [Sum] adds amounts exactly in int64 units of 10^−d (kopecks for RUB),
// which costs no allocation, and keeps in a decimal only what does not fit:
// an amount with more places than the currency has, a total beyond
// ±9.2·10¹⁸ units. [Units] is the conversion it uses.
//
// # Splitting
//
// [Split] divides a total among weights by the largest-remainder method
// (Hamilton's method): each part first gets the floor of its exact quota
// total·wᵢ/Σw in units of 10^−d, and the units left over go one each to the
// parts with the largest fractional remainders. Equal remainders are broken
// by name in ascending order, then by position, so the result never depends
// on map order or on chance. The parts always sum exactly to the total, and
// each part differs from its exact quota by less than one unit.
//
//	parts, _ := money.Split(decimal.RequireFromString("100"), 2,
//		[]decimal.Decimal{one, one, one}, []string{"a", "b", "c"})
//	// 33.34 33.33 33.33
package money

// Command gen writes random.csv: a deterministic, random hour of events
// crowded with the cases where a first-reply definition can go wrong
// (events at the same second, replies before and at the customer's first
// message, automation, exactly 60 s, repeated event ids, the same
// conversation id in several tenants, channels named late or in capitals,
// rows out of time order). PostgreSQL's answer on it is random_kpi.out.
//
// Run it from the repository root:
//
//	go run ./kpi/testdata/reference/gen > kpi/testdata/reference/random.csv
package main

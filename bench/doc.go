// Package bench compares [kpi.Sketch] with peer quantile estimators on
// response-time-like data: DataDog's DDSketch (logarithmic and cubically
// interpolated index mappings, both at 1 % relative accuracy), a t-digest
// (compression 100), an HDR histogram (2 significant digits, 1 ms to 30
// days) and an exact sort.
//
// It holds the data generators ([ResponseTimes], [ParetoTail]), one
// [Estimator] adapter per peer, the benchmarks (go test -bench) and, in
// cmd/table, the program that prints the accuracy and size table of
// README.md. It is a module of its own so that the core module does not
// depend on the peers.
package bench

//go:build race

package kpi

// sketchGrowAllocs is the number of allocations one growth of a Sketch's
// window makes: two under the race detector, whose instrumentation keeps
// slices.Grow from folding its make into the append.
const sketchGrowAllocs = 2

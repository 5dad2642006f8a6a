//go:build !race

package kpi

// sketchGrowAllocs is the number of allocations one growth of a Sketch's
// window makes.
const sketchGrowAllocs = 1

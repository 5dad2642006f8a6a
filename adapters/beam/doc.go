// Package onebeam runs the metrics of onemin as Apache Beam (Go SDK)
// pipelines, so that sharded files too large for one machine give the
// same numbers as the library on one machine.
package onebeam

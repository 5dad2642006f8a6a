// Package onebeam runs the metrics of onemin as Apache Beam (Go SDK)
// transforms, so that event files too large for one machine, split in
// shards, give the numbers the library gives on one machine, on any Beam
// runner: prism locally, Flink, Spark or Dataflow.
//
// No definition is implemented twice. Each transform shuffles events so
// that the unit a definition works on meets in one place, hands each place
// to the library's own code, and merges what comes out with the library's
// own mergeable forms. Events move through the runner in batches of up to
// [BatchSize] ([Batch], with a binary coder), shuffled by a hash shard of
// their key rather than by the key itself, so a runner's cost per element
// is paid once per thousand events and a worker works on a whole shard at a
// time (about events / shards of them; each transform's options have a
// Shards, [DefaultShards] when zero, and the result never depends on it):
//
//   - [ReadFiles] reads CSV and JSON Lines shards with [csvio.Reader], one
//     file per worker, and de-duplicates events across files by shards of
//     (tenant, event_id), keeping the copy first in (file, row) order. Every
//     rejected and duplicate row becomes a [Reject] in a side output and is
//     counted in the Beam counters rows_read, rows_accepted, rows_rejected
//     and rows_duplicate (namespace "onemin"): read equals accepted plus
//     duplicates plus rejected, always.
//   - [KPI] shuffles events by shards of leads (conversations), measures
//     each shard with [kpi.Summarize] as of one time for the whole input,
//     and merges the leads per (tenant, day, chosen dimensions) in a
//     CombineFn whose accumulator is the [kpi.Accumulator], in its binary
//     form between workers. [KPIReport] rolls the cells up into the
//     [kpi.Report] of Summarize over all the events; [WriteKPI] writes it
//     as the JSON of "onemin kpi --format json".
//   - [Funnel] shuffles events by shards of contacts (or conversations),
//     runs [funnel.Funnel.Compute] per entity and adds the step counts up.
//   - [AttributionPaths] shuffles events by shards of contacts, builds
//     their paths with [attribution.BuildPaths], and sums the rows of each
//     distinct path: the path table. [PathTable] hands it to
//     [attribution.Attribute], whose models (all but time decay, which needs
//     each journey's touch times) then give the single-machine answer.
//
// [KPI], [Funnel] and [AttributionPaths] take a PCollection of [Batch], as
// [ReadFiles] gives it, or of onemin.Event; [Batches] and [Events] go
// between the two for a pipeline's own transforms.
//
// # Example
//
//	p, s := beam.NewPipelineWithRoot()
//	in := onebeam.ReadFiles(s, "gs://bucket/events/*.csv", onebeam.ReadOptions{})
//	opts := onebeam.KPIOptions{TimeZone: "Europe/Moscow", By: []kpi.Dimension{kpi.ByChannel}}
//	res := onebeam.KPI(s, in.Events, opts)
//	onebeam.WriteKPI(s, "gs://bucket/kpi.json", in, res, opts, []kpi.Dimension{kpi.ByChannel, kpi.ByDay})
//	if err := beamx.Run(ctx, p); err != nil { … }
//
// # Exactness
//
// Counts are exact. Percentiles are exact too: the kpi.Accumulator keeps
// every answered lead's duration (8 bytes each), so a cell's median is the
// type-7 median of its leads, not an estimate. Funnel counts are exact, and
// so are the times to each step when counting unique entities; when
// counting every attempt, a step that an entity reached more than once has
// no mergeable times and its median and P90 are left undefined. The path
// table is exact (values keep their decimal scale); the Markov model's
// removal effects, sums over paths in floating point, can differ from the
// single machine's in the last bits, while the credits, rounded to a
// millionth, agree.
//
// Events at the same instant: Summarize and Compute order them by kind
// and id themselves; BuildPaths takes them in input order, which a
// pipeline does not have, so AttributionPaths orders them by event id
// first ([SortByTimeAndID]).
//
// The registered coders and DoFns make every transform safe to run on
// remote workers; the types of this package are plain values.
package onebeam

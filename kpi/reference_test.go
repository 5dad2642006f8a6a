package kpi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/internal/sample"
	"github.com/onemin/onemin/kpi"
	"pgregory.net/rapid"
)

// The files of the PostgreSQL reference: see testdata/reference/README.md.
const (
	referenceSampleOut = "testdata/reference/sample_kpi.out"
	referenceEdgesCSV  = "testdata/reference/edges.csv"
	referenceEdgesOut  = "testdata/reference/edges_kpi.out"
	referenceRandomCSV = "testdata/reference/random.csv"
	referenceRandomOut = "testdata/reference/random_kpi.out"
)

// referenceTolerance is how far, in seconds (or percentage points for the
// SLA rate), a number may be from PostgreSQL's: the summary rounds its
// seconds to the nanosecond and PostgreSQL prints float8 and numeric
// results with their own rounding.
const referenceTolerance = 1e-6

// refKey names one row of the reference: an as-of time, a reply policy and
// a group ("" and "" for all leads, "channel" and a channel for one).
type refKey struct {
	AsOf      string // RFC 3339 in UTC
	Policy    string // "any" or "human"
	Dimension string
	Key       string
}

func (k refKey) String() string {
	return fmt.Sprintf("as of %s, reply %s, %s=%q", k.AsOf, k.Policy, k.Dimension, k.Key)
}

// refRow is the One-Minute KPI of one group, as the reference prints it
// and as kpi reports it.
type refRow struct {
	Counts kpi.Counts
	// Median, P90, P99 and Mean in seconds; Rate in percent.
	Median, P90, P99, Mean, Rate kpi.NullFloat
}

// reference is what the PostgreSQL output holds.
type reference struct {
	Read, Duplicates int
	Latest           time.Time
	Rows             map[refKey]refRow
}

// approxNull compares two possibly undefined numbers: both undefined, or
// both defined and within referenceTolerance.
var approxNull = cmp.Comparer(func(a, b kpi.NullFloat) bool {
	if a.Valid != b.Valid {
		return false
	}
	return !a.Valid || math.Abs(a.Value-b.Value) <= referenceTolerance
})

// readReference parses the CSV output of sample_kpi.sql: the account
// table (rows_read, duplicates, latest), then the summary table.
func readReference(t *testing.T, path string) reference {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the PostgreSQL reference: %v", err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) < 4 || cmp.Diff([]string{"rows_read", "duplicates", "latest"}, recs[0]) != "" {
		t.Fatalf("%s: does not start with the account table: %q", path, recs)
	}
	ref := reference{Rows: map[refKey]refRow{}}
	ref.Read = atoi(t, recs[1][0])
	ref.Duplicates = atoi(t, recs[1][1])
	if ref.Latest, err = time.Parse(time.RFC3339, recs[1][2]); err != nil {
		t.Fatalf("%s: latest: %v", path, err)
	}
	header := []string{"as_of", "policy", "dimension", "key", "leads", "answered", "unanswered",
		"pending", "met", "breached", "median_seconds", "p90_seconds", "p99_seconds", "mean_seconds", "sla_rate"}
	if diff := cmp.Diff(header, recs[2]); diff != "" {
		t.Fatalf("%s: summary header (-want +got):\n%s", path, diff)
	}
	for _, rec := range recs[3:] {
		if len(rec) != len(header) {
			t.Fatalf("%s: row %q has %d fields, want %d", path, rec, len(rec), len(header))
		}
		k := refKey{AsOf: rec[0], Policy: rec[1], Dimension: rec[2], Key: rec[3]}
		if _, dup := ref.Rows[k]; dup {
			t.Fatalf("%s: %v twice", path, k)
		}
		ref.Rows[k] = refRow{
			Counts: kpi.Counts{
				Leads: atoi(t, rec[4]), Answered: atoi(t, rec[5]), Unanswered: atoi(t, rec[6]),
				Pending: atoi(t, rec[7]), Met: atoi(t, rec[8]), Breached: atoi(t, rec[9]),
			},
			Median: nullFloat(t, rec[10]), P90: nullFloat(t, rec[11]), P99: nullFloat(t, rec[12]),
			Mean: nullFloat(t, rec[13]), Rate: nullFloat(t, rec[14]),
		}
	}
	return ref
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	return n
}

// nullFloat reads a number of the reference; an empty cell is SQL NULL.
func nullFloat(t *testing.T, s string) kpi.NullFloat {
	t.Helper()
	if s == "" {
		return kpi.NullFloat{}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	return kpi.Some(v)
}

// asOfs returns the as-of times of the reference, the latest first and
// the others in order, and checks that each has a total row for both
// policies.
func (ref *reference) asOfs(t *testing.T) []string {
	t.Helper()
	latest := ref.Latest.UTC().Format(time.RFC3339)
	out := []string{latest}
	for k := range ref.Rows {
		if k.Dimension == "" && k.Policy == "any" && k.AsOf != latest {
			out = append(out, k.AsOf)
		}
	}
	slices.Sort(out[1:])
	for _, a := range out {
		for _, p := range []string{"any", "human"} {
			if _, ok := ref.Rows[refKey{AsOf: a, Policy: p}]; !ok {
				t.Fatalf("reference has no total for as of %s, reply %s", a, p)
			}
		}
	}
	return out
}

// rowOf is the part of a summary that the reference computes.
func rowOf(s kpi.Summary) refRow {
	return refRow{Counts: s.Counts, Median: s.Median, P90: s.P90, P99: s.P99, Mean: s.Mean, Rate: s.Rate}
}

// readReferenceEvents reads the CSV input of a reference as the library
// does, and checks that csvio counts its rows as PostgreSQL did.
func readReferenceEvents(t *testing.T, data []byte, ref *reference) []onemin.Event {
	t.Helper()
	res, err := csvio.ReadAll(bytes.NewReader(data), csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.Read != ref.Read || res.Counts.Duplicates != ref.Duplicates || res.Counts.Rejected != 0 {
		t.Fatalf("csvio counts %+v, want %d read and %d duplicates as PostgreSQL, none rejected",
			res.Counts, ref.Read, ref.Duplicates)
	}
	return res.Events
}

// summarizeLikeReference runs kpi.Summarize as the reference computes:
// first reply, 60 s, calendar time, linear percentiles, by channel, as of
// asOf (the zero time for the latest event). It returns the report and
// its rows keyed as the reference's.
func summarizeLikeReference(events []onemin.Event, asOf time.Time, policy kpi.ReplyPolicy) (kpi.Report, map[refKey]refRow) {
	rep := kpi.Summarize(events, kpi.Options{
		Policy:  policy,
		AsOf:    asOf,
		GroupBy: []kpi.Dimension{kpi.ByChannel},
	})
	a := rep.AsOf.UTC().Format(time.RFC3339)
	got := map[refKey]refRow{{AsOf: a, Policy: policy.String()}: rowOf(rep.Summary)}
	for _, b := range rep.Groups {
		for _, g := range b.Groups {
			got[refKey{AsOf: a, Policy: policy.String(), Dimension: b.Dimension.String(), Key: g.Key}] = rowOf(g.Summary)
		}
	}
	return rep, got
}

// only returns the rows of ref for one as-of time and policy.
func (ref *reference) only(asOf, policy string) map[refKey]refRow {
	out := map[refKey]refRow{}
	for k, v := range ref.Rows {
		if k.AsOf == asOf && k.Policy == policy {
			out[k] = v
		}
	}
	return out
}

// checkAgainstReference compares kpi.Summarize on the CSV in data with
// the PostgreSQL output in outPath, for every as-of time and policy.
func checkAgainstReference(t *testing.T, data []byte, outPath string) {
	ref := readReference(t, outPath)
	events := readReferenceEvents(t, data, &ref)
	asOfs := ref.asOfs(t)
	for i, a := range asOfs {
		for _, policy := range []kpi.ReplyPolicy{kpi.AnyReply, kpi.HumanReply} {
			t.Run(fmt.Sprintf("as of %s, reply %s", a, policy), func(t *testing.T) {
				var asOf time.Time // the latest event: Summarize's default
				if i > 0 {
					asOf = mustParse(t, a)
				}
				rep, got := summarizeLikeReference(events, asOf, policy)
				if !rep.AsOf.Equal(mustParse(t, a)) {
					t.Fatalf("report as of %v, want %s", rep.AsOf, a)
				}
				if diff := cmp.Diff(ref.only(a, policy.String()), got, approxNull); diff != "" {
					t.Errorf("kpi.Summarize differs from PostgreSQL (-postgres +kpi):\n%s", diff)
				}
			})
		}
	}
}

// mustParse reads an RFC 3339 time of the reference.
func mustParse(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSummarizeMatchesPostgreSQL checks the One-Minute KPI, overall and
// by channel, for both reply policies and at several as-of times, against
// counts and percentile_cont computed by PostgreSQL from the definitions
// (testdata/reference/sample_kpi.sql).
func TestSummarizeMatchesPostgreSQL(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		input  func() ([]byte, error)
		out    string
	}{
		{
			name:   "sample",
			reason: "the embedded month of a salon, as the CLI runs it with no file",
			input:  func() ([]byte, error) { return sample.CSV(), nil },
			out:    referenceSampleOut,
		},
		{
			name: "edges",
			reason: "a hand-written day of what the sample lacks: a reply at the very instant of the " +
				"message, a greeting before it, exactly 60 s, automation, pending leads, duplicates, " +
				"a channel named late, one conversation id in two tenants",
			input: func() ([]byte, error) { return os.ReadFile(referenceEdgesCSV) },
			out:   referenceEdgesOut,
		},
		{
			name: "random",
			reason: "a generated hour crowded with events at the same second, out of time order, " +
				"judged at instants that fall exactly on deadlines",
			input: func() ([]byte, error) { return os.ReadFile(referenceRandomCSV) },
			out:   referenceRandomOut,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.input()
			if err != nil {
				t.Fatal(err)
			}
			t.Log(tt.reason)
			checkAgainstReference(t, data, tt.out)
		})
	}
}

// TestSummarizeMatchesPostgreSQLInAnyOrder checks that the order in which
// events reach Summarize does not matter: any permutation of the generated
// hour, whose events crowd the same seconds, gives PostgreSQL's numbers.
func TestSummarizeMatchesPostgreSQLInAnyOrder(t *testing.T) {
	data, err := os.ReadFile(referenceRandomCSV)
	if err != nil {
		t.Fatal(err)
	}
	ref := readReference(t, referenceRandomOut)
	events := readReferenceEvents(t, data, &ref)
	latest := ref.Latest.UTC().Format(time.RFC3339)
	rapid.Check(t, func(rt *rapid.T) {
		perm := rapid.Permutation(events).Draw(rt, "events")
		policy := rapid.SampledFrom([]kpi.ReplyPolicy{kpi.AnyReply, kpi.HumanReply}).Draw(rt, "policy")
		_, got := summarizeLikeReference(perm, time.Time{}, policy)
		if diff := cmp.Diff(ref.only(latest, policy.String()), got, approxNull); diff != "" {
			rt.Fatalf("kpi.Summarize of permuted events differs from PostgreSQL (-postgres +kpi):\n%s", diff)
		}
	})
}

// TestCLIMatchesPostgreSQLOnSample checks that "onemin kpi --format json
// --by channel" on the embedded sample gives the reference's numbers, for
// both policies and at every as-of time. It builds the command, so it is
// skipped in short mode.
func TestCLIMatchesPostgreSQLOnSample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/onemin")
	}
	goTool, err := exec.LookPath("go") // go test puts its own go first on PATH
	if err != nil {
		t.Skip("no go command to build cmd/onemin")
	}
	bin := filepath.Join(t.TempDir(), "onemin")
	if out, err := exec.Command(goTool, "build", "-o", bin, "../cmd/onemin").CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/onemin: %v\n%s", err, out)
	}
	ref := readReference(t, referenceSampleOut)
	asOfs := ref.asOfs(t)
	for i, a := range asOfs {
		for _, policy := range []string{"any", "human"} {
			t.Run(fmt.Sprintf("as of %s, reply %s", a, policy), func(t *testing.T) {
				args := []string{"kpi", "--format", "json", "--by", "channel", "--reply", policy}
				if i > 0 {
					args = append(args, "--as-of", a)
				}
				var stdout, stderr bytes.Buffer
				cmd := exec.Command(bin, args...)
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("onemin %q: %v\n%s", args, err, stderr.Bytes())
				}
				var out struct {
					Rows struct {
						Read, Duplicates, Rejected int
					} `json:"rows"`
					AsOf    time.Time       `json:"as_of"`
					Reply   string          `json:"reply"`
					Sample  bool            `json:"sample"`
					Overall kpi.Summary     `json:"overall"`
					Groups  json.RawMessage `json:"groups"`
				}
				if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
					t.Fatalf("onemin %q: %v\n%s", args, err, stdout.Bytes())
				}
				if !out.Sample || out.Reply != policy || out.Rows.Read != ref.Read ||
					out.Rows.Duplicates != ref.Duplicates || out.Rows.Rejected != 0 {
					t.Fatalf("onemin %q: sample %v, reply %q, rows %+v; want the sample, %s, %d read",
						args, out.Sample, out.Reply, out.Rows, policy, ref.Read)
				}
				if !out.AsOf.Equal(mustParse(t, a)) {
					t.Fatalf("onemin %q: as of %v, want %s", args, out.AsOf, a)
				}
				var heads []struct{ By, Value string }
				var sums []kpi.Summary
				if err := json.Unmarshal(out.Groups, &heads); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(out.Groups, &sums); err != nil {
					t.Fatal(err)
				}
				got := map[refKey]refRow{{AsOf: a, Policy: policy}: rowOf(out.Overall)}
				for j, h := range heads {
					got[refKey{AsOf: a, Policy: policy, Dimension: h.By, Key: h.Value}] = rowOf(sums[j])
				}
				if diff := cmp.Diff(ref.only(a, policy), got, approxNull); diff != "" {
					t.Errorf("onemin kpi differs from PostgreSQL (-postgres +onemin):\n%s", diff)
				}
			})
		}
	}
}

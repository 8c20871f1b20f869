// Package dudect is a timing-leak check in the style of dudect (Reparaz,
// Balasch, Verbauwhede, "Dude, is my code constant time?", DATE 2017): an
// operation runs on secrets of two classes (for example one fixed scalar
// and fresh random scalars), the classes interleaved at random; Welch's
// t-test compares the two timing distributions, on all measurements and on
// measurements cropped at several upper percentiles (long tails from
// interrupts and the scheduler hide small leaks). An |t| above 4.5 (the
// threshold of dudect and of TVLA) says the classes are told apart by
// time.
//
// It is used by the tests behind the `timing` build tag (scripts/timing),
// which are not part of CI: they take minutes and need a quiet machine.
package dudect

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Threshold is the |t| above which a leak is reported.
const Threshold = 4.5

// cropPercentiles are the upper percentiles at which measurements are
// cropped for the additional tests (the full set is always tested).
var cropPercentiles = []float64{0.99, 0.95, 0.90, 0.75, 0.50}

// Result is the outcome of a run.
type Result struct {
	// N is the number of measurements of each class.
	N [2]int
	// MaxT is the largest |t| over the full set and the cropped sets, with
	// the crop that gave it (1 for the full set).
	MaxT, Crop float64
	// Median is the median time of each class.
	Median [2]time.Duration
}

func (r Result) String() string {
	crop := "all"
	if r.Crop < 1 {
		crop = fmt.Sprintf("p%.0f", 100*r.Crop)
	}
	return fmt.Sprintf("|t| = %.2f (%s) over %d + %d measurements, median %v / %v",
		r.MaxT, crop, r.N[0], r.N[1], r.Median[0], r.Median[1])
}

// Leaks reports whether |t| exceeds Threshold.
func (r Result) Leaks() bool { return r.MaxT > Threshold }

// Run measures n operations. For each, a class (0 or 1) is drawn from a
// generator seeded with seed, prepare(class) builds the input outside the
// timed region and returns the operation, which is then timed. The first
// tenth of the measurements warms caches and is discarded.
func Run(n int, seed uint64, prepare func(class int) func()) Result {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	warm := n / 10
	classes := make([]int, 0, n)
	times := make([]float64, 0, n)
	for i := range n + warm {
		class := int(rng.Uint32() & 1)
		op := prepare(class)
		start := time.Now()
		op()
		d := time.Since(start)
		if i < warm {
			continue
		}
		classes = append(classes, class)
		times = append(times, float64(d))
	}
	return analyze(classes, times)
}

func analyze(classes []int, times []float64) Result {
	var res Result
	sorted := slices.Clone(times)
	slices.Sort(sorted)
	res.MaxT, res.Crop = math.Abs(welch(classes, times, math.Inf(1))), 1
	for _, p := range cropPercentiles {
		limit := sorted[int(p*float64(len(sorted)-1))]
		if t := math.Abs(welch(classes, times, limit)); t > res.MaxT {
			res.MaxT, res.Crop = t, p
		}
	}
	var per [2][]float64
	for i, c := range classes {
		per[c] = append(per[c], times[i])
		res.N[c]++
	}
	for c := range per {
		if len(per[c]) > 0 {
			slices.Sort(per[c])
			res.Median[c] = time.Duration(per[c][len(per[c])/2])
		}
	}
	return res
}

// welch returns Welch's t statistic between the two classes, over the
// measurements not above limit (Welford's online mean and variance).
func welch(classes []int, times []float64, limit float64) float64 {
	var n, mean, m2 [2]float64
	for i, x := range times {
		if x > limit {
			continue
		}
		c := classes[i]
		n[c]++
		d := x - mean[c]
		mean[c] += d / n[c]
		m2[c] += d * (x - mean[c])
	}
	if n[0] < 2 || n[1] < 2 {
		return 0
	}
	v0, v1 := m2[0]/(n[0]-1), m2[1]/(n[1]-1)
	den := math.Sqrt(v0/n[0] + v1/n[1])
	if den == 0 {
		if mean[0] == mean[1] {
			return 0
		}
		return math.Inf(1)
	}
	return (mean[0] - mean[1]) / den
}

// Measurements returns the number of measurements a timing test makes:
// def, scaled by the environment variable TIMING_SCALE (a factor, default
// 1), so that scripts/timing can run longer or shorter checks.
func Measurements(def int) int {
	if s := os.Getenv("TIMING_SCALE"); s != "" {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 {
			return max(100, int(f*float64(def)))
		}
	}
	return def
}

// Check runs Run(n, 1, prepare), logs the result with the machine's load
// average and fails t when it leaks.
func Check(t testing.TB, n int, prepare func(class int) func()) {
	t.Helper()
	r := Run(n, 1, prepare)
	t.Logf("%s: %v (load %s)", t.Name(), r, loadAverage())
	assert.False(t, r.Leaks(), "timing leak: |t| above %.1f", Threshold)
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

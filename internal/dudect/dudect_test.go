package dudect

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The t-test finds a difference of means that is there and none that is
// not: synthetic timings, no clock.
func TestWelch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	classes := make([]int, n)
	same := make([]float64, n)
	shifted := make([]float64, n)
	for i := range n {
		classes[i] = int(rng.Uint32() & 1)
		x := 1000 + 50*rng.NormFloat64()
		same[i] = x
		shifted[i] = x + 5*float64(classes[i]) // 0.1 sigma
	}
	r := analyze(classes, same)
	require.False(t, r.Leaks(), "%v", r)
	r = analyze(classes, shifted)
	require.True(t, r.Leaks(), "%v", r)
	require.Equal(t, n, r.N[0]+r.N[1])
}

// Run times real operations: two classes of different cost are told apart.
func TestRunFindsALeak(t *testing.T) {
	sink := 0
	work := func(k int) func() {
		return func() {
			for i := range k {
				sink += i
			}
		}
	}
	r := Run(4000, 1, func(class int) func() { return work(200 + 2000*class) })
	require.True(t, r.Leaks(), "%v", r)
	_ = sink
}

package check_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
)

// TestStatusString pins the words reports, JSON results and evidence show
// for each status, and that the zero value is NotRun.
func TestStatusString(t *testing.T) {
	var zero check.Status
	require.Equal(t, check.NotRun, zero)
	for _, tc := range []struct {
		s    check.Status
		want string
	}{
		{check.NotRun, "not run"},
		{check.Passed, "passed"},
		{check.Failed, "failed"},
		{check.Incomplete, "incomplete"},
		{check.Status(99), "not run"},
	} {
		require.Equal(t, tc.want, tc.s.String())
	}
}

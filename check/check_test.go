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

// TestStatusText: JSON carries a status as its word, and reads it back;
// a value out of range or an unknown word is an error.
func TestStatusText(t *testing.T) {
	for _, s := range []check.Status{check.NotRun, check.Passed, check.Failed, check.Incomplete} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		require.Equal(t, s.String(), string(b))
		var back check.Status
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, s, back)
	}
	_, err := check.Status(4).MarshalText()
	require.Error(t, err)
	_, err = check.Status(-1).MarshalText()
	require.Error(t, err)
	var s check.Status
	require.Error(t, s.UnmarshalText([]byte("FAILED")))
}

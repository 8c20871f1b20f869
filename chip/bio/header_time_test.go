package bio

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestHeaderTimes(t *testing.T) {
	var h Header
	got, err := h.CreationDateTime()
	require.NoError(t, err)
	require.True(t, got.IsZero())
	from, to, err := h.Validity()
	require.NoError(t, err)
	require.True(t, from.IsZero() && to.IsZero())

	created := time.Date(2026, 11, 25, 9, 5, 7, 999, time.FixedZone("ICT", 7*3600))
	require.NoError(t, h.SetCreationDateTime(created))
	require.Equal(t, []byte{0x20, 0x26, 0x11, 0x25, 0x02, 0x05, 0x07}, h.CreationTime)
	got, err = h.CreationDateTime()
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 11, 25, 2, 5, 7, 0, time.UTC), got)

	require.NoError(t, h.SetValidity(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), time.Date(2036, 11, 24, 23, 0, 0, 0, time.UTC)))
	require.Equal(t, []byte{0x20, 0x26, 0x11, 0x25, 0x20, 0x36, 0x11, 0x24}, h.ValidityPeriod)
	from, to, err = h.Validity()
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), from)
	require.Equal(t, time.Date(2036, 11, 24, 0, 0, 0, 0, time.UTC), to)

	// Zeros mean "not given", in whole or in half.
	h.CreationTime = make([]byte, 7)
	got, err = h.CreationDateTime()
	require.NoError(t, err)
	require.True(t, got.IsZero())
	h.ValidityPeriod = []byte{0x20, 0x26, 0x01, 0x31, 0, 0, 0, 0}
	from, to, err = h.Validity()
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC), from)
	require.True(t, to.IsZero())

	for _, bad := range [][]byte{
		{0x20, 0x26, 0x02, 0x30, 0, 0, 0},    // 30 February
		{0x20, 0x26, 0x1A, 0x01, 0, 0, 0},    // not BCD
		{0x20, 0x26, 0x01, 0x01, 0x24, 0, 0}, // hour 24
		{0x20, 0x26},                         // wrong size
	} {
		h.CreationTime = bad
		_, err = h.CreationDateTime()
		requireErr(t, err, ErrValue, RecordGroup, "creation date and time", 0)
	}
	for _, bad := range [][]byte{{0x20, 0x26, 0x13, 0x01, 0, 0, 0, 0}, {0, 0, 0, 0, 0x99, 0x99, 0x99, 0x99}, {1}} {
		h.ValidityPeriod = bad
		_, _, err = h.Validity()
		requireErr(t, err, ErrValue, RecordGroup, "validity period", 0)
	}
	require.ErrorIs(t, h.SetCreationDateTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), ErrValue)
	require.ErrorIs(t, h.SetValidity(time.Time{}, time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)), ErrValue)
}

// A header laid out as a public analysis of a real passport DG2 reports
// it: version 0100, creation time all zeros, a non-standard '84' of eight
// zero bytes, creator 0000.
func TestHeaderIssuerQuirks(t *testing.T) {
	in := wrapGroup(t, "01", tpl(t, "A1 29 8002 0100 8101 02 8201 00 8307 00000000000000 8408 0000000000000000"+
		"8602 0000 8702 0101 8802 0008 5F2E 00"))
	g, err := ParseGroup(in)
	require.NoError(t, err)
	h := g.Templates[0].Header
	require.Equal(t, []Element{{Tag: 0x84, Value: make([]byte, 8)}}, h.Other)
	require.Equal(t, uint16(0), *h.Creator)
	created, err := h.CreationDateTime()
	require.NoError(t, err)
	require.True(t, created.IsZero())
	out, err := g.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)
}

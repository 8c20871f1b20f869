package sm

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

func fuzzSession(t testing.TB) *Session {
	s, err := NewSession(TDES, vectors.Unhex(t, "979EC13B1CBFE9DCD01AB0FED307EAE5"), vectors.Unhex(t, "F1CB1F1FB5ADF208806B89DC579DC1F8"), vectors.Unhex(t, "887022120C06C226"))
	require.NoError(t, err)
	return s
}

func checkErr(t *testing.T, s *Session, err error) {
	var e *Error
	require.ErrorAs(t, err, &e, "error %v is not an *Error", err)
	require.NotNil(t, s.Err(), "session alive after an error")
}

// FuzzUnwrapCommand feeds the chip side arbitrary protected commands: no
// panic, typed errors, and an accepted command must have a valid MAC (so
// only the Appendix D seeds can pass).
func FuzzUnwrapCommand(f *testing.F) {
	v := vectors.LoadHex(f, "testdata/icao9303-11-appD/sm.txt")
	for _, n := range []string{"select_protected", "read1_protected", "read2_protected"} {
		f.Add(get(f, v, n))
	}
	f.Add(vectors.Unhex(f, "0CB00000 0D 8E08ED6705417E96BA55 970104 00"))
	f.Add(vectors.Unhex(f, "0CA4020C 02 9705 00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cmd, err := apdu.ParseCommand(b)
		if err != nil {
			return
		}
		s := fuzzSession(t)
		plain, err := s.UnwrapCommand(cmd)
		if err != nil {
			checkErr(t, s, err)
			sw := ChipStatus(err)
			require.False(t, sw != 0x6987 && sw != 0x6988, "chip status %s", sw)
			return
		}
		_, err = plain.Bytes()
		require.NoError(t, err, "unwrapped command does not encode")
		_, err = s.WrapResponse(apdu.Response{SW: 0x9000})
		require.NoError(t, err)
	})
}

// FuzzUnwrap feeds the terminal side arbitrary responses to the Appendix D
// SELECT.
func FuzzUnwrap(f *testing.F) {
	v := vectors.LoadHex(f, "testdata/icao9303-11-appD/sm.txt")
	f.Add(get(f, v, "select_response"))
	f.Add(get(f, v, "read1_response"))
	f.Add(vectors.Unhex(f, "6988"))
	f.Add(vectors.Unhex(f, "99029000 8E08FA855A5D4C50A8ED 9000"))
	f.Add(vectors.Unhex(f, "8709 02 9FF0EC34F9922651 99029000 8E08AD55CC17140B2DED 9000"))
	f.Fuzz(func(t *testing.T, b []byte) {
		resp, err := apdu.ParseResponse(b)
		if err != nil {
			return
		}
		s := fuzzSession(t)
		_, err = s.Wrap(apdu.SelectEF(0x011E))
		require.NoError(t, err)
		r, err := s.Unwrap(resp)
		if err != nil {
			checkErr(t, s, err)
			return
		}
		require.False(t, len(r.Data) > len(b), "plaintext longer than the response")
	})
}

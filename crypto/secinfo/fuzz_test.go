package secinfo

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func addSeeds(f *testing.F, dg14 bool) {
	for _, v := range vectorFiles {
		b := vectors.Hex(f, "testdata/"+v.name)
		if v.dg14 == dg14 {
			f.Add(b)
		} else if dg14 {
			f.Add(append([]byte{0x6E, byte(len(b))}, b...)[:min(len(b)+2, 129)])
		}
	}
	f.Add([]byte{0x31, 0x00})
	f.Add(vectors.Unhex(f, "3114 3012 0608 04007F0007020202 020101 3006 0402011C 04011C"))
	f.Add(vectors.Unhex(f, "310D 300B 0606 678108010105 020101"))
}

// checkParsed verifies the properties every successful parse must have:
// the accessors work, Encode gives strict DER that parses back to the same
// infos, and strictly parsed input encodes back to itself.
func checkParsed(t *testing.T, s *SecurityInfos, set []byte, strict bool) {
	_ = s.BestPACE()
	_ = s.ChipAuthentication()
	for _, p := range s.PACE() {
		_, _ = p.Standardized()
		_ = s.PACEDomainParameter(p)
	}
	out, err := s.Encode()
	require.NoError(t, err, "Encode of parsed infos")
	require.False(t, strict && !bytes.Equal(out, set), "Encode gave %x, input %x", out, set)
	s2, err := Parse(out)
	require.NoError(t, err, "Parse(Encode(x))")
	require.Equal(t, sortedInfos(s), sortedInfos(s2), "round trip differs")
}

func checkErr(t *testing.T, err error, n int) {
	var e *Error
	require.ErrorAs(t, err, &e, "error %v is not an *Error", err)
	require.False(t, e.Offset < 0, "error offset %d outside input of %d bytes", e.Offset, n)
	require.False(t, e.Offset > n, "error offset %d outside input of %d bytes", e.Offset, n)
	require.NotNil(t, e.Err, "error without sentinel")
}

func FuzzParse(f *testing.F) {
	addSeeds(f, false)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, o := range []Options{Strict, Lenient} {
			s, err := o.Parse(b)
			if err != nil {
				checkErr(t, err, len(b))
				continue
			}
			require.False(t, !o.AllowPadding && !bytes.Equal(s.Raw, b), "Raw %x, input %x", s.Raw, b)
			checkParsed(t, s, s.Raw, !o.AllowUnsorted || s.Sorted)
		}
	})
}

func FuzzParseDG14(f *testing.F) {
	addSeeds(f, true)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, o := range []Options{Strict, Lenient} {
			s, err := o.ParseDG14(b)
			if err != nil {
				checkErr(t, err, len(b))
				continue
			}
			checkParsed(t, s, s.Raw, !o.AllowUnsorted || s.Sorted)
			if !o.AllowPadding {
				out, err := s.EncodeDG14()
				require.NoError(t, err)
				require.False(t, s.Sorted && !bytes.Equal(out, b), "EncodeDG14 gave %x, input %x", out, b)
			}
		}
	})
}

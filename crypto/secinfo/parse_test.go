package secinfo

import (
	"bytes"
	"encoding/asn1"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func TestParseCCCDCardAccess(t *testing.T) {
	b := vectors.Hex(t, "testdata/cccd/efcardaccess.hex")
	s, err := Parse(b)
	require.NoError(t, err)
	require.True(t, s.Sorted)
	require.Equal(t, b, s.Raw)
	require.Len(t, s.Infos, 3)

	ta := s.Infos[0].(*TerminalAuthenticationInfo)
	require.Equal(t, &TerminalAuthenticationInfo{Protocol: OIDTA, Version: 1, Raw: b[2:17]}, ta)

	ca := s.Infos[1].(*ChipAuthenticationInfo)
	require.Equal(t, &ChipAuthenticationInfo{Protocol: OIDCAECDHAES128, CA: CAProtocol{ECDH, AES, 16}, Version: 1, Raw: b[17:34]}, ca)

	pace := s.Infos[2].(*PACEInfo)
	require.Equal(t, &PACEInfo{
		Protocol: OIDPACEECDHGMAES128, PACE: PACEProtocol{ECDH, GenericMapping, AES, 16},
		Version: 2, ParameterID: 13, HasParameterID: true, Raw: b[34:],
	}, pace)
	std, ok := pace.Standardized()
	require.True(t, ok)
	require.Equal(t, "brainpoolP256r1", std.Name)

	require.Equal(t, []*PACEInfo{pace}, s.PACE())
	require.Same(t, pace, s.BestPACE())

	out, err := s.Encode()
	require.NoError(t, err)
	require.Equal(t, b, out)
}

func parseVector(t testing.TB, o Options, name string, dg14 bool) (*SecurityInfos, []byte, error) {
	b := vectors.Hex(t, "testdata/"+name)
	if dg14 {
		s, err := o.ParseDG14(b)
		return s, b, err
	}
	s, err := o.Parse(b)
	return s, b, err
}

// Every vector parses leniently; strictly exactly when sorted; and encodes
// back to itself (sorted vectors) or to an equivalent sorted set.
func TestVectorsRoundTrip(t *testing.T) {
	for _, v := range vectorFiles {
		t.Run(v.name, func(t *testing.T) {
			s, b, err := parseVector(t, Lenient, v.name, v.dg14)
			require.NoError(t, err)
			require.Equal(t, v.sorted, s.Sorted)
			_, _, strictErr := parseVector(t, Strict, v.name, v.dg14)
			if v.sorted {
				require.NoError(t, strictErr)
			} else {
				require.ErrorIs(t, strictErr, ErrNotSorted)
			}

			var out []byte
			if v.dg14 {
				out, err = s.EncodeDG14()
			} else {
				out, err = s.Encode()
			}
			require.NoError(t, err)
			if v.sorted {
				require.Equal(t, b, out)
			} else {
				require.NotEqual(t, b, out)
				require.Len(t, out, len(b))
			}
			// The encoding is strict DER and holds the same elements.
			var s2 *SecurityInfos
			if v.dg14 {
				s2, err = ParseDG14(out)
			} else {
				s2, err = Parse(out)
			}
			require.NoError(t, err)
			require.Equal(t, sortedInfos(s), sortedInfos(s2))
		})
	}
}

// sortedInfos returns the infos in DER order of their encodings.
func sortedInfos(s *SecurityInfos) []Info {
	v := slices.Clone(s.Infos)
	slices.SortStableFunc(v, func(a, b Info) int {
		ea, _ := a.Marshal()
		eb, _ := b.Marshal()
		return bytes.Compare(ea, eb)
	})
	return v
}

func TestGmrtdCardAccessDE(t *testing.T) {
	s, _, err := parseVector(t, Strict, "gmrtd/cardaccess_de.hex", false)
	require.NoError(t, err)
	pace := s.PACE()
	require.Len(t, pace, 2)
	require.Equal(t, PACEProtocol{ECDH, GenericMapping, AES, 16}, pace[0].PACE)
	require.Equal(t, PACEProtocol{ECDH, ChipAuthenticationMapping, AES, 16}, pace[1].PACE)
	// Same key agreement and cipher: the Generic Mapping ranks first.
	require.Same(t, pace[0], s.BestPACE())
}

func TestGmrtdDG14AT(t *testing.T) {
	s, b, err := parseVector(t, Strict, "gmrtd/dg14_at.hex", true)
	require.NoError(t, err)
	require.Equal(t, b[4:], s.Raw) // after 6E 82 01 7E
	require.Len(t, s.Infos, 4)
	keys := s.ChipAuthenticationPublicKeys()
	require.Len(t, keys, 1)
	pk := keys[0]
	require.Equal(t, ECDH, pk.KeyAgreement)
	require.False(t, pk.HasKeyID)
	require.True(t, pk.PublicKey.Algorithm.Algorithm.Equal(OIDECPublicKey))
	// Explicit ECParameters (TR-03110-3 A.2.1.2): a SEQUENCE beginning
	// with version 1 and the prime field of brainpoolP256r1 (RFC 5639).
	require.Equal(t, vectors.Unhex(t, "30 81 E0 02 01 01 30 2C 06 07 2A 86 48 CE 3D 01 01 02 21 00 A9FB57DB"), pk.PublicKey.Algorithm.Parameters[:24])
	_, named := pk.PublicKey.Algorithm.NamedCurve()
	require.False(t, named)
	require.Equal(t, vectors.Unhex(t, "04 1983917269AC877C0B61544C2C022000D2A5ABA723E2D80141E648B40911DC34"+
		"59761F27480E4B57181A53D8FE1190EA86C939AC14363178CAFFC621F0F905C3"), pk.PublicKey.PublicKey)
	require.Equal(t, pk.Raw[len(pk.Raw)-len(pk.PublicKey.Raw):], pk.PublicKey.Raw)

	cas := s.ChipAuthentication()
	require.Len(t, cas, 1)
	require.Equal(t, CAProtocol{ECDH, AES, 16}, cas[0].CA)
	require.Equal(t, 1, cas[0].Version)
	require.Same(t, pk, cas[0].PublicKey)
	require.NotNil(t, cas[0].Info)

	ta := s.TerminalAuthentication()
	require.Len(t, ta, 1)
	require.Equal(t, 1, ta[0].Version)
	require.Nil(t, s.ActiveAuthentication())
}

func TestGmrtdDG14MY(t *testing.T) {
	s, _, err := parseVector(t, Lenient, "gmrtd/dg14_my.hex", true)
	require.NoError(t, err)
	require.False(t, s.Sorted)
	// Order as found: the public key first.
	require.IsType(t, &ChipAuthenticationPublicKeyInfo{}, s.Infos[0])
	cas := s.ChipAuthentication()
	require.Len(t, cas, 1)
	require.Equal(t, CAProtocol{ECDH, TripleDES, 16}, cas[0].CA)
	require.True(t, cas[0].Protocol.Equal(OIDCAECDH3DES))
	require.Nil(t, s.BestPACE())

	_, err = ParseDG14(vectors.Hex(t, "testdata/gmrtd/dg14_my.hex"))
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, ErrNotSorted, e.Err)
	require.Equal(t, 1, e.Index)
	require.Equal(t, 8+4+0x142, e.Offset) // after 6E 82 01 6A 31 82 01 66 and the first element 30 82 01 42 ...

	// The same file in a buffer with room to spare (as a card read built
	// by append gives it): the offset counts from the file's start all
	// the same. It was 32 bytes off before the parser clipped its input.
	file := vectors.Hex(t, "testdata/gmrtd/dg14_my.hex")
	spare := append(make([]byte, 0, len(file)+32), file...)
	_, err = ParseDG14(spare)
	require.ErrorAs(t, err, &e)
	require.Equal(t, 8+4+0x142, e.Offset)
	_, err = Parse(spare[4:])
	require.ErrorAs(t, err, &e)
	require.Equal(t, 4+4+0x142, e.Offset) // after 31 82 01 66 and the first element
}

func TestGmrtdDG14BP384(t *testing.T) {
	s, _, err := parseVector(t, Lenient, "gmrtd/dg14_bp384.hex", true)
	require.NoError(t, err)
	best := s.BestPACE()
	require.NotNil(t, best)
	require.True(t, best.Protocol.Equal(OIDPACEECDHGMAES256))
	std, ok := best.Standardized()
	require.True(t, ok)
	require.Equal(t, "brainpoolP384r1", std.Name)
	cas := s.ChipAuthentication()
	require.Len(t, cas, 1)
	require.Equal(t, CAProtocol{ECDH, AES, 32}, cas[0].CA)
	require.Len(t, cas[0].PublicKey.PublicKey.PublicKey, 97) // 04 || x || y, 48 bytes each
}

// A key with no ChipAuthenticationInfo: CA version 1 with 3DES is inferred.
func TestGmrtdStandardizedKey(t *testing.T) {
	s, _, err := parseVector(t, Strict, "gmrtd/securityinfos_pk_std13.hex", false)
	require.NoError(t, err)
	pk := s.ChipAuthenticationPublicKeys()[0]
	id, ok := pk.PublicKey.Algorithm.StandardizedDomainParameterID()
	require.True(t, ok)
	require.Equal(t, 13, id)
	require.True(t, pk.HasKeyID)
	require.EqualValues(t, 13, pk.KeyID)
	cas := s.ChipAuthentication()
	require.Equal(t, []ChipAuthentication{{
		Protocol: OIDCAECDH3DES, CA: CAProtocol{ECDH, TripleDES, 16}, Version: 1,
		KeyID: 13, HasKeyID: true, PublicKey: pk,
	}}, cas)
}

func TestGmrtdEFDIRQuirk(t *testing.T) {
	s, b, err := parseVector(t, Strict, "gmrtd/securityinfos_efdir_badoid.hex", false)
	require.NoError(t, err)
	u := s.Unknown()
	require.Len(t, u, 1)
	require.Equal(t, "1.3.27.1.1.13", u[0].Protocol.String())
	require.Equal(t, b[2:], u[0].Raw)
}

// The synthetic DG14 built in Go encodes to the bytes of the file, which
// were written independently (see testdata/README.md).
func TestSyntheticDG14(t *testing.T) {
	g := vectors.Unhex(t, "04 8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262"+
		"547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997")
	brainpoolP256r1 := asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7}
	curveParam, err := asn1.Marshal(brainpoolP256r1)
	require.NoError(t, err)
	built := &SecurityInfos{Infos: []Info{
		&ChipAuthenticationPublicKeyInfo{Protocol: OIDPKECDH, KeyAgreement: ECDH, KeyID: 1, HasKeyID: true,
			PublicKey: SubjectPublicKeyInfo{
				Algorithm: AlgorithmIdentifier{Algorithm: OIDStandardizedDomainParameters, Parameters: []byte{0x02, 0x01, 0x0D}},
				PublicKey: g}},
		&ChipAuthenticationPublicKeyInfo{Protocol: OIDPKECDH, KeyAgreement: ECDH, KeyID: 2, HasKeyID: true,
			PublicKey: SubjectPublicKeyInfo{
				Algorithm: AlgorithmIdentifier{Algorithm: OIDECPublicKey, Parameters: curveParam},
				PublicKey: g}},
		&ChipAuthenticationInfo{Protocol: OIDCAECDHAES128, Version: 1, KeyID: 1, HasKeyID: true},
		&ChipAuthenticationInfo{Protocol: OIDCAECDHAES256, Version: 1, KeyID: 2, HasKeyID: true},
		&ActiveAuthenticationInfo{Protocol: OIDAA, Version: 1, SignatureAlgorithm: OIDECDSAWithSHA256},
		&TerminalAuthenticationInfo{Protocol: OIDTA, Version: 1},
	}}
	out, err := built.EncodeDG14()
	require.NoError(t, err)
	file := vectors.Hex(t, "testdata/synthetic/dg14_ca_aa.hex")
	require.Equal(t, file, out)

	s, err := ParseDG14(file)
	require.NoError(t, err)
	aa := s.ActiveAuthentication()
	require.NotNil(t, aa)
	require.True(t, aa.SignatureAlgorithm.Equal(OIDECDSAWithSHA256))
	cas := s.ChipAuthentication()
	require.Len(t, cas, 2)
	require.EqualValues(t, 1, cas[0].KeyID)
	require.Equal(t, CAProtocol{ECDH, AES, 16}, cas[0].CA)
	id, ok := cas[0].PublicKey.PublicKey.Algorithm.StandardizedDomainParameterID()
	require.True(t, ok)
	require.Equal(t, 13, id)
	require.EqualValues(t, 2, cas[1].KeyID)
	require.Equal(t, CAProtocol{ECDH, AES, 32}, cas[1].CA)
	curve, ok := cas[1].PublicKey.PublicKey.Algorithm.NamedCurve()
	require.True(t, ok)
	require.True(t, curve.Equal(brainpoolP256r1))
}

func TestLenientPadding(t *testing.T) {
	b := vectors.Hex(t, "testdata/cccd/efcardaccess.hex")
	padded := append(append([]byte(nil), b...), 0x00, 0xFF, 0x00)
	_, err := Parse(padded)
	require.ErrorIs(t, err, ErrTrailingData)
	s, err := Lenient.Parse(padded)
	require.NoError(t, err)
	require.Equal(t, b, s.Raw)
	require.Len(t, s.Infos, 3)
}

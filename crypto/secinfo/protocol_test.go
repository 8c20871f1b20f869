package secinfo

import (
	"encoding/asn1"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// The rows of TR-03110-3 Tables 6 and 7 and of ICAO Doc 9303-11 §9.2
// (CAM), typed out.
func TestParsePACEProtocol(t *testing.T) {
	tests := []struct {
		dotted string
		want   PACEProtocol
	}{
		{"0.4.0.127.0.7.2.2.4.1.1", PACEProtocol{DH, GenericMapping, TripleDES, 16}},
		{"0.4.0.127.0.7.2.2.4.1.2", PACEProtocol{DH, GenericMapping, AES, 16}},
		{"0.4.0.127.0.7.2.2.4.1.3", PACEProtocol{DH, GenericMapping, AES, 24}},
		{"0.4.0.127.0.7.2.2.4.1.4", PACEProtocol{DH, GenericMapping, AES, 32}},
		{"0.4.0.127.0.7.2.2.4.2.1", PACEProtocol{ECDH, GenericMapping, TripleDES, 16}},
		{"0.4.0.127.0.7.2.2.4.2.2", PACEProtocol{ECDH, GenericMapping, AES, 16}},
		{"0.4.0.127.0.7.2.2.4.2.3", PACEProtocol{ECDH, GenericMapping, AES, 24}},
		{"0.4.0.127.0.7.2.2.4.2.4", PACEProtocol{ECDH, GenericMapping, AES, 32}},
		{"0.4.0.127.0.7.2.2.4.3.1", PACEProtocol{DH, IntegratedMapping, TripleDES, 16}},
		{"0.4.0.127.0.7.2.2.4.3.2", PACEProtocol{DH, IntegratedMapping, AES, 16}},
		{"0.4.0.127.0.7.2.2.4.3.3", PACEProtocol{DH, IntegratedMapping, AES, 24}},
		{"0.4.0.127.0.7.2.2.4.3.4", PACEProtocol{DH, IntegratedMapping, AES, 32}},
		{"0.4.0.127.0.7.2.2.4.4.1", PACEProtocol{ECDH, IntegratedMapping, TripleDES, 16}},
		{"0.4.0.127.0.7.2.2.4.4.2", PACEProtocol{ECDH, IntegratedMapping, AES, 16}},
		{"0.4.0.127.0.7.2.2.4.4.3", PACEProtocol{ECDH, IntegratedMapping, AES, 24}},
		{"0.4.0.127.0.7.2.2.4.4.4", PACEProtocol{ECDH, IntegratedMapping, AES, 32}},
		{"0.4.0.127.0.7.2.2.4.6.2", PACEProtocol{ECDH, ChipAuthenticationMapping, AES, 16}},
		{"0.4.0.127.0.7.2.2.4.6.3", PACEProtocol{ECDH, ChipAuthenticationMapping, AES, 24}},
		{"0.4.0.127.0.7.2.2.4.6.4", PACEProtocol{ECDH, ChipAuthenticationMapping, AES, 32}},
	}
	for _, tc := range tests {
		oid := mustOID(t, tc.dotted)
		got, err := ParsePACEProtocol(oid)
		require.NoError(t, err, tc.dotted)
		require.Equal(t, tc.want, got, tc.dotted)
		require.True(t, got.OID().Equal(oid), tc.dotted)
		require.Equal(t, OIDName(oid), got.String())
		require.Equal(t, oid[:len(oid)-1].String(), got.MappingOID().String())
	}
	for _, bad := range []string{
		"0.4.0.127.0.7.2.2.4",       // id-PACE
		"0.4.0.127.0.7.2.2.4.2",     // a mapping, not a protocol
		"0.4.0.127.0.7.2.2.4.6.1",   // CAM with 3DES does not exist
		"0.4.0.127.0.7.2.2.4.5.2",   // arc 5 is not assigned
		"0.4.0.127.0.7.2.2.4.2.5",   // no cipher 5
		"0.4.0.127.0.7.2.2.4.2.2.1", // too long
		"0.4.0.127.0.7.2.2.3.2.2",   // a CA protocol
	} {
		_, err := ParsePACEProtocol(mustOID(t, bad))
		require.ErrorIs(t, err, ErrUnknownProtocol, bad)
	}
	require.Nil(t, PACEProtocol{ECDH, ChipAuthenticationMapping, TripleDES, 16}.OID())
	require.Nil(t, PACEProtocol{ECDH, GenericMapping, AES, 20}.OID())
	require.Nil(t, PACEProtocol{DH, ChipAuthenticationMapping, AES, 16}.OID())
}

func TestParseCAProtocol(t *testing.T) {
	tests := []struct {
		dotted string
		want   CAProtocol
	}{
		{"0.4.0.127.0.7.2.2.3.1.1", CAProtocol{DH, TripleDES, 16}},
		{"0.4.0.127.0.7.2.2.3.1.2", CAProtocol{DH, AES, 16}},
		{"0.4.0.127.0.7.2.2.3.1.3", CAProtocol{DH, AES, 24}},
		{"0.4.0.127.0.7.2.2.3.1.4", CAProtocol{DH, AES, 32}},
		{"0.4.0.127.0.7.2.2.3.2.1", CAProtocol{ECDH, TripleDES, 16}},
		{"0.4.0.127.0.7.2.2.3.2.2", CAProtocol{ECDH, AES, 16}},
		{"0.4.0.127.0.7.2.2.3.2.3", CAProtocol{ECDH, AES, 24}},
		{"0.4.0.127.0.7.2.2.3.2.4", CAProtocol{ECDH, AES, 32}},
	}
	for _, tc := range tests {
		oid := mustOID(t, tc.dotted)
		got, err := ParseCAProtocol(oid)
		require.NoError(t, err, tc.dotted)
		require.Equal(t, tc.want, got)
		require.True(t, got.OID().Equal(oid))
		require.Equal(t, OIDName(oid), got.String())
	}
	for _, bad := range []string{"0.4.0.127.0.7.2.2.3.2", "0.4.0.127.0.7.2.2.3.3.2", "0.4.0.127.0.7.2.2.3.2.0", "0.4.0.127.0.7.2.2.4.2.2"} {
		_, err := ParseCAProtocol(mustOID(t, bad))
		require.ErrorIs(t, err, ErrUnknownProtocol, bad)
		var pe *protocolError
		require.True(t, errors.As(err, &pe))
	}
}

// TR-03110-3 Table 4.
func TestStandardizedDomainParameters(t *testing.T) {
	p, ok := LookupStandardizedDomainParameter(13)
	require.True(t, ok)
	require.Equal(t, StandardizedDomainParameter{ID: 13, Name: "brainpoolP256r1", Type: ECP, Bits: 256}, p)
	p, ok = LookupStandardizedDomainParameter(2)
	require.True(t, ok)
	require.Equal(t, GFP, p.Type)
	p, ok = LookupStandardizedDomainParameter(10)
	require.True(t, ok)
	require.True(t, p.NoIM)
	for _, id := range []int{-1, 3, 7, 19, 31, 32} {
		_, ok := LookupStandardizedDomainParameter(id)
		require.False(t, ok, id)
	}
}

func mustOID(t testing.TB, dotted string) asn1.ObjectIdentifier {
	t.Helper()
	var oid asn1.ObjectIdentifier
	n := 0
	for i := 0; i <= len(dotted); i++ {
		if i == len(dotted) || dotted[i] == '.' {
			oid = append(oid, n)
			n = 0
			continue
		}
		n = n*10 + int(dotted[i]-'0')
	}
	return oid
}

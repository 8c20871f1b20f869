package pki_test

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

// requireLDSError checks a *pki.ParseError of the LDSSecurityObject
// wrapping sentinel, whose text says what is wrong.
func requireLDSError(t *testing.T, err, sentinel error, says string) *pki.ParseError {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var pe *pki.ParseError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "LDSSecurityObject", pe.Kind)
	require.Contains(t, err.Error(), says)
	return pe
}

func TestLDSSecurityObjectVector(t *testing.T) {
	in := vectors.Hex(t, "testdata/gmrtd/ldssecurityobject_at.hex")
	o, err := pki.ParseLDSSecurityObject(in)
	require.NoError(t, err)
	require.Equal(t, 0, o.Version)
	h, ok := o.Hash()
	require.True(t, ok)
	require.Equal(t, crypto.SHA256, h)
	require.Equal(t, []byte{0x05, 0x00}, o.HashParameters)
	var numbers []int
	for _, d := range o.DataGroupHashes {
		numbers = append(numbers, d.DataGroup)
		require.Len(t, d.Hash, 32)
	}
	require.Equal(t, []int{1, 2, 3, 11, 12, 14}, numbers)
	dg1, ok := o.HashOf(1)
	require.True(t, ok)
	require.Equal(t, vectors.Unhex(t, "90462cd4824bc24ce1ce77e0e40da503b5f25063e61a78e22c3ac04e49b20243"), dg1)
	_, ok = o.HashOf(15)
	require.False(t, ok)
	_, ok = o.HashOf(0)
	require.False(t, ok)
	require.Empty(t, o.LDSVersion)
	out, err := o.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)

	// The same bytes are the eContent of the EF.SOD they were cut from.
	sod, err := pki.ParseSOD(vectors.Hex(t, "testdata/gmrtd/sod_at.hex"))
	require.NoError(t, err)
	require.Equal(t, in, sod.LDS)
	require.Equal(t, o, sod.SecurityObject)
}

func TestLDSSecurityObjectBuild(t *testing.T) {
	files := map[int][]byte{2: {0x75, 0x00}, 1: {0x61, 0x00}}
	o, err := pki.NewLDSSecurityObject(crypto.SHA256, files)
	require.NoError(t, err)
	h1 := sha256.Sum256([]byte{0x61, 0x00})
	h2 := sha256.Sum256([]byte{0x75, 0x00})
	require.Equal(t, &pki.LDSSecurityObject{
		HashAlgorithm:   pki.OIDSHA256,
		HashParameters:  []byte{0x05, 0x00},
		DataGroupHashes: []pki.DataGroupHash{{DataGroup: 1, Hash: h1[:]}, {DataGroup: 2, Hash: h2[:]}},
	}, o)
	o.Version, o.LDSVersion, o.UnicodeVersion = 1, "0108", "040000"
	b, err := o.Encode()
	require.NoError(t, err)
	back, err := pki.ParseLDSSecurityObject(b)
	require.NoError(t, err)
	require.Equal(t, o, back)
	// The tail is the LDSVersionInfo of LDS 1.8.
	require.Equal(t, vectors.Unhex(t, "300E 13 04 30313038 13 06 303430303030"), b[len(b)-16:])

	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA224, crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		oid := pki.HashOID(h)
		require.NotNil(t, oid)
		require.Equal(t, h, pki.HashFromOID(oid))
		o, err := pki.NewLDSSecurityObject(h, files)
		require.NoError(t, err)
		require.Len(t, o.DataGroupHashes[0].Hash, h.Size())
		got, ok := o.Hash()
		require.True(t, ok)
		require.Equal(t, h, got)
	}
	require.Nil(t, pki.HashOID(crypto.MD5))
	require.Zero(t, pki.HashFromOID(asn1.ObjectIdentifier{1, 2, 3}))
	_, err = pki.NewLDSSecurityObject(crypto.MD5, files)
	requireLDSError(t, err, pki.ErrUnsupportedAlgorithm, "MD5")
	_, err = pki.NewLDSSecurityObject(crypto.SHA256, map[int][]byte{17: {}})
	requireLDSError(t, err, pki.ErrMalformed, "data group 17")
	_, err = pki.NewLDSSecurityObject(crypto.SHA256, map[int][]byte{0: {}})
	requireLDSError(t, err, pki.ErrMalformed, "data group 0")
	_, err = pki.NewLDSSecurityObject(crypto.SHA256, nil)
	requireLDSError(t, err, pki.ErrMalformed, "no data group")
}

func TestLDSSecurityObjectErrors(t *testing.T) {
	// A valid version 0 body: SHA-256 without parameters, DG1 hash '01'.
	const algo = "300B 0609 608648016503040201"
	const dg1 = "3008 3006 020101 040101"
	tests := []struct {
		name string
		in   string
		says string
	}{
		{"not a sequence", "31 00", "not a DER SEQUENCE"},
		{"trailing", "30 00 00", "bytes after the SEQUENCE"},
		{"version 2", "30 1A 020102" + algo + dg1, "version must be 0 or 1"},
		{"bad algorithm", "30 0A 020100 3003 020100" + dg1[:0] + "3000", "bad hashAlgorithm"},
		{"two parameters", "30 1E 020100 300F 0609 608648016503040201 0500 0500" + dg1, "bad hashAlgorithm parameters"},
		{"no hashes", "30 12 020100" + algo + "3000", "no data group hash"},
		{"number 17", "30 1A 020100" + algo + "3008 3006 020111 040101", "out of 1..16"},
		{"number 0", "30 1A 020100" + algo + "3008 3006 020100 040101", "out of 1..16"},
		{"duplicate", "30 22 020100" + algo + "3010 3006 020101 040101 3006 020101 040101", "duplicate hash of DG1"},
		{"hash not octets", "30 1A 020100" + algo + "3008 3006 020101 030101", "bad DataGroupHash"},
		{"v1 without info", "30 1A 020101" + algo + dg1, "version 1 without ldsVersionInfo"},
		{"v0 with info", "30 20 020100" + algo + dg1 + "3004 1300 1300", "ldsVersionInfo in a version 0 object"},
		{"bad info", "30 20 020101" + algo + dg1 + "3004 0C00 1300", "bad ldsVersionInfo"},
		{"info not printable", "30 21 020101" + algo + dg1 + "3005 1301 2A 1300", "PrintableString"},
		{"after info", "30 22 020101" + algo + dg1 + "3004 1300 1300 0500", "bytes after ldsVersionInfo"},
		{"truncated", "30 18 020100" + algo, "not a DER SEQUENCE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pki.ParseLDSSecurityObject(vectors.Unhex(t, tc.in))
			pe := requireLDSError(t, err, pki.ErrMalformed, tc.says)
			require.Contains(t, pe.Field, "offset ")
		})
	}
	// The valid body parses.
	_, err := pki.ParseLDSSecurityObject(vectors.Unhex(t, "30 1A 020100"+algo+dg1))
	require.NoError(t, err)
	_, err = pki.ParseLDSSecurityObject(make([]byte, pki.MaxLDSSecurityObjectSize+1))
	requireLDSError(t, err, pki.ErrTooLarge, "offset 65536")

	good := func() *pki.LDSSecurityObject {
		return &pki.LDSSecurityObject{HashAlgorithm: pki.OIDSHA256, DataGroupHashes: []pki.DataGroupHash{{DataGroup: 1, Hash: []byte{1}}}}
	}
	for name, mutate := range map[string]func(o *pki.LDSSecurityObject){
		"version 3":         func(o *pki.LDSSecurityObject) { o.Version = 3 },
		"v1 no versions":    func(o *pki.LDSSecurityObject) { o.Version = 1 },
		"v0 with versions":  func(o *pki.LDSSecurityObject) { o.LDSVersion = "0108" },
		"no algorithm":      func(o *pki.LDSSecurityObject) { o.HashAlgorithm = nil },
		"no hashes":         func(o *pki.LDSSecurityObject) { o.DataGroupHashes = nil },
		"17 hashes":         func(o *pki.LDSSecurityObject) { o.DataGroupHashes = make([]pki.DataGroupHash, 17) },
		"number 0":          func(o *pki.LDSSecurityObject) { o.DataGroupHashes[0].DataGroup = 0 },
		"duplicate":         func(o *pki.LDSSecurityObject) { o.DataGroupHashes = append(o.DataGroupHashes, o.DataGroupHashes[0]) },
		"bad params":        func(o *pki.LDSSecurityObject) { o.HashParameters = []byte{0x05} },
		"not printable":     func(o *pki.LDSSecurityObject) { o.Version, o.LDSVersion, o.UnicodeVersion = 1, "01*8", "040000" },
		"invalid OID arc 3": func(o *pki.LDSSecurityObject) { o.HashAlgorithm = asn1.ObjectIdentifier{3, 1} },
	} {
		t.Run(name, func(t *testing.T) {
			o := good()
			mutate(o)
			_, err := o.Encode()
			requireLDSError(t, err, pki.ErrMalformed, "")
		})
	}
}

func FuzzParseLDSSecurityObject(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/gmrtd/ldssecurityobject_at.hex"))
	f.Add(vectors.Unhex(f, "30 1A 020100 300B 0609 608648016503040201 3008 3006 020101 040101"))
	f.Add(vectors.Unhex(f, "30 2A 020101 300B 0609 608648016503040201 3008 3006 020101 040101 300E 13 04 30313038 13 06 303430303030"))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := pki.ParseLDSSecurityObject(b)
		if err != nil {
			var pe *pki.ParseError
			require.ErrorAs(t, err, &pe, "untyped error %v", err)
			require.False(t, !(errors.Is(err, pki.ErrMalformed) || errors.Is(err, pki.ErrTooLarge)), "untyped error %v", err)
			return
		}
		// DER in, same DER out, and the encoding parses to the same value.
		out, err := o.Encode()
		require.NoError(t, err, "parsed value does not encode")
		require.True(t, bytes.Equal(out, b), "DER %x re-encoded as %x", b, out)
		back, err := pki.ParseLDSSecurityObject(out)
		require.NoError(t, err, "encoding %x does not parse", out)
		require.Equal(t, o.Version, back.Version, "round trip changed the value")
		require.Equal(t, len(o.DataGroupHashes), len(back.DataGroupHashes), "round trip changed the value")
	})
}

func BenchmarkParseLDSSecurityObject(b *testing.B) {
	in := vectors.Hex(b, "testdata/gmrtd/ldssecurityobject_at.hex")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pki.ParseLDSSecurityObject(in); err != nil {
			b.Fatal(err)
		}
	}
}

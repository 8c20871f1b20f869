package chip

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	encasn1 "encoding/asn1"
	"testing"

	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
	"github.com/stretchr/testify/require"
)

var (
	jpegBytes     = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0xFF, 0xD9}
	jpeg2000Bytes = []byte{0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A, 0x00}
	// A PACEInfo: id-PACE-ECDH-GM-AES-CBC-CMAC-256, version 2, parameter 13.
	securityInfos = []byte{0x31, 0x14, 0x30, 0x12, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x04,
		0x02, 0x01, 0x02, 0x02, 0x01, 0x0D}
)

// p256Base is the P-256 base point as an ECDSA public key.
func p256Base() *ecdsa.PublicKey {
	c := elliptic.P256()
	p := make([]byte, 65)
	p[0] = 4
	c.Params().Gx.FillBytes(p[1:33])
	c.Params().Gy.FillBytes(p[33:])
	k, err := ecdsa.ParseUncompressedPublicKey(c, p)
	if err != nil {
		panic(err)
	}
	return k
}

func TestDisplayedImages(t *testing.T) {
	d := &DisplayedImages{File: EFDG5, Images: []DisplayedImage{{Tag: TagDisplayedPortrait, Data: jpegBytes}, {Tag: TagDisplayedPortrait, Data: jpeg2000Bytes}}}
	b, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, byte(0x65), b[0])
	back, err := ParseDG5(b)
	require.NoError(t, err)
	requireEqual(t, d, back)
	require.Equal(t, bio.FormatJPEG, back.Images[0].Format())
	require.Equal(t, bio.FormatJP2, back.Images[1].Format())

	sig := &DisplayedImages{File: EFDG7, Images: []DisplayedImage{{Tag: TagDisplayedSignature, Data: []byte{1, 2}}}}
	b, err = sig.Encode()
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "67 08 02 01 01 5F43 02 0102"), b)
	back, err = ParseDG7(b)
	require.NoError(t, err)
	requireEqual(t, sig, back)

	// JMRTD's DG6 test file: a portrait tag in DG6.
	back, err = ParseDG6(vectors.Unhex(t, "66 08 02 01 01 5F40 02 0102"))
	require.NoError(t, err)
	requireEqual(t, &DisplayedImages{File: EFDG6, Images: []DisplayedImage{{Tag: TagDisplayedPortrait, Data: []byte{1, 2}}}}, back)

	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"wrong file tag", "65 03 02 01 00", ErrWrongTag},
		{"missing count", "67 00", ErrMissingField},
		{"image before count", "67 06 5F43 00 02 01 01", ErrWrongTag},
		{"count mismatch", "67 06 02 01 02 5F43 00", ErrInvalidValue},
		{"other tag", "67 06 02 01 01 5F44 00", ErrWrongTag},
		{"bad count", "67 03 02 01 FF", ErrInvalidValue},
		{"truncated", "67 06 02 01 01 5F43 09", tlv.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDG7(vectors.Unhex(t, tc.in))
			requireParseError(t, err, EFDG7, tc.err)
		})
	}
	_, err = ParseDisplayedImages(EFDG2, vectors.Unhex(t, "75 00"))
	requireParseError(t, err, EFDG2, ErrUnknownFile)
	_, err = (&DisplayedImages{File: EFDG1}).Encode()
	requireParseError(t, err, EFDG1, ErrUnknownFile)
	_, err = (&DisplayedImages{File: EFDG5, Images: make([]DisplayedImage, 100)}).Encode()
	requireParseError(t, err, EFDG5, ErrTooLarge)
	_, err = (&DisplayedImages{File: EFDG5, Images: []DisplayedImage{{Tag: 0x5F41}}}).Encode()
	requireParseError(t, err, EFDG5, ErrWrongTag)
	_, err = ParseDG5(make([]byte, LargeFileLimit+1))
	requireParseError(t, err, EFDG5, ErrTooLarge)
}

func TestDG13(t *testing.T) {
	in := vectors.Unhex(t, "6D 0A 02 01 01 30 05 02 01 01 0C 00")
	d, err := ParseDG13(in)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "02 01 01 30 05 02 01 01 0C 00"), d.Content)
	r := d.Objects()
	var tags []tlv.Tag
	for r.Next() {
		tags = append(tags, r.TLV().Tag)
	}
	require.NoError(t, r.Err())
	require.Equal(t, []tlv.Tag{0x02, 0x30}, tags)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)
	_, err = ParseDG13(vectors.Unhex(t, "6E 00"))
	requireParseError(t, err, EFDG13, ErrWrongTag)
}

func TestDG14(t *testing.T) {
	d := &DG14{SecurityInfos: securityInfos}
	b, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, append([]byte{0x6E, 0x16}, securityInfos...), b)
	back, err := ParseDG14(b)
	require.NoError(t, err)
	requireEqual(t, d, back)

	_, err = ParseDG14(vectors.Unhex(t, "6E 02 30 00"))
	requireParseError(t, err, EFDG14, ErrInvalidValue)
	_, err = ParseDG14(vectors.Unhex(t, "6E 04 31 00 31 00"))
	requireParseError(t, err, EFDG14, ErrInvalidValue)
	_, err = ParseDG14(vectors.Unhex(t, "6F 02 31 00"))
	requireParseError(t, err, EFDG14, ErrWrongTag)
	_, err = (&DG14{}).Encode()
	requireParseError(t, err, EFDG14, ErrInvalidValue)
}

func TestDG15RSA(t *testing.T) {
	in := vectors.Hex(t, "testdata/gmrtd/dg15_rsa1792.hex")
	d, err := ParseDG15(in)
	require.NoError(t, err)
	require.Equal(t, RSAKey, d.KeyAlgorithm())
	require.Equal(t, "RSA", d.KeyAlgorithm().String())
	require.Equal(t, in[4:], d.SubjectPublicKeyInfo)
	require.Equal(t, []byte{0x05, 0x00}, d.Parameters)
	k, err := d.RSAPublicKey()
	require.NoError(t, err)
	require.Equal(t, 1792, k.N.BitLen())
	require.Equal(t, 65537, k.E)
	_, ok := d.NamedCurve()
	require.False(t, ok)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)

	again, err := NewDG15FromKey(k)
	require.NoError(t, err)
	require.Equal(t, d.SubjectPublicKeyInfo, again.SubjectPublicKeyInfo)
}

func TestDG15EC(t *testing.T) {
	d, err := NewDG15FromKey(p256Base())
	require.NoError(t, err)
	require.Equal(t, ECKey, d.KeyAlgorithm())
	curve, ok := d.NamedCurve()
	require.True(t, ok)
	require.True(t, curve.Equal(encasn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}))
	require.Len(t, d.PublicKey, 65)
	require.Equal(t, byte(0x04), d.PublicKey[0])
	_, err = d.RSAPublicKey()
	requireParseError(t, err, EFDG15, ErrInvalidValue)
	b, err := d.Encode()
	require.NoError(t, err)
	back, err := ParseDG15(b)
	require.NoError(t, err)
	requireEqual(t, d, back)

	// Explicit parameters (as brainpool keys often come) are kept as DER.
	spki := vectors.Unhex(t, "30 16 30 0E 06 07 2A8648CE3D0201 30 03 02 01 01 03 04 00 04 01 02")
	e, err := NewDG15(spki)
	require.NoError(t, err)
	require.Equal(t, ECKey, e.KeyAlgorithm())
	require.Equal(t, vectors.Unhex(t, "30 03 02 01 01"), e.Parameters)
	_, ok = e.NamedCurve()
	require.False(t, ok)
	require.Equal(t, []byte{0x04, 0x01, 0x02}, e.PublicKey)

	other, err := NewDG15(vectors.Unhex(t, "30 0C 30 05 06 03 2B6570 03 03 00 0102"))
	require.NoError(t, err)
	require.Equal(t, UnknownKey, other.KeyAlgorithm())
	require.Nil(t, other.Parameters)
	require.Equal(t, "unknown", other.KeyAlgorithm().String())
	_, ok = other.NamedCurve()
	require.False(t, ok)

	// Not valid RSA though labelled so.
	bad, err := NewDG15(vectors.Unhex(t, "30 10 30 0B 06 09 2A864886F70D010101 03 01 00"))
	require.NoError(t, err)
	_, err = bad.RSAPublicKey()
	requireParseError(t, err, EFDG15, ErrInvalidValue)
}

func TestDG15Errors(t *testing.T) {
	for _, in := range []string{
		"6F 02 30 00", // empty SEQUENCE
		"6F 0D 30 0A 30 05 06 03 2B6570 03 01 00 01",          // trailing byte in the file's SPKI
		"6F 0E 30 0C 30 05 06 03 2B6570 03 03 01 0102",        // unused bits
		"6F 0F 30 0D 30 06 06 03 2B6570 05 03 03 00 0102",     // parameters truncated
		"6F 11 30 0F 30 09 06 03 2B6570 0500 0500 03 02 0001", // two parameters
		"6F 0A 30 08 30 03 02 01 01 03 01 00",                 // no OID
	} {
		_, err := ParseDG15(vectors.Unhex(t, in))
		requireParseError(t, err, EFDG15, ErrInvalidValue)
	}
	_, err := ParseDG15(vectors.Unhex(t, "6E 00"))
	requireParseError(t, err, EFDG15, ErrWrongTag)
	_, err = (&DG15{}).Encode()
	requireParseError(t, err, EFDG15, ErrInvalidValue)
	_, err = NewDG15FromKey("not a key")
	requireParseError(t, err, EFDG15, ErrInvalidValue)
}

func TestLDSSecurityObjectVector(t *testing.T) {
	in := vectors.Hex(t, "testdata/gmrtd/ldssecurityobject_at.hex")
	o, err := ParseLDSSecurityObject(in)
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
	dg1, ok := o.HashOf(EFDG1)
	require.True(t, ok)
	require.Equal(t, vectors.Unhex(t, "90462cd4824bc24ce1ce77e0e40da503b5f25063e61a78e22c3ac04e49b20243"), dg1)
	_, ok = o.HashOf(EFDG15)
	require.False(t, ok)
	_, ok = o.HashOf(EFSOD)
	require.False(t, ok)
	require.Empty(t, o.LDSVersion)
	out, err := o.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)

	// The same bytes sit inside the EF.SOD they were cut from.
	sodFile := vectors.Hex(t, "testdata/gmrtd/sod_at.hex")
	sod, err := ParseSOD(sodFile)
	require.NoError(t, err)
	require.Contains(t, string(sod.CMS), string(in))
	back, err := sod.Encode()
	require.NoError(t, err)
	require.Equal(t, sodFile, back)
}

func TestLDSSecurityObjectBuild(t *testing.T) {
	files := map[File][]byte{EFDG2: {0x75, 0x00}, EFDG1: {0x61, 0x00}}
	o, err := NewLDSSecurityObject(crypto.SHA256, files)
	require.NoError(t, err)
	h1 := sha256.Sum256([]byte{0x61, 0x00})
	h2 := sha256.Sum256([]byte{0x75, 0x00})
	requireEqual(t, &LDSSecurityObject{
		HashAlgorithm:   OIDSHA256,
		HashParameters:  []byte{0x05, 0x00},
		DataGroupHashes: []DataGroupHash{{1, h1[:]}, {2, h2[:]}},
	}, o)
	o.Version, o.LDSVersion, o.UnicodeVersion = 1, "0108", "040000"
	b, err := o.Encode()
	require.NoError(t, err)
	back, err := ParseLDSSecurityObject(b)
	require.NoError(t, err)
	requireEqual(t, o, back)
	// The tail is the LDSVersionInfo of LDS 1.8.
	require.Equal(t, vectors.Unhex(t, "30 0E 13 04 30313038 13 06 303430303030"), b[len(b)-16:])

	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA224, crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		oid, ok := HashOID(h)
		require.True(t, ok)
		back, ok := HashFromOID(oid)
		require.True(t, ok)
		require.Equal(t, h, back)
		o, err := NewLDSSecurityObject(h, files)
		require.NoError(t, err)
		require.Len(t, o.DataGroupHashes[0].Hash, h.Size())
	}
	_, ok := HashOID(crypto.MD5)
	require.False(t, ok)
	_, ok = HashFromOID(encasn1.ObjectIdentifier{1, 2, 3})
	require.False(t, ok)
	_, err = NewLDSSecurityObject(crypto.MD5, files)
	requireParseError(t, err, EFSOD, ErrInvalidValue)
	_, err = NewLDSSecurityObject(crypto.SHA256, map[File][]byte{EFCOM: {}})
	requireParseError(t, err, EFCOM, ErrUnknownFile)
}

func TestLDSSecurityObjectErrors(t *testing.T) {
	// A valid version 0 body: SHA-256 without parameters, DG1 hash '01'.
	const algo = "300B 0609 608648016503040201"
	const dg1 = "3008 3006 020101 040101"
	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"not a sequence", "31 00", ErrInvalidValue},
		{"trailing", "30 00 00", ErrInvalidValue},
		{"version 2", "30 1A 020102" + algo + dg1, ErrInvalidValue},
		{"bad algorithm", "30 0A 020100 3003 020100" + dg1[:0] + "3000", ErrInvalidValue},
		{"two parameters", "30 1E 020100 300F 0609 608648016503040201 0500 0500" + dg1, ErrInvalidValue},
		{"no hashes", "30 12 020100" + algo + "3000", ErrMissingField},
		{"number 17", "30 1A 020100" + algo + "3008 3006 020111 040101", ErrInvalidValue},
		{"number 0", "30 1A 020100" + algo + "3008 3006 020100 040101", ErrInvalidValue},
		{"duplicate", "30 22 020100" + algo + "3010 3006 020101 040101 3006 020101 040101", ErrDuplicateField},
		{"hash not octets", "30 1A 020100" + algo + "3008 3006 020101 030101", ErrInvalidValue},
		{"v1 without info", "30 1A 020101" + algo + dg1, ErrMissingField},
		{"v0 with info", "30 20 020100" + algo + dg1 + "3004 1300 1300", ErrInvalidValue},
		{"bad info", "30 20 020101" + algo + dg1 + "3004 0C00 1300", ErrInvalidValue},
		{"info not printable", "30 21 020101" + algo + dg1 + "3005 1301 2A 1300", ErrInvalidValue},
		{"after info", "30 22 020101" + algo + dg1 + "3004 1300 1300 0500", ErrInvalidValue},
		{"truncated", "30 18 020100" + algo, ErrInvalidValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLDSSecurityObject(vectors.Unhex(t, tc.in))
			pe := requireParseError(t, err, EFSOD, tc.err)
			require.GreaterOrEqual(t, pe.Offset, 0)
		})
	}
	// The valid body parses.
	_, err := ParseLDSSecurityObject(vectors.Unhex(t, "30 1A 020100"+algo+dg1))
	require.NoError(t, err)
	_, err = ParseLDSSecurityObject(make([]byte, SmallFileLimit+1))
	requireParseError(t, err, EFSOD, ErrTooLarge)

	good := func() *LDSSecurityObject {
		return &LDSSecurityObject{HashAlgorithm: OIDSHA256, DataGroupHashes: []DataGroupHash{{1, []byte{1}}}}
	}
	for name, mutate := range map[string]func(o *LDSSecurityObject){
		"version 3":         func(o *LDSSecurityObject) { o.Version = 3 },
		"v1 no versions":    func(o *LDSSecurityObject) { o.Version = 1 },
		"v0 with versions":  func(o *LDSSecurityObject) { o.LDSVersion = "0108" },
		"no algorithm":      func(o *LDSSecurityObject) { o.HashAlgorithm = nil },
		"no hashes":         func(o *LDSSecurityObject) { o.DataGroupHashes = nil },
		"17 hashes":         func(o *LDSSecurityObject) { o.DataGroupHashes = make([]DataGroupHash, 17) },
		"number 0":          func(o *LDSSecurityObject) { o.DataGroupHashes[0].DataGroup = 0 },
		"duplicate":         func(o *LDSSecurityObject) { o.DataGroupHashes = append(o.DataGroupHashes, o.DataGroupHashes[0]) },
		"bad params":        func(o *LDSSecurityObject) { o.HashParameters = []byte{0x05} },
		"not printable":     func(o *LDSSecurityObject) { o.Version, o.LDSVersion, o.UnicodeVersion = 1, "01*8", "040000" },
		"invalid OID arc 3": func(o *LDSSecurityObject) { o.HashAlgorithm = encasn1.ObjectIdentifier{3, 1} },
	} {
		t.Run(name, func(t *testing.T) {
			o := good()
			mutate(o)
			_, err := o.Encode()
			requireParseError(t, err, EFSOD, ErrInvalidValue)
		})
	}
}

func TestSODErrors(t *testing.T) {
	_, err := ParseSOD(vectors.Unhex(t, "77 02 31 00"))
	requireParseError(t, err, EFSOD, ErrInvalidValue)
	_, err = ParseSOD(vectors.Unhex(t, "77 04 30 00 30 00"))
	requireParseError(t, err, EFSOD, ErrInvalidValue)
	_, err = ParseSOD(vectors.Unhex(t, "78 02 30 00"))
	requireParseError(t, err, EFSOD, ErrWrongTag)
	_, err = (&SOD{CMS: []byte{0x30}}).Encode()
	requireParseError(t, err, EFSOD, ErrInvalidValue)
	b, err := (&SOD{CMS: []byte{0x30, 0x00}}).Encode()
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "77 02 30 00"), b)
}

func TestDG14SecurityInfos(t *testing.T) {
	d := &DG14{SecurityInfos: securityInfos}
	s, err := d.Infos()
	require.NoError(t, err)
	pace := s.PACE()
	require.Len(t, pace, 1)
	again, err := NewDG14(s)
	require.NoError(t, err)
	require.Equal(t, d, again)

	_, err = (&DG14{SecurityInfos: []byte{0x31, 0x03, 0x02, 0x01, 0x01}}).Infos()
	requireParseError(t, err, EFDG14, secinfo.ErrSyntax)

	doc := &Document{}
	_, err = doc.CardAccess()
	requireParseError(t, err, EFCardAccess, ErrMissingField)
	require.NoError(t, doc.Set(EFCardAccess, securityInfos))
	ca, err := doc.CardAccess()
	require.NoError(t, err)
	require.Len(t, ca.PACE(), 1)
	require.NoError(t, doc.Set(EFCardAccess, []byte{0x30, 0x00}))
	_, err = doc.CardAccess()
	require.Error(t, err)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, EFCardAccess, pe.File)
}

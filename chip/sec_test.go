package chip

import (
	"crypto/ecdsa"
	"crypto/elliptic"
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
	require.Equal(t, d, back)
	require.Equal(t, bio.FormatJPEG, back.Images[0].Format())
	require.Equal(t, bio.FormatJP2, back.Images[1].Format())

	sig := &DisplayedImages{File: EFDG7, Images: []DisplayedImage{{Tag: TagDisplayedSignature, Data: []byte{1, 2}}}}
	b, err = sig.Encode()
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "67 08 02 01 01 5F43 02 0102"), b)
	back, err = ParseDG7(b)
	require.NoError(t, err)
	require.Equal(t, sig, back)

	// JMRTD's DG6 test file: a portrait tag in DG6.
	back, err = ParseDG6(vectors.Unhex(t, "66 08 02 01 01 5F40 02 0102"))
	require.NoError(t, err)
	require.Equal(t, &DisplayedImages{File: EFDG6, Images: []DisplayedImage{{Tag: TagDisplayedPortrait, Data: []byte{1, 2}}}}, back)

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
	require.Equal(t, d, back)

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
	require.Equal(t, d, back)

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

// TestSODVector: a published EF.SOD unwraps and encodes back byte for
// byte (crypto/pki reads the SignedData and the LDSSecurityObject inside).
func TestSODVector(t *testing.T) {
	sodFile := vectors.Hex(t, "testdata/gmrtd/sod_at.hex")
	sod, err := ParseSOD(sodFile)
	require.NoError(t, err)
	require.Equal(t, sodFile[4:], sod.CMS) // '77 82 LL LL'
	back, err := sod.Encode()
	require.NoError(t, err)
	require.Equal(t, sodFile, back)
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
